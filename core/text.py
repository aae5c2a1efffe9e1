"""Text normalisation shared by service search and place resolution."""

import re
import unicodedata
from collections.abc import Iterator

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
MAX_QUERY_CHARS = 500


def fold(text: str) -> str:
    """Lower-case ASCII words: 'Grünerløkka!' -> 'grunerlokka', 'TT-kort' -> 'tt kort'."""
    text = unicodedata.normalize("NFKC", text[:MAX_QUERY_CHARS]).casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text).strip()


def word_grams(words: list[str], longest: int = 3) -> Iterator[tuple[int, int, str]]:
    """Every run of 1..`longest` consecutive words as (start, end, text)."""
    for start in range(len(words)):
        for end in range(start + 1, min(start + longest, len(words)) + 1):
            yield start, end, " ".join(words[start:end])
