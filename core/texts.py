"""Every sentence the shared core says to a person, in bokmål, nynorsk and English.

Plain language, as in core/assistant_texts.py: a test computes the readability index LIX of every
bokmål text and fails above 40. Standard library only and Python 3.10 syntax, like
core/office_hours.py, which says these.

Every module of texts (this one, core/assistant_texts.py, core/safety/messages.py, api/texts.py)
holds its sentences as `Texts`, and looks one up with `text_in`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from core.language import Language

# Sentences by key, each in the languages it is written in: key, then language, then text.
Texts: TypeAlias = dict[str, dict["Language", str]]


def text_in(texts: Texts, key: str, language: Language, **values: object) -> str:
    """The text `key` of `texts` in `language`, with its placeholders filled in."""
    return texts[key][language].format(**values)


TEXTS: Texts = {
    # When a person who asked for district staff can expect an answer (core/office_hours.py).
    "answer_on_day": {
        "nb": "Du kan vente svar {weekday} {day}. {month}.",
        "nn": "Du kan venta svar {weekday} {day}. {month}.",
        "en": "You can expect an answer on {weekday} {day} {month}.",
    },
    "answer_today": {
        "nb": "Du kan vente svar i dag.",
        "nn": "Du kan venta svar i dag.",
        "en": "You can expect an answer today.",
    },
    "answer_later_today": {
        "nb": "Du kan vente svar i dag, etter klokka {time}.",
        "nn": "Du kan venta svar i dag, etter klokka {time}.",
        "en": "You can expect an answer today, after {time}.",
    },
}
WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "nb": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "nn": ("måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_NORWEGIAN_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
_ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS: dict[Language, tuple[str, ...]] = {
    "nb": _NORWEGIAN_MONTHS,
    "nn": _NORWEGIAN_MONTHS,
    "en": _ENGLISH_MONTHS,
}
