"""Mask Norwegian national ID numbers (fødselsnummer, D-number, H-number) in free text.

A number counts as an ID when it has 11 digits and both mod-11 check digits are right. The
date part is deliberately not checked: D-numbers add 40 to the day, H-numbers add 40 to the
month, and synthetic test numbers add 80 to the month.

People write the 11 digits in many ways, so the text is read leniently first:

- a digit is any character that Unicode NFKC folds to 0-9 (full-width "０", superscripts);
- invisible characters (zero-width spaces and joiners, U+2060, BOM, soft hyphen: category Cf)
  end a digit group but count as no separator: "050332\u200b11424" is 6 + 5 digits;
- digit groups separated by at most three separator characters (any kind of space, tab or
  newline; dot, slash, comma, any hyphen or dash) belong to one written number.

Any run of whole consecutive groups with 11 digits in all and valid check digits is an ID,
whatever its grouping ("05.03.32 11424", "0 8 0 6 3 5 1 3 5 5 6", "190 546 212 24"), except
the grouping of an account number (4 + 2 + 5, "1234.56.78903"). The whole written span,
separators included, is replaced by `MASK`. A group is never split: a 12-digit run, a phone
number ("22 33 44 55", "+47 915 00 000") or a date ("05.03.2024") is not an ID, and a phone
number next to an ID is left alone unless its digits and its neighbour's make a valid number.

`mask_across_messages` also catches a number split across two messages of one conversation.

This module imports only the standard library and runs on Python 3.10 too: the Rasa process
(a Python 3.10 environment) imports it as well as the app.
"""

from __future__ import annotations

import enum
import unicodedata
from typing import NamedTuple

__all__ = [
    "MASK",
    "Masked",
    "contains_national_id",
    "is_valid_national_id",
    "mask_across_messages",
    "mask_national_ids",
]

MASK = "[fødselsnummer fjernet]"

ID_LENGTH = 11
_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ACCOUNT_NUMBER_GROUPS = (4, 2, 5)
_MAX_SEPARATORS = 3  # "050332 - 11424" has three; more ends the written number
_ASCII_SEPARATORS = frozenset(" \t\n\r\v\f./-,")
_SEPARATOR_PUNCTUATION = frozenset("./-,\u2212")  # \u2212: the minus sign


class _Kind(enum.Enum):
    DIGIT = enum.auto()
    SEPARATOR = enum.auto()
    INVISIBLE = enum.auto()
    OTHER = enum.auto()


class _Group(NamedTuple):
    """Consecutive digits (invisible characters aside): where they are in the text, and which."""

    start: int
    end: int
    digits: str
    joined: bool = False  # only invisible characters between it and the group before


class Masked(NamedTuple):
    """A message with its IDs masked, and the digits it ends with for the next message."""

    text: str
    tail: str


def _digit(char: str) -> str | None:
    """The ASCII digit `char` stands for, or None."""
    if char.isascii():
        return char if "0" <= char <= "9" else None
    value = unicodedata.decimal(char, None)
    if value is not None:
        return str(value)
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and "0" <= folded <= "9" else None


def _kind(char: str) -> tuple[_Kind, str]:
    """What `char` is to a written number (and its digit, for a digit)."""
    digit = _digit(char)
    if digit is not None:
        return _Kind.DIGIT, digit
    if char.isascii():
        return (_Kind.SEPARATOR if char in _ASCII_SEPARATORS else _Kind.OTHER), ""
    category = unicodedata.category(char)
    if category == "Cf":
        return _Kind.INVISIBLE, ""
    folded = unicodedata.normalize("NFKC", char)
    if char.isspace() or folded.isspace() or category == "Pd" or folded in _SEPARATOR_PUNCTUATION:
        return _Kind.SEPARATOR, ""
    return _Kind.OTHER, ""


def _written_numbers(text: str) -> list[list[_Group]]:
    """The text's written numbers: each a list of digit groups, in order."""
    numbers: list[list[_Group]] = []
    number: list[_Group] = []
    start = end = -1  # the open group's span, when digits is not empty
    joined = False  # whether the open group follows the one before with no separator
    digits: list[str] = []
    gap = 0  # separators since the last digit
    invisible = False  # an invisible character since the last digit: a group boundary

    def close_group() -> None:
        if digits:
            number.append(_Group(start, end, "".join(digits), joined))
            digits.clear()

    def close_number() -> None:
        nonlocal number
        close_group()
        if number:
            numbers.append(number)
            number = []

    for index, char in enumerate(text):
        kind, digit = _kind(char)
        if kind is _Kind.DIGIT:
            if gap or invisible:
                close_group()
                if gap > _MAX_SEPARATORS:
                    close_number()
            if not digits:
                start = index
                joined = bool(number) and not gap
            digits.append(digit)
            end = index + 1
            gap = 0
            invisible = False
        elif kind is _Kind.SEPARATOR:
            gap += 1
        elif kind is _Kind.INVISIBLE:
            invisible = True
        else:
            close_number()
            gap = 0
    close_number()
    return numbers


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
    if len(digits) != ID_LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    k1 = _check_digit(digits[:9], _K1_WEIGHTS)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _check_digit(digits[:10], _K2_WEIGHTS)
    return k2 is not None and k2 == int(digits[10])


def _ids(groups: list[_Group]) -> list[tuple[int, int]]:
    """(first, last) group index of every run of whole groups that is an ID."""
    found = []
    for first in range(len(groups)):
        total = 0
        for last in range(first, len(groups)):
            total += len(groups[last].digits)
            if total >= ID_LENGTH:
                window = groups[first : last + 1]
                digits = "".join(group.digits for group in window)
                if (
                    total == ID_LENGTH
                    and _visible_sizes(window) != _ACCOUNT_NUMBER_GROUPS
                    and is_valid_national_id(digits)
                ):
                    found.append((first, last))
                break
    return found


def _visible_sizes(groups: list[_Group]) -> tuple[int, ...]:
    """The group sizes as a reader sees them: groups split only by invisible characters are one."""
    sizes: list[int] = []
    for index, group in enumerate(groups):
        if index and group.joined:
            sizes[-1] += len(group.digits)
        else:
            sizes.append(len(group.digits))
    return tuple(sizes)


def _tail_groups(tail: str) -> list[_Group]:
    return [_Group(-1, -1, part) for part in tail.split() if part.isascii() and part.isdigit()]


def _only_separators(text: str) -> bool:
    return all(_kind(char)[0] is not _Kind.OTHER for char in text)


def _tail(groups: list[_Group]) -> str:
    """The last groups, at most 10 digits in all: what the next message may complete."""
    kept: list[str] = []
    total = 0
    for group in reversed(groups):
        total += len(group.digits)
        if total >= ID_LENGTH:
            break
        kept.insert(0, group.digits)
    return " ".join(kept)


def mask_across_messages(tail: str, text: str) -> Masked:
    """`text` masked, also where it completes an ID begun by the previous message's `tail`.

    `tail` is the previous result's `tail` ("" for a conversation's first message). Only this
    message's part of a split number is masked: the previous message is already gone.
    """
    numbers = _written_numbers(text)
    carried = _tail_groups(tail)
    if carried and numbers and _only_separators(text[: numbers[0][0].start]):
        numbers[0] = carried + numbers[0]
    spans: list[tuple[int, int]] = []
    for groups in numbers:
        for first, last in _ids(groups):
            real = [group for group in groups[first : last + 1] if group.start >= 0]
            if real:
                spans.append((real[0].start, real[-1].end))
    next_tail = ""
    if numbers and _only_separators(text[numbers[-1][-1].end :]):
        masked_up_to = max((end for _, end in spans), default=-1)
        next_tail = _tail([group for group in numbers[-1] if group.start >= masked_up_to])
    return Masked(_replace(text, spans), next_tail)


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each span (merged where they overlap) replaced by one `MASK`."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces = []
    at = 0
    for start, end in merged:
        pieces += [text[at:start], MASK]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def mask_national_ids(text: str) -> str:
    """`text` with every national ID number replaced by `MASK`; all other text is unchanged."""
    return mask_across_messages("", text).text


def contains_national_id(text: str) -> bool:
    """Whether `text` contains a national ID number (as `mask_national_ids` would find it)."""
    return any(_ids(groups) for groups in _written_numbers(text))
