"""Tell bokmål, nynorsk and English apart from a short message."""

from __future__ import annotations

from typing import Literal

from core.text import fold
from core.words import WordLists, Words, load_words

Language = Literal["nb", "nn", "en"]
LANGUAGES: tuple[Language, ...] = ("nb", "nn", "en")


class LanguageMarkers(WordLists):
    """`content/words/languages.yml`: words typical of each written language."""

    nb: Words
    nn: Words
    en: Words


_MARKERS = load_words("languages.yml", LanguageMarkers)
# Folded words typical of each written language (æ→ae, ø→o, å→a), not shared with the others.
MARKERS: dict[Language, frozenset[str]] = {
    language: frozenset(getattr(_MARKERS, language)) for language in LANGUAGES
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
