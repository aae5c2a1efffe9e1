"""Mask Norwegian national ID numbers (fødselsnummer, D-number, H-number) in free text.

A number counts as an ID when it has 11 digits and both mod-11 check digits are right. The
date part is deliberately not checked: D-numbers add 40 to the day, H-numbers add 40 to the
month, and synthetic test numbers add 80 to the month. The number may be written as 11 digits
in a row, or as 6 + 5 digits with one space, dot or hyphen between ("010190 12345").

Digits that are part of a longer run (12 or more digits in a row) are not an ID, and neither is
anything grouped differently, such as an account number "1234.56.78903" or a phone number.

This module imports only the standard library and runs on Python 3.10 too: the Rasa process
(a Python 3.10 environment) imports it as well as the app.
"""

from __future__ import annotations

import re

__all__ = ["MASK", "contains_national_id", "is_valid_national_id", "mask_national_ids"]

MASK = "[fødselsnummer fjernet]"

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Six digits, at most one separator, five digits; not preceded or followed by another digit.
# [0-9] rather than \d: only ASCII digits, whatever the text's other characters are.
_CANDIDATE = re.compile(r"(?<![0-9])([0-9]{6})[ .\-]?([0-9]{5})(?![0-9])")


def _check_digit(digits: str, weights: tuple[int, ...]) -> int | None:
    """The mod-11 check digit for `digits`, or None when no digit can be right (remainder 1)."""
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_national_id(digits: str) -> bool:
    """Whether `digits` (exactly 11 ASCII digits, no separators) has both check digits right."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    k1 = _check_digit(digits[:9], _K1_WEIGHTS)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _check_digit(digits[:10], _K2_WEIGHTS)
    return k2 is not None and k2 == int(digits[10])


def _replace(match: re.Match[str]) -> str:
    if is_valid_national_id(match.group(1) + match.group(2)):
        return MASK
    return match.group(0)


def mask_national_ids(text: str) -> str:
    """`text` with every national ID number replaced by `MASK`; all other text is unchanged."""
    return _CANDIDATE.sub(_replace, text)


def contains_national_id(text: str) -> bool:
    """Whether `text` contains a national ID number (as `mask_national_ids` would find it)."""
    return any(
        is_valid_national_id(match.group(1) + match.group(2)) for match in _CANDIDATE.finditer(text)
    )
