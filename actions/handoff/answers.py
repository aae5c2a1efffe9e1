"""Reading the person's short answers in the handoff form: pure functions, easy to test."""

from __future__ import annotations

import re

from core.text import fold

CANCEL = ("avbryt", "stopp", "stop", "cancel", "glem det", "angre", "avslutt", "never mind")
# Checked in order: the first kind with a matching word wins.
FOR_WHOM = (
    (
        "relative",
        (
            "parorende",
            "parorande",
            "relative",
            "someone else",
            "en annen",
            "ein annan",
            "mor",
            "far",
            "mamma",
            "pappa",
            "mora",
            "faren",
            "moren",
            "mother",
            "father",
            "mum",
            "dad",
            "bestemor",
            "bestefar",
            "besteforeldre",
            "mann",
            "kone",
            "ektefelle",
            "samboer",
            "sambuar",
            "svigermor",
            "svigerfar",
            "tante",
            "onkel",
            "bror",
            "soster",
            "venn",
            "nabo",
            "husband",
            "wife",
            "aunt",
            "uncle",
            "friend",
            "neighbour",
            "grandmother",
            "grandfather",
            "parent",
            "foreldre",
        ),
    ),
    ("self", ("meg", "selv", "sjolv", "myself", "me", "jeg", "eg", "min egen", "mitt")),
)
AGREES = (
    ("unsure", ("vet ikke", "veit ikkje", "usikker", "not sure", "don t know", "dont know")),
    ("no", ("nei", "ikke", "ikkje", "no", "not", "uenig", "usamd")),
    ("yes", ("ja", "yes", "enig", "samd", "vet", "veit", "ok", "greit", "sure")),
)
CONTACT = (
    ("phone", ("ring", "ringe", "ringje", "telefon", "phone", "call", "tlf", "oppringt")),
    ("chat", ("chat", "chatten", "her", "skriv", "skrive", "svar", "write", "message", "melding")),
)
CONSENT = (
    ("no", ("nei", "ikke send", "ikkje send", "no", "don t", "dont", "not")),
    ("yes", ("ja", "send", "yes", "ok", "greit", "sure", "gjerne")),
)
MAX_DESCRIPTION = 500
_PHONE_PREFIX = re.compile(r"^(\+47|0047)")


def _has(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def choose(text: str, kinds: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    """The first kind whose words appear in `text` as whole words; None when none does."""
    folded = fold(text)
    for kind, phrases in kinds:
        if any(_has(folded, phrase) for phrase in phrases):
            return kind
    return None


def wants_to_cancel(text: str) -> bool:
    folded = fold(text)
    return any(_has(folded, phrase) for phrase in CANCEL)


def norwegian_phone(text: str) -> str | None:
    """A Norwegian phone number written as 8 digits (spaces, +47 fine), in its usual groups."""
    compact = re.sub(r"[\s.()-]", "", text)
    digits = _PHONE_PREFIX.sub("", compact)
    if not re.fullmatch(r"[2-9][0-9]{7}", digits):
        return None
    if digits[0] in "49":  # mobile numbers: 412 34 567
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
