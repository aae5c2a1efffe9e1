"""Mask what identifies a person in a question kept for the catalogue owner."""

import re

from core.privacy import mask_national_ids

PHONE_MASK = "[telefonnummer fjernet]"
EMAIL_MASK = "[e-post fjernet]"
NAME_MASK = "[navn fjernet]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 8 digits (Norway), optionally +47/0047 first, in any grouping of spaces, dots or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?47[\s.-]?)?(?:\d[\s.-]?){7}\d(?!\w)")
# "jeg heter Kari", "mitt navn er Kari Nordmann", "my name is ...": the capitalised words after.
_NAME = re.compile(
    r"(?i:\b(?:jeg heter|eg heiter|mitt navn er|namnet mitt er|my name is|i am called)\s+)"
    r"([A-ZÆØÅ][\w'-]+(?:\s+[A-ZÆØÅ][\w'-]+)*)"
)


def mask_question(text: str) -> str:
    """`text` without national IDs, e-mail addresses, phone numbers and stated names."""
    text = mask_national_ids(text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _PHONE.sub(PHONE_MASK, text)
    return _NAME.sub(lambda match: match.group(0).replace(match.group(1), NAME_MASK), text)
