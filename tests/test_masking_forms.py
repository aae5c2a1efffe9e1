"""National ID numbers in every way people write them: grouped, spaced, full-width, split."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import privacy
from core.privacy import MASK, contains_national_id, mask_national_ids
from tests.national_ids import broken, national_id, valid_id

FNR = valid_id(date(1932, 3, 5))
FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
# Everything that may stand between the digit groups of one written number.
SEPARATORS = [" ", "  ", ".", "/", "-", ",", "\n", "\t", "\u00a0", "\u2009", "\u202f", ". ", " - "]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


def digits_only(text: str) -> str:
    return "".join(c for c in text if c in "0123456789")


def grouped(number: str, sizes: list[int], separator: str = " ") -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    return separator.join(parts)


# -- The forms from issue 11 -------------------------------------------------------------------

ISSUE_FORMS = [
    "05.03.32 11424",
    "06 04 33 12 18 7",
    "0 8 0 6 3 5 1 3 5 5 6",
    "190 546 212 24",
    "20.06.47 21950",
    "050332 11424".translate(FULL_WIDTH),
    "050332  11424",
    "050332/11424",
    "050332\u00a011424",
    "050332\u200b11424",
    "050332\n11424",
    "05 03 32 114 24",
    "05\u200b03\u200b32\u200b11424",
    "0503 3211 424",
    "05-03-32-11424",
    "05.03.32-114.24",
    "050332 - 11424",
    "05\u2009 03\u2009 32\u2009 11424",
    "05\t03\t32\t11424",
    "050\u00ad332\u00ad11424",
]


@pytest.mark.parametrize("written", ISSUE_FORMS)
def test_every_written_form_is_masked_whole(written: str) -> None:
    assert privacy.is_valid_national_id(digits_only(unicodedata.normalize("NFKC", written)))
    text = f"Hei, fnr er {written}. Takk!"
    assert mask_national_ids(text) == f"Hei, fnr er {MASK}. Takk!"
    assert contains_national_id(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ring meg på 22 33 44 55.",
        "Mobil +47 915 00 000",
        "Kontonummer 1234.56.78903",
        f"Kontonummer {grouped(FNR, [4, 2, 5], '.')}",
        f"Kontonummer {grouped(FNR, [4, 2, 5])}",
        "Timen er 05.03.2024 kl. 10.30",
        "Født 05.03.1932, telefon 22 33 44 55",
        "22 33 44 55 91 23 45 67",
        "Det koster 1 234,50 kr",
        f"Nummeret er {grouped(broken(FNR), [2, 2, 2, 5])}",
        f"Nummeret er {grouped(broken(FNR), [1] * 11)}",
        "Saksnummer 2026/123456-12",
    ],
)
def test_numbers_that_are_not_ids_are_left_alone(text: str) -> None:
    assert mask_national_ids(text) == text
    assert not contains_national_id(text)


def test_a_phone_number_next_to_an_id_is_kept() -> None:
    text = f"Ring 22 33 44 55, fnr {grouped(FNR, [2, 2, 2, 5])}"
    assert mask_national_ids(text) == f"Ring 22 33 44 55, fnr {MASK}"


# -- A number split across two messages -----------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        ("Fødselsnummeret er 050332", "11424", MASK),
        ("05.03.32", "11424 takk", f"{MASK} takk"),
        ("fnr 05 03 32 1", "14 24", MASK),
        ("050", "332 11424!", f"{MASK}!"),
    ],
)
def test_a_number_split_across_two_messages_is_masked(first: str, second: str, shown: str) -> None:
    before = privacy.mask_across_messages("", first)
    assert before.text == first
    after = privacy.mask_across_messages(before.tail, second)
    assert after.text == shown
    assert after.tail == ""


def test_a_number_split_across_three_messages_is_masked() -> None:
    first = privacy.mask_across_messages("", "050")
    second = privacy.mask_across_messages(first.tail, "332")
    third = privacy.mask_across_messages(second.tail, "11424")
    assert third.text == MASK


def test_text_between_the_parts_breaks_the_number() -> None:
    first = privacy.mask_across_messages("", "050332 er datoen")
    assert first.tail == ""
    assert privacy.mask_across_messages(first.tail, "11424").text == "11424"


def test_a_phone_number_after_a_number_is_not_eaten_unless_it_validates() -> None:
    first = privacy.mask_across_messages("", "Ring 22 33 44 55")
    assert privacy.mask_across_messages(first.tail, "123 takk").text == "123 takk"


# -- Properties ---------------------------------------------------------------------------------


@st.composite
def generated_ids(draw: st.DrawFn) -> str:
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    kind = draw(st.sampled_from(["fnr", "d", "h", "synthetic"]))
    found = national_id(birth, draw(st.integers(0, 999)), kind)
    return found if found is not None else valid_id(birth, 0, kind)


@st.composite
def group_sizes(draw: st.DrawFn) -> list[int]:
    """Any way of cutting 11 digits into groups, except an account number's 4 + 2 + 5."""
    cuts = draw(st.sets(st.integers(1, 10)))
    bounds = [0, *sorted(cuts), 11]
    sizes = [b - a for a, b in itertools.pairwise(bounds)]
    return [11] if sizes == [4, 2, 5] else sizes


@st.composite
def written_ids(draw: st.DrawFn) -> tuple[str, str]:
    """(the 11 digits, the ID as a person might write it)."""
    digits = draw(generated_ids())
    sizes = draw(group_sizes())
    parts, at = [], 0
    for size in sizes:
        group = digits[at : at + size]
        if draw(st.booleans()):
            group = group.translate(FULL_WIDTH)
        if size > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, size - 1))
            group = group[:cut] + draw(st.sampled_from(INVISIBLE)) + group[cut:]
        parts.append(group)
        at += size
    separators = st.sampled_from(SEPARATORS)
    written = parts[0] + "".join(draw(separators) + part for part in parts[1:])
    return digits, written


# Text around the number: anything but digits (a digit touching the number makes it longer).
AROUND = st.text(st.characters(exclude_categories=("Nd", "No", "Cs")), max_size=20)


@settings(deadline=None, max_examples=400)
@given(AROUND, written_ids(), AROUND)
def test_no_written_id_survives(before: str, written: tuple[str, str], after: str) -> None:
    digits, as_written = written
    masked = mask_national_ids(before + " " + as_written + " " + after)
    assert masked == before + " " + MASK + " " + after
    assert digits not in digits_only(masked)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(AROUND, written_ids()), min_size=1, max_size=4), AROUND)
def test_several_ids_in_one_text_all_go(parts: list[tuple[str, tuple[str, str]]], end: str) -> None:
    text = "".join(f"{between} {as_written} " for between, (_, as_written) in parts) + end
    masked = mask_national_ids(text)
    for _, (digits, _) in parts:
        assert digits not in digits_only(unicodedata.normalize("NFKC", masked))
    # Two IDs side by side can be one masked span (when digits across them validate too).
    assert 1 <= masked.count(MASK) <= len(parts)


@settings(deadline=None, max_examples=200)
@given(AROUND, written_ids(), st.integers(1, 10), AROUND)
def test_an_id_split_across_two_messages_never_reaches_the_second(
    before: str, written: tuple[str, str], at: int, after: str
) -> None:
    digits, _ = written
    first = privacy.mask_across_messages("", f"{before} {digits[:at]}")
    second = privacy.mask_across_messages(first.tail, f"{digits[at:]} {after}")
    assert second.text.startswith(MASK)
    assert digits[at:] not in digits_only(second.text)


PHONES = st.builds(
    lambda first, rest: f"{first}{rest:07d}",
    st.sampled_from("2345679"),
    st.integers(0, 9_999_999),
)


@settings(deadline=None, max_examples=200)
@given(PHONES, st.sampled_from(["{0} {1} {2} {3}", "{0}{1} {2}{3}", "+47 {0}{1}{2}{3}"]))
def test_phone_numbers_survive(phone: str, layout: str) -> None:
    text = "Ring meg på " + layout.format(phone[:2], phone[2:4], phone[4:6], phone[6:])
    assert mask_national_ids(text) == text


@settings(deadline=None, max_examples=200)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_survive(day: date) -> None:
    for text in (f"{day:%d.%m.%Y}", f"{day:%d/%m/%Y}", f"{day:%Y-%m-%d}", f"{day:%d.%m.%y}"):
        assert mask_national_ids(f"Timen er {text} kl. 10") == f"Timen er {text} kl. 10"
