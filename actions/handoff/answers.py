"""Reading the person's short answers in the handoff form: pure functions, easy to test."""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import model_validator

from core.text import fold
from core.words import WordLists, Words, load_words, require_keys

Choices = tuple[tuple[str, tuple[str, ...]], ...]
ForWhom = Literal["relative", "self"]
Agrees = Literal["unsure", "no", "yes"]
Contact = Literal["phone", "chat"]
Consent = Literal["no", "yes"]


class HandoffWords(WordLists):
    """`content/words/handoff.yml`: which words mean which short answer, tried in order."""

    cancel: Words
    for_whom: dict[ForWhom, Words]
    agrees: dict[Agrees, Words]
    contact: dict[Contact, Words]
    consent: dict[Consent, Words]

    @model_validator(mode="after")
    def _every_answer_has_words(self) -> HandoffWords:
        require_keys(self.for_whom, get_args(ForWhom), "for_whom")
        require_keys(self.agrees, get_args(Agrees), "agrees")
        require_keys(self.contact, get_args(Contact), "contact")
        require_keys(self.consent, get_args(Consent), "consent")
        return self


_WORDS = load_words("handoff.yml", HandoffWords)
CANCEL = _WORDS.cancel
# Checked in order: the first kind with a matching word wins.
FOR_WHOM: Choices = tuple(_WORDS.for_whom.items())
AGREES: Choices = tuple(_WORDS.agrees.items())
CONTACT: Choices = tuple(_WORDS.contact.items())
CONSENT: Choices = tuple(_WORDS.consent.items())
MAX_DESCRIPTION = 500
_PHONE_PREFIX = re.compile(r"^(\+47|0047)")


def _has(folded: str, phrase: str) -> bool:
    return f" {phrase} " in f" {folded} "


def choose(text: str, kinds: Choices) -> str | None:
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
