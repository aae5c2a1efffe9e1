"""Plain words in the catalogue: caveats survive translation, jargon comes explained."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from services_catalog.loader import Catalogue
from tests.test_content import items

# A caveat in the bokmål summary, and how the nynorsk and English ones say the same.
CAVEATS: dict[str, tuple[str, str, str]] = {
    "no Oslo page found": (
        r"[Vv]i fant (ingen|ikke)",
        r"[Vv]i fann (inga|ikkje)",
        r"[Ww]e found no",
    ),
    "only in some districts": (
        r"(bare i|[Nn]oen) (noen )?bydeler",
        r"(berre i|[Nn]okre) (nokre )?bydelar",
        r"(only in )?some districts",
    ),
    "a national rule": (r"nasjonal", r"nasjonal", r"national"),
    "another municipality": (r"annen kommune", r"annan kommune", r"another municipality"),
    "may have changed": (r"kan være endret", r"kan vere endra", r"may have changed"),
    "not always": (r"ikke alltid", r"ikkje alltid", r"not always"),
    "not a phone": (r"ikke en telefon", r"ikkje ein telefon", r"not a phone"),
    "113 when life is in danger": (r"113", r"113", r"113"),
    "free": (r"gratis", r"gratis", r"free"),
}
# Words a senior may not know: each must come with its meaning, in brackets right after
# it ("vedtak (et skriftlig svar …)") or in a sentence that says what it «betyr».
JARGON = {
    "vedtak": r"(?i:\bvedtak\w*)",
    "lavterskeltilbud": r"(?i:\blavterskel\w*)",
    "grunnbeløp": r"(?i:\bgrunnbeløp\w*)",
    "G as an income band": r"\b\d(?:\s*[–-]\s*\d)?G\b",
    "skattbar nettoinntekt": r"(?i:\bskattbar\w* nettoinntekt)",
    "fribeløp": r"(?i:\bfribeløp\w*)",
    "forvaltningsmelding": r"(?i:\bforvaltningsmelding\w*)",
    "reise med mobilen": r"(?i:reise med mobil\w*)",
}
EXPLAINED = r"(?:\s?\([^)]{12,}\)|»? betyr\b|, det vil si\b)"
# An editor's note is not for seniors.
EDITOR_NOTES = [r"[Ss]jekk nummeret før bruk", r"[Vv]erifiser", r"før publisering"]


def test_the_checks_know_an_explained_word_from_a_bare_one() -> None:
    assert unexplained("Bydelen fatter vedtak.") == ["vedtak"]
    assert unexplained("Du får et vedtak (et skriftlig svar fra bydelen).") == []
    assert unexplained("Inntekt over 3G.") == ["G as an income band"]
    assert unexplained("Over 3G betyr over tre ganger grunnbeløpet (et beløp NAV bruker).") == []


def unexplained(text: str) -> list[str]:
    """The jargon in `text` that nowhere in it comes with its meaning."""
    return [
        name
        for name, word in JARGON.items()
        if re.search(word, text) and not re.search(word + EXPLAINED, text)
    ]


def _person_texts(catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    for item in items(catalogue):
        if not item.where.endswith((".summary.en",)):
            yield item.where, item.text


@pytest.mark.parametrize("language", ["nn", "en"])
def test_a_translated_summary_keeps_every_caveat(catalogue: Catalogue, language: str) -> None:
    column = {"nn": 1, "en": 2}[language]
    dropped = {
        f"{service.slug}.{language}": name
        for service in catalogue.services
        for name, patterns in CAVEATS.items()
        if re.search(patterns[0], service.summary.nb)
        and not re.search(patterns[column], getattr(service.summary, language) or "")
    }
    assert dropped == {}


def test_every_hard_word_comes_with_its_meaning(catalogue: Catalogue) -> None:
    bare = {
        where: words for where, text in _person_texts(catalogue) if (words := unexplained(text))
    }
    assert bare == {}


def test_no_editor_note_reaches_a_senior(catalogue: Catalogue) -> None:
    notes = {
        where: note
        for where, text in _person_texts(catalogue)
        for note in EDITOR_NOTES
        if re.search(note, text)
    }
    assert notes == {}
