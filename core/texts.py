"""Every sentence the shared core says to a person, in bokmål, nynorsk and English.

Plain language, as in core/assistant_texts.py: a test computes the readability index LIX of every
bokmål text and fails above 40. Standard library only and Python 3.10 syntax, like
core/office_hours.py, which says these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.language import Language

TEXTS: dict[str, dict[Language, str]] = {
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
