"""People misspell, split and shorten service names; search still finds the service."""

from __future__ import annotations

from typing import Any

import pytest

from services_catalog.places import PlaceStatus
from services_catalog.snapshot import CatalogueSnapshot
from tests.test_contract import DISTRICTS

MISSPELLINGS = [
    ("hjemesykepleie", "hjemmesykepleie"),
    ("hjemmesykepleje", "hjemmesykepleie"),
    ("hjemme sykepleie", "hjemmesykepleie"),
    ("Hjemmesykepleien", "hjemmesykepleie"),
    ("trygghetsalarn", "trygghetsalarm"),
    ("trygghets alarm pris", "trygghetsalarm"),
    ("tryghetsalarm", "trygghetsalarm"),
    ("sykehjems plassen", "sykehjem"),
    ("sykehjem", "sykehjem"),
    ("hjemme hjelp", "praktisk-bistand"),
    ("hjemmehjelp", "praktisk-bistand"),
    ("praktisk bistan", "praktisk-bistand"),
    ("dagsentret for demente", "dagsenter"),
    ("dagsentre", "dagsenter"),
    ("hukomelsesteam", "hukommelsesteam"),
    ("demens team", "hukommelsesteam"),
    ("matombringning", "matombringing"),
    ("middag levert", "matombringing"),
    ("avlasting", "avlastning"),
    ("TT kort", "tt-kort"),
    ("tt-kortet", "tt-kort"),
    ("rulator", "hjelpemidler"),
    ("legevakta", "legevakt"),
    ("116117", "legevakt"),
    ("seniorsentre", "seniorsenter"),
    ("eldresenter", "seniorsenter"),
    ("støttekontackt", "stottekontakt"),
    ("stottekontakt", "stottekontakt"),
    ("brukerstyrt personlig asistanse", "bpa"),
    ("BPA", "bpa"),
    ("hverdags rehabilitering", "hverdagsrehabilitering"),
    ("korttids opphold", "korttidsopphold"),
    ("medisin dispenser", "medisindispenser"),
    ("fot pleie", "fotpleie"),
    ("frisklivsentral", "frisklivssentral"),
    ("fysioterapaut", "fysioterapi"),
    ("ergoterapeut", "ergoterapi"),
    ("omsorg pluss", "omsorg-pluss"),
    ("omsorgsstønad", "omsorgsstonad"),
    ("omsorgslønn", "omsorgsstonad"),
    ("pårørende skole", "parorendestotte"),
    ("seniorveiledar", "seniorveileder"),
    ("helseveiviseren", "helseveiviser"),
    ("forebyggende hjemmebesok", "forebyggende-hjemmebesok"),
    ("rosa busser", "aldersvennlig-transport"),
    ("home nursing", "hjemmesykepleie"),
    ("dagsenterplass", "dagsenter"),
    ("trygghetsalarmene", "trygghetsalarm"),
    ("sykehjemsplassen", "sykehjem"),
    ("day centre", "dagsenter"),
]


@pytest.mark.parametrize(("query", "slug"), MISSPELLINGS)
def test_misspelled_names_find_the_service(
    snapshot: CatalogueSnapshot, query: str, slug: str
) -> None:
    hits = snapshot.search.search(query)
    assert hits, f"nothing found for {query!r}"
    assert hits[0].service.slug == slug


def test_a_need_finds_every_service_that_answers_it(snapshot: CatalogueSnapshot) -> None:
    slugs = {hit.service.slug for hit in snapshot.search.search("medisiner")}
    assert slugs == {"hjemmesykepleie", "medisindispenser"}


def test_a_name_inside_a_sentence_is_found(snapshot: CatalogueSnapshot) -> None:
    hits = snapshot.search.search("Hvordan søker mor om trygghetsalarm i Bydel Alna?")
    assert hits[0].service.slug == "trygghetsalarm"


@pytest.mark.parametrize(
    "query", ["", "   ", "xyzzy", "hva er klokka", "🙂🙂", "'; DROP TABLE service;--"]
)
def test_unrelated_text_finds_nothing(snapshot: CatalogueSnapshot, query: str) -> None:
    assert snapshot.search.search(query) == []


def _unambiguous_places() -> list[tuple[str, str]]:
    straddling = set(DISTRICTS["ambiguous_neighbourhoods"])
    return [
        (place, district["slug"])
        for district in DISTRICTS["districts"]
        for place in (district["name"], *district["neighbourhoods"])
        if place not in straddling
    ]


@pytest.mark.parametrize(("place", "slug"), _unambiguous_places())
def test_every_neighbourhood_resolves_to_its_district(
    snapshot: CatalogueSnapshot, place: str, slug: str
) -> None:
    match = snapshot.places.resolve(place)
    assert match.status is PlaceStatus.found
    assert [d.slug for d in match.districts] == [slug]


@pytest.mark.parametrize(("place", "slugs"), list(DISTRICTS["ambiguous_neighbourhoods"].items()))
def test_straddling_neighbourhoods_give_candidates(
    snapshot: CatalogueSnapshot, place: str, slugs: list[Any]
) -> None:
    match = snapshot.places.resolve(place)
    assert match.status is PlaceStatus.ambiguous
    assert sorted(d.slug for d in match.districts) == sorted(slugs)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("bydel Alna", "alna"),
        ("Bydel Søndre Nordstrand", "sondre-nordstrand"),
        ("Søndre Nordstrand", "sondre-nordstrand"),
        ("Nordstrand", "nordstrand"),
        ("mor bor på Lambertseter", "nordstrand"),
        ("nei, hun bor på Bøler", "ostensjo"),
        ("vi bor på Holmlia", "sondre-nordstrand"),
        ("grunerlokka", "grunerlokka"),
        ("Lambertseterr", "nordstrand"),
        ("far bor på Voksen", "vestre-aker"),
        ("i live near Røa", "vestre-aker"),
    ],
)
def test_places_in_sentences_and_with_typos(
    snapshot: CatalogueSnapshot, text: str, slug: str
) -> None:
    match = snapshot.places.resolve(text)
    assert match.status is PlaceStatus.found, match
    assert match.districts[0].slug == slug


@pytest.mark.parametrize(
    "text", ["jeg er voksen", "kampen mot ensomhet", "Oslo", "", "postnummer 0150", "Trondheim"]
)
def test_everyday_words_and_unknown_places_resolve_to_nothing(
    snapshot: CatalogueSnapshot, text: str
) -> None:
    assert snapshot.places.find_in_text(text).status is PlaceStatus.not_found


def test_two_different_places_in_one_sentence_are_ambiguous(snapshot: CatalogueSnapshot) -> None:
    match = snapshot.places.find_in_text("mor bor på Bøler og far bor på Holmlia")
    assert match.status is PlaceStatus.ambiguous
    assert {d.slug for d in match.districts} == {"ostensjo", "sondre-nordstrand"}
