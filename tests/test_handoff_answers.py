"""Reading the handoff form's short answers: pure text parsing, no database."""

from __future__ import annotations

from typing import Any

import pytest

from actions.handoff import answers


@pytest.mark.parametrize(
    ("text", "kinds", "expected"),
    [
        ("Meg selv", answers.FOR_WHOM, "self"),
        ("det gjelder meg", answers.FOR_WHOM, "self"),
        ("Myself", answers.FOR_WHOM, "self"),
        ("En pårørende", answers.FOR_WHOM, "relative"),
        ("jeg spør for min mor", answers.FOR_WHOM, "relative"),
        ("for bestefar", answers.FOR_WHOM, "relative"),
        ("my father", answers.FOR_WHOM, "relative"),
        ("Vet ikke", answers.AGREES, "unsure"),
        ("Nei, hun vet ikke om det", answers.AGREES, "unsure"),
        ("nei", answers.AGREES, "no"),
        ("ja, han er enig", answers.AGREES, "yes"),
        ("Ring meg", answers.CONTACT, "phone"),
        ("helst på telefon", answers.CONTACT, "phone"),
        ("Svar her i chatten", answers.CONTACT, "chat"),
        ("write to me here", answers.CONTACT, "chat"),
        ("Ja, send", answers.CONSENT, "yes"),
        ("Nei, ikke send", answers.CONSENT, "no"),
        ("Yes, send it", answers.CONSENT, "yes"),
        ("hva er klokka", answers.CONSENT, None),
        ("blå", answers.CONTACT, None),
    ],
)
def test_short_answers_are_read(text: str, kinds: Any, expected: str | None) -> None:
    assert answers.choose(text, kinds) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("41234567", "412 34 567"),
        ("+47 412 34 567", "412 34 567"),
        ("0047 22 33 44 55", "22 33 44 55"),
        ("22-33-44-55", "22 33 44 55"),
        ("1234", None),
        ("12345678", None),  # Norwegian numbers do not start with 0 or 1
        ("01019012345", None),  # eleven digits: never taken as a phone number
        ("ring meg", None),
    ],
)
def test_phone_numbers(text: str, expected: str | None) -> None:
    assert answers.norwegian_phone(text) == expected


@pytest.mark.parametrize("text", ["avbryt", "Stopp", "glem det", "cancel", "never mind"])
def test_cancel_words(text: str) -> None:
    assert answers.wants_to_cancel(text)
