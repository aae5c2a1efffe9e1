"""Train the emergency detector (`python -m core.safety build`).

Examples: `core/safety/examples.yml` (emergencies, and calm messages written to sit close to
them), plus the assistant's NLU data, where `emergency` examples are emergencies and every
other intent's examples are ordinary calm messages.

Runs in Rasa's environment, which has scikit-learn; the detector it writes needs only numpy.
A class-balanced logistic regression reads two kinds of features at once:
- character n-grams (2 to 5 letters within words, TF-IDF): robust to typos and dialect;
- the e5 sentence embedding, standardised and scaled down: meaning across phrasings and
  languages.
Measured on an independent red team (tests/safety/emergency_redteam.yml), the pair beats
either alone; see bench/NLU_RESULTS.md.

The thresholds come from cross-validated scores, never from scores of examples a model was
trained on:
- `emergency`: above all but `CALM_ALARM_SHARE` of the calm examples (which are written to be
  hard: the same words in calm situations);
- `maybe`: below all but `EMERGENCY_MISS_SHARE` of the emergency examples, yet above all but
  `ORDINARY_MAYBE_SHARE` of the ordinary calm messages (the NLU data).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from core.safety.detector import (
    DETECTOR_FILE,
    EXAMPLES_FILE,
    NGRAM_RANGE,
    ROOT,
    Embedder,
    EmergencyDetector,
    Thresholds,
    prepare,
)

EMBEDDING_SCALE = 0.05  # the embedding's share beside the n-grams
REGULARISATION = 10.0  # scikit-learn's C
FOLDS = 5
CALM_ALARM_SHARE = 0.05
EMERGENCY_MISS_SHARE = 0.002
ORDINARY_MAYBE_SHARE = 0.02
PROBES = 20


NLU_DATA = ROOT / "data" / "nlu"
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Examples:
    texts: list[str]
    labels: np.ndarray  # 1 emergency, 0 calm
    hard: np.ndarray  # True for the calm examples written to sit close to emergencies

    def digest(self) -> str:
        pairs = zip(self.labels, self.texts, strict=True)
        joined = "\n".join(f"{int(label)}\t{text}" for label, text in pairs)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def nlu_examples(folder: Path = NLU_DATA) -> list[tuple[str, str]]:
    """(intent, text) of the assistant's training data: every other intent is a calm message."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in str(block["examples"]).splitlines():
                if line.strip().startswith("- "):
                    pairs.append((block["intent"], _ANNOTATION.sub(r"\1", line.strip()[2:])))
    return pairs


def load_examples(path: Path = EXAMPLES_FILE, nlu_folder: Path = NLU_DATA) -> Examples:
    data = yaml.safe_load(path.read_text("utf-8"))
    rows: list[tuple[str, int, bool]] = []
    for label, section in ((1, "emergency"), (0, "calm")):
        for items in (data.get(section) or {}).values():
            rows += [(prepare(str(text)), label, label == 0) for text in items or []]
    rows += [
        (prepare(text), int(intent == "emergency"), False)
        for intent, text in nlu_examples(nlu_folder)
    ]
    texts, labels, hard = zip(*rows, strict=True)
    return Examples(list(texts), np.array(labels, dtype=np.int64), np.array(hard, dtype=bool))


@dataclass
class Trained:
    """A fitted model in the form the detector reads, and scikit-learn's own scorer."""

    vocabulary: dict[str, tuple[float, float]]  # n-gram -> (idf, weight)
    embedding_weights: np.ndarray  # applied to the raw embedding
    bias: float
    reference: Callable[[list[str], np.ndarray], np.ndarray]


def _fit(texts: list[str], vectors: np.ndarray, labels: np.ndarray) -> Trained:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    ngrams = TfidfVectorizer(
        analyzer="char_wb", ngram_range=NGRAM_RANGE, min_df=2, sublinear_tf=True, lowercase=False
    )
    counts = ngrams.fit_transform(texts)
    mean = vectors.mean(axis=0)
    spread = vectors.std(axis=0) + 1e-6
    scaled = (vectors - mean) / spread * EMBEDDING_SCALE
    features = hstack([counts, csr_matrix(scaled)]).tocsr()
    model = LogisticRegression(
        C=REGULARISATION, max_iter=5000, class_weight="balanced", random_state=0
    )
    model.fit(features, labels)
    weights = model.coef_[0]
    size = counts.shape[1]
    idf = ngrams.idf_
    vocabulary = {
        ngram: (float(idf[index]), float(weights[index]))
        for ngram, index in ngrams.vocabulary_.items()
    }
    # Fold the standardisation into the weights: the detector multiplies raw embeddings.
    embedding_weights = weights[size:] * EMBEDDING_SCALE / spread
    bias = float(model.intercept_[0]) - float((embedding_weights * mean).sum())

    def reference(texts: list[str], vectors: np.ndarray) -> np.ndarray:
        scaled = (vectors - mean) / spread * EMBEDDING_SCALE
        rows = hstack([ngrams.transform(texts), csr_matrix(scaled)])
        probabilities: np.ndarray = model.predict_proba(rows.tocsr())[:, 1]
        return probabilities

    return Trained(vocabulary, embedding_weights.astype(np.float32), bias, reference)


def _detector(trained: Trained, thresholds: Thresholds) -> EmergencyDetector:
    return EmergencyDetector(
        trained.vocabulary, trained.embedding_weights, trained.bias, thresholds
    )


def cross_validated_scores(texts: list[str], vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each example's score from a model that never saw it (stratified, fixed folds)."""
    folds = np.zeros(len(labels), dtype=int)
    for label in (0, 1):
        members = np.flatnonzero(labels == label)
        folds[members] = np.random.default_rng(label).permutation(len(members)) % FOLDS
    scores = np.zeros(len(labels), dtype=np.float64)
    placeholder = Thresholds(emergency=1.0, maybe=1.0)
    for fold in range(FOLDS):
        held_out = np.flatnonzero(folds == fold)
        kept = np.flatnonzero(folds != fold)
        trained = _fit([texts[i] for i in kept], vectors[kept], labels[kept])
        detector = _detector(trained, placeholder)
        scores[held_out] = detector.scores([texts[i] for i in held_out], vectors[held_out])
    return scores


def choose_thresholds(scores: np.ndarray, examples: Examples) -> Thresholds:
    calm = examples.labels == 0
    hard = np.sort(scores[calm & examples.hard])
    ordinary = scores[calm & ~examples.hard]
    emergency = np.sort(scores[examples.labels == 1])
    alarm = float(hard[min(len(hard) - 1, int(len(hard) * (1 - CALM_ALARM_SHARE)))])
    miss = float(emergency[int(len(emergency) * EMERGENCY_MISS_SHARE)])
    # A 113 line on every fifth "ja" or "hei" would teach people to skip it.
    noise = float(np.quantile(ordinary, 1 - ORDINARY_MAYBE_SHARE))
    maybe = min(max(miss, noise), alarm)
    return Thresholds(emergency=round(alarm, 4), maybe=round(maybe, 4))


def rates(scores: np.ndarray, examples: Examples, thresholds: Thresholds) -> dict[str, Any]:
    emergency = scores[examples.labels == 1]
    figures: dict[str, Any] = {
        "emergencies": len(emergency),
        "emergency_recall": round(float((emergency >= thresholds.emergency).mean()), 4),
        "emergency_or_maybe_recall": round(float((emergency >= thresholds.maybe).mean()), 4),
    }
    for name, calm in (
        ("hard_calm", scores[(examples.labels == 0) & examples.hard]),
        ("other_calm", scores[(examples.labels == 0) & ~examples.hard]),
    ):
        figures[name] = len(calm)
        figures[f"{name}_false_emergency"] = round(float((calm >= thresholds.emergency).mean()), 4)
        figures[f"{name}_maybe"] = round(float((calm >= thresholds.maybe).mean()), 4)
    return figures


def build(examples_path: Path = EXAMPLES_FILE, out: Path = DETECTOR_FILE) -> dict[str, Any]:
    """Train on every example, choose thresholds by cross-validation, write the detector."""
    examples = load_examples(examples_path)
    vectors = Embedder()(examples.texts)
    cv_scores = cross_validated_scores(examples.texts, vectors, examples.labels)
    thresholds = choose_thresholds(cv_scores, examples)
    trained = _fit(examples.texts, vectors, examples.labels)
    detector = _detector(trained, thresholds)
    # scikit-learn's own scores for a few examples: tests check the detector reproduces them.
    probes = examples.texts[:: max(1, len(examples.texts) // PROBES)]
    probe_vectors = vectors[:: max(1, len(examples.texts) // PROBES)]
    reference = trained.reference(probes, probe_vectors)
    report = {
        "examples_sha256": examples.digest(),
        "cross_validation": rates(cv_scores, examples, thresholds),
        "probes": {text: round(float(p), 6) for text, p in zip(probes, reference, strict=True)},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_suffix(".tmp")
    temporary.write_text(detector.to_json(**report), encoding="utf-8")
    temporary.replace(out)
    return report
