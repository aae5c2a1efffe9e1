"""The catalogue invents nothing: every number and source traces back to shared/facts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from services_catalog.loader import Catalogue
from services_catalog.schemas import Contact
from tests.conftest import SHARED

FACTS = (SHARED / "facts" / "oslo_services.md").read_text("utf-8")
FACT_DIGITS = re.sub(r"\D", "", FACTS)
FACT_HOSTS = {urlparse(url).hostname for url in re.findall(r"https?://[^\s)>\]]+", FACTS)}
# A run of digits that may be split by spaces: a phone number, a price, a postcode.
NUMBER = re.compile(r"\+?\d[\d ]{1,}\d")


def _contacts(catalogue: Catalogue) -> Iterator[tuple[str, Contact]]:
    for contact in catalogue.city_contacts:
        yield "contacts.yml", contact
    for service in catalogue.services:
        for contact in service.contacts:
            yield service.slug, contact
        for offer in service.district_offers:
            if offer.contact:
                yield f"{service.slug}/{offer.district}", offer.contact
    for district in catalogue.districts:
        for contact in district.contacts:
            yield district.slug, contact


def test_every_phone_number_is_in_the_facts(catalogue: Catalogue) -> None:
    phones = [(where, c.phone) for where, c in _contacts(catalogue) if c.phone]
    assert len(phones) > 10
    invented = [
        (where, phone) for where, phone in phones if re.sub(r"\D", "", phone) not in FACT_DIGITS
    ]
    assert invented == []


def _texts(catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    for service in catalogue.services:
        for kind in ("who", "how_to_apply", "cost", "legal_basis", "where_to_ask"):
            fact = getattr(service, kind)
            if fact is not None:
                yield f"{service.slug}.{kind}", fact.text
        for offer in service.district_offers:
            yield f"{service.slug}/{offer.district}", offer.description


def test_every_number_in_a_fact_is_in_the_facts(catalogue: Catalogue) -> None:
    """Prices, ages, days and law paragraphs: a number the dossier lacks was made up."""
    unknown = [
        (where, number)
        for where, text in _texts(catalogue)
        for number in NUMBER.findall(text)
        if re.sub(r"\D", "", number) not in FACT_DIGITS
    ]
    assert unknown == []


def test_every_source_is_one_the_facts_cite(catalogue: Catalogue) -> None:
    sources = {str(c.source) for _, c in _contacts(catalogue)}
    for service in catalogue.services:
        for kind in ("who", "how_to_apply", "cost", "legal_basis", "where_to_ask"):
            fact = getattr(service, kind)
            if fact is not None:
                sources.add(str(fact.source))
        sources.update(str(offer.source) for offer in service.district_offers)
    for district in catalogue.districts:
        sources.update(str(note.source) for note in district.notes)
    assert {urlparse(source).hostname for source in sources} <= FACT_HOSTS


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_service_is_explained_in_short_sentences(catalogue: Catalogue, language: str) -> None:
    for service in catalogue.services:
        text = getattr(service.summary, language)
        assert text, f"{service.slug} has no {language} summary"
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
        assert 2 <= len(sentences) <= 5, (service.slug, language, len(sentences))
