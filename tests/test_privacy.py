"""Masking national ID numbers: what gets masked, and everything that must be left alone."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.privacy import MASK, contains_national_id, is_valid_national_id, mask_national_ids
from tests.national_ids import K1, broken, national_id, valid_id, with_check_digits

FNR = valid_id(date(1940, 3, 17))
FNR_2 = valid_id(date(1938, 11, 2), 480)
D_NUMBER = valid_id(date(1951, 6, 5), 200, "d")
H_NUMBER = valid_id(date(1944, 12, 24), 300, "h")
SYNTHETIC = valid_id(date(1950, 1, 1), 100, "synthetic")
UNHURRIED = settings(deadline=None)  # a slow example on a loaded machine is no masking bug


def spaced(number: str, separator: str = " ") -> str:
    return number[:6] + separator + number[6:]


def test_the_generated_numbers_are_what_they_claim() -> None:
    assert FNR.startswith("170340")
    assert D_NUMBER.startswith("450651")
    assert H_NUMBER.startswith("245244")
    assert SYNTHETIC.startswith("018150")
    for number in (FNR, FNR_2, D_NUMBER, H_NUMBER, SYNTHETIC):
        assert is_valid_national_id(number)
        assert not is_valid_national_id(broken(number))


# -- is_valid_national_id --------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits",
    [
        FNR[:10],
        FNR + "0",
        spaced(FNR),
        spaced(FNR, "-"),
        f" {FNR}",
        "",
        "abcdefghijk",
        # Full-width digits are digits to str.isdigit, but not an ID here.
        FNR.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
    ],
)
def test_only_exactly_eleven_ascii_digits_can_be_valid(digits: str) -> None:
    assert not is_valid_national_id(digits)


def test_a_first_check_digit_of_ten_is_never_valid() -> None:
    nine = next(
        f"010190{n:03d}"
        for n in range(1000)
        if (11 - sum(w * int(d) for w, d in zip(K1, f"010190{n:03d}", strict=True)) % 11) == 10
    )
    assert not any(is_valid_national_id(f"{nine}{a}{b}") for a in range(10) for b in range(10))


def test_the_two_check_digits_decide() -> None:
    """Of the 100 endings of nine digits, only the one with the right check digits is valid."""
    for nine in ("170340123", "450651200", "010190123", "311299999", "000000000"):
        valid = [nine + f"{e:02d}" for e in range(100) if is_valid_national_id(nine + f"{e:02d}")]
        expected = with_check_digits(nine)
        assert valid == ([] if expected is None else [expected])


# -- What gets masked ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Bokmål, nynorsk, English.
        (f"Fødselsnummeret mitt er {FNR}.", f"Fødselsnummeret mitt er {MASK}."),
        (
            f"Fødselsnummeret til mor er {FNR}, kan de hjelpe?",
            f"Fødselsnummeret til mor er {MASK}, kan de hjelpe?",
        ),
        (f"Eg heiter Kari og nummeret mitt er {FNR}", f"Eg heiter Kari og nummeret mitt er {MASK}"),
        (f"My national ID number is {FNR} — thanks", f"My national ID number is {MASK} — thanks"),
        # With a separator between the six and the five digits.
        (f"fnr {spaced(FNR)} takk", f"fnr {MASK} takk"),
        (f"fnr {spaced(FNR, '-')} takk", f"fnr {MASK} takk"),
        (f"fnr {spaced(FNR, '.')} takk", f"fnr {MASK} takk"),
        # At the start and end of the text, and on its own.
        (FNR, MASK),
        (spaced(FNR), MASK),
        (f"{FNR} er nummeret", f"{MASK} er nummeret"),
        (f"nummeret er {spaced(FNR, '-')}", f"nummeret er {MASK}"),
        # Next to punctuation, letters and line breaks.
        (f"({FNR})", f"({MASK})"),
        (f"«{FNR}»", f"«{MASK}»"),
        (f'"{spaced(FNR)}"', f'"{MASK}"'),
        (f"fnr:{FNR};", f"fnr:{MASK};"),
        (f"Er det {FNR}?", f"Er det {MASK}?"),
        (f"{FNR}!", f"{MASK}!"),
        (f"fnr{FNR}x", f"fnr{MASK}x"),
        (f"linje én\n{FNR}\nlinje tre", f"linje én\n{MASK}\nlinje tre"),
        (f"-{FNR}-", f"-{MASK}-"),
        (f".{FNR}.", f".{MASK}."),
        # D-, H- and synthetic numbers: the "date" is not a real date, the checksum is right.
        (f"D-nummer: {D_NUMBER}", f"D-nummer: {MASK}"),
        (f"H-nummer: {spaced(H_NUMBER)}", f"H-nummer: {MASK}"),
        (f"testnummer {SYNTHETIC}", f"testnummer {MASK}"),
        # Several in one text, of different kinds and spellings.
        (
            f"Mor: {FNR}, far: {spaced(FNR_2, '-')} og meg: {D_NUMBER}.",
            f"Mor: {MASK}, far: {MASK} og meg: {MASK}.",
        ),
        (f"{FNR} {FNR_2}", f"{MASK} {MASK}"),
        (f"{FNR},{FNR_2}", f"{MASK},{MASK}"),
        # A valid ID next to an invalid one: only the valid one goes.
        (f"{broken(FNR)} eller {FNR}", f"{broken(FNR)} eller {MASK}"),
        # Other text around it stays byte for byte, emoji and all.
        (f"  Hei 👋 {FNR}\t🙂 ", f"  Hei 👋 {MASK}\t🙂 "),
        # Any other grouping, with any separator.
        (f"{FNR[:5]} {FNR[5:]}", MASK),
        (f"{FNR[:6]}  {FNR[6:]}", MASK),
        (f"{FNR[:6]}/{FNR[6:]}", MASK),
        (f"{FNR[:6]} - {FNR[6:]}", MASK),
        (f"{FNR[:3]} {FNR[3:6]} {FNR[6:]}", MASK),
        # A phone number right before it does not hide it.
        (f"Ring 22 33 44 55 om {FNR}", f"Ring 22 33 44 55 om {MASK}"),
    ],
)
def test_national_ids_are_masked(text: str, expected: str) -> None:
    assert mask_national_ids(text) == expected
    assert contains_national_id(text)
    assert not contains_national_id(mask_national_ids(text))


# -- What is left alone ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hei! Jeg trenger hjelp med hjemmesykepleie til mor.",
        # The checksum fails: not an ID.
        f"Nummeret er {broken(FNR)}.",
        f"Nummeret er {spaced(broken(FNR))}.",
        "01010100000",
        "12345678901",
        # Part of a longer run of digits.
        f"1{FNR}",
        f"{FNR}0",
        f"kontonummer 9{FNR}9",
        f"{FNR}{FNR_2}",
        f"{spaced(FNR)}7",
        f"4{spaced(FNR, '-')}",
        # Grouped as an account number (4 + 2 + 5).
        f"{FNR[:4]}.{FNR[4:6]}.{FNR[6:]}",
        f"Kontonummer: {FNR[:4]} {FNR[4:6]} {FNR[6:]}",
        # Too far apart to be one written number.
        f"{FNR[:6]}    {FNR[6:]}",
        f"{FNR[:6]} og {FNR[6:]}",
        # Phone numbers.
        "Ring meg på 22 33 44 55.",
        "Telefon: +47 22334455",
        "Mobil +47 912 34 567 eller 004791234567",
        "Legevakten: 116117, nødnummer 113",
        # A date of birth followed by a phone number.
        "Født 170340, telefon 91234567",
        # Dates, times, prices, postal codes, case numbers.
        "Født 17.03.1940, time 01.04.2026 kl. 08:00",
        "Mandag 24. november 2026 kl. 14.30",
        "Det koster kr 1 234,50 eller 12 345,00 kr i måneden.",
        "Egenandelen er 2 489 kroner per år (2026).",
        "Adresse: Storgata 1, 0155 Oslo",
        "Saksnummer 2026/123456-12",
    ],
)
def test_other_text_is_left_untouched(text: str) -> None:
    assert mask_national_ids(text) == text
    assert not contains_national_id(text)


def test_a_long_message_with_many_numbers() -> None:
    filler = "Mor trenger hjelp, ring 22 33 44 55 eller 91234567. "
    text = (filler + FNR + " " + broken(FNR_2) + " ") * 40
    masked = mask_national_ids(text)
    assert masked == (filler + MASK + " " + broken(FNR_2) + " ") * 40
    assert FNR not in masked


# -- Properties ------------------------------------------------------------------------------

# No character that reads as a digit: not 0-9, nor full-width, superscript or other digits.
NO_DIGITS = st.text(st.characters(exclude_categories=("Nd", "No", "Cs")))


@st.composite
def generated_ids(draw: st.DrawFn) -> str:
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    kind = draw(st.sampled_from(["fnr", "d", "h", "synthetic"]))
    number = draw(st.integers(min_value=0, max_value=999))
    found = national_id(birth, number, kind)
    if found is None:
        found = valid_id(birth, 0, kind)
    return found


@st.composite
def written_ids(draw: st.DrawFn) -> tuple[str, str]:
    """(the 11 digits, the ID as written in the text)."""
    digits = draw(generated_ids())
    separator = draw(st.sampled_from(["", " ", ".", "-"]))
    return digits, digits[:6] + separator + digits[6:]


@UNHURRIED
@given(NO_DIGITS)
def test_text_without_digits_is_returned_unchanged(text: str) -> None:
    assert mask_national_ids(text) == text
    assert not contains_national_id(text)


@UNHURRIED
@given(generated_ids())
def test_every_generated_id_is_valid(number: str) -> None:
    assert is_valid_national_id(number)
    assert mask_national_ids(number) == MASK


@UNHURRIED
@given(NO_DIGITS, written_ids(), NO_DIGITS)
def test_an_id_between_any_other_text_is_masked(
    before: str, written: tuple[str, str], after: str
) -> None:
    digits, as_written = written
    masked = mask_national_ids(before + as_written + after)
    assert masked == before + MASK + after
    assert digits not in masked.replace(" ", "").replace("-", "").replace(".", "")


@UNHURRIED
@given(st.lists(st.tuples(NO_DIGITS.filter(bool), written_ids()), min_size=1, max_size=6))
def test_no_digit_of_any_id_survives(parts: list[tuple[str, tuple[str, str]]]) -> None:
    text = "".join(between + as_written for between, (_, as_written) in parts)
    masked = mask_national_ids(text)
    assert 1 <= masked.count(MASK) <= len(parts)  # IDs side by side may be one span
    assert not any(c in "0123456789" for c in masked)


@UNHURRIED
@given(st.text(st.sampled_from("0123456789 .-+/,abcø\n\u00a0\u200b\uff11")))
def test_contains_agrees_with_mask(text: str) -> None:
    masked = mask_national_ids(text)
    assert contains_national_id(text) == (masked != text)
    assert mask_national_ids(masked) == masked
