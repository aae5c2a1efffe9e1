"""Tell bokmål, nynorsk and English apart from a short message."""

from __future__ import annotations

from typing import Literal

from core.text import fold

Language = Literal["nb", "nn", "en"]
LANGUAGES: tuple[Language, ...] = ("nb", "nn", "en")

# Folded words typical of each written language (æ→ae, ø→o, å→a), not shared with the others.
MARKERS: dict[Language, frozenset[str]] = {
    "nb": frozenset(
        [
            "jeg",
            "hva",
            "hvordan",
            "hvem",
            "hvor",
            "hvilken",
            "hvilket",
            "ikke",
            "hjem",
            "hjemme",
            "noe",
            "noen",
            "bare",
            "mye",
            "sykehjem",
            "sykepleie",
            "sykepleier",
            "glemsk",
            "glemmer",
            "hun",
            "en",
            "et",
            "hjemmehjelp",
            "spise",
            "ogsa",
            "hjemmesykepleie",
            "sover",
            "puster",
        ]
    ),
    # Not "mi": "kona mi", "mor mi" are everyday bokmål too, and a bokmål message must never
    # be answered in nynorsk.
    "nn": frozenset(
        [
            "eg",
            "kva",
            "korleis",
            "kven",
            "kvar",
            "ikkje",
            "heim",
            "heime",
            "noko",
            "nokon",
            "berre",
            "mykje",
            "sjukeheim",
            "sjukepleie",
            "sjukepleiar",
            "gloymsk",
            "gloymer",
            "dei",
            "ho",
            "treng",
            "kjem",
            "vere",
            "heimehjelp",
            "eit",
            "ein",
            "ete",
            "sokje",
            "sokjer",
            "pustar",
            "sovar",
            "heimesjukepleie",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "my",
            "what",
            "how",
            "who",
            "where",
            "which",
            "is",
            "are",
            "not",
            "me",
            "you",
            "your",
            "help",
            "home",
            "does",
            "can",
            "get",
            "need",
            "needs",
            "with",
            "and",
            "of",
            "mother",
            "father",
            "mum",
            "mom",
            "dad",
            "she",
            "he",
            "his",
            "it",
            "this",
            "that",
            "there",
            "about",
            "talk",
            "someone",
        ]
    ),
}
# Words both Norwegian standards share carry no vote between them.
SHARED_NORWEGIAN = MARKERS["nb"] & MARKERS["nn"]


def detect_language(text: str, default: Language = "nb") -> Language:
    """The language with most marker words; `default` when the text gives no clue."""
    words = fold(text).split()
    votes: dict[Language, int] = {
        language: sum(word in MARKERS[language] - SHARED_NORWEGIAN for word in words)
        for language in LANGUAGES
    }
    best = max(LANGUAGES, key=lambda language: votes[language])
    if votes[best] == 0 or list(votes.values()).count(votes[best]) > 1:
        return default
    return best
