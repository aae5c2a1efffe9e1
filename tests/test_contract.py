"""The catalogue holds everything in shared/contract, under the same slugs and names."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from services_catalog.loader import Catalogue
from tests.conftest import SHARED

CONTRACT = SHARED / "contract"


def _contract(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CONTRACT / name).read_text("utf-8"))
    return data


SERVICES = _contract("services.yml")
DISTRICTS = _contract("districts.yml")


@pytest.mark.parametrize("expected", SERVICES["services"], ids=lambda s: s["slug"])
def test_every_contract_service_is_in_the_catalogue(
    catalogue: Catalogue, expected: dict[str, Any]
) -> None:
    services = {service.slug: service for service in catalogue.services}
    service = services[expected["slug"]]
    assert service.name == expected["name"]
    assert list(service.aliases) == [str(alias) for alias in expected["aliases"]]
    assert list(service.needs) == expected["needs"]


def test_need_tags_match_the_contract(catalogue: Catalogue) -> None:
    assert [(n.slug, n.name) for n in catalogue.needs] == [
        (need["slug"], need["name"]) for need in SERVICES["needs"]
    ]


@pytest.mark.parametrize("expected", DISTRICTS["districts"], ids=lambda d: d["slug"])
def test_every_contract_district_is_in_the_catalogue(
    catalogue: Catalogue, expected: dict[str, Any]
) -> None:
    districts = {district.slug: district for district in catalogue.districts}
    district = districts[expected["slug"]]
    assert (district.name, district.code) == (expected["name"], expected["code"])
    assert list(district.neighbourhoods) == expected["neighbourhoods"]


def test_straddling_neighbourhoods_stay_ambiguous(catalogue: Catalogue) -> None:
    assert catalogue.ambiguous_neighbourhoods == {
        name: tuple(sorted(slugs)) for name, slugs in DISTRICTS["ambiguous_neighbourhoods"].items()
    }
