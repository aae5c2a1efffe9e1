"""The public API, against SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.texts import TEXTS

PROBLEM = "application/problem+json"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_a_service_comes_with_sourced_facts(client: TestClient) -> None:
    response = client.get("/api/services/hjemmesykepleie")
    assert response.status_code == 200
    service = response.json()
    assert service["name"] == "Hjemmesykepleie"
    assert service["cost"]["known"] is True
    assert "gratis" in service["cost"]["text"].lower()
    for kind in ("who", "how_to_apply", "cost", "where_to_ask"):
        assert service[kind]["source"].startswith("https://")
        assert service[kind]["checked_on"]


def test_an_unknown_fact_says_so_and_points_to_the_district(client: TestClient) -> None:
    service = client.get("/api/services/matombringing").json()
    assert service["cost"] == {
        "known": False,
        "text": TEXTS["unknown_fact"]["nb"],
        "source": None,
        "checked_on": None,
        "certainty": None,
        "year": None,
    }


def test_district_narrows_offers_to_that_district(client: TestClient) -> None:
    everywhere = client.get("/api/services/dagsenter").json()["district_offers"]
    assert {offer["district"]["slug"] for offer in everywhere} >= {"nordre-aker", "ostensjo"}
    local = client.get("/api/services/dagsenter", params={"district": "ostensjo"}).json()
    assert local["district"]["name"] == "Østensjø"
    assert local["district_offers"]
    assert {offer["district"]["slug"] for offer in local["district_offers"]} == {"ostensjo"}


def test_unknown_service_is_404_with_a_suggestion(client: TestClient) -> None:
    response = client.get("/api/services/hjemesykepleie")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 404
    assert "'hjemmesykepleie'" in problem["detail"]


def test_search_forgives_typos(client: TestClient) -> None:
    page = client.get("/api/services", params={"q": "hjemesykepleie"}).json()
    assert page["items"][0]["slug"] == "hjemmesykepleie"


def test_search_by_need_and_district(client: TestClient) -> None:
    page = client.get("/api/services", params={"need": "hukommelse", "district": "bjerke"}).json()
    slugs = [item["slug"] for item in page["items"]]
    assert "hukommelsesteam" in slugs
    team = next(item for item in page["items"] if item["slug"] == "hukommelsesteam")
    assert team["local_offers"]


def test_unknown_need_is_a_clear_422(client: TestClient) -> None:
    response = client.get("/api/services", params={"need": "flying"})
    assert response.status_code == 422
    assert "need tag 'flying'" in response.json()["detail"]


def test_list_paginates_with_a_capped_limit(client: TestClient) -> None:
    first = client.get("/api/services", params={"limit": 5}).json()
    second = client.get("/api/services", params={"limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5
    assert first["total"] >= 28
    assert not {i["slug"] for i in first["items"]} & {i["slug"] for i in second["items"]}
    too_many = client.get("/api/services", params={"limit": 10_000})
    assert too_many.status_code == 422
    assert too_many.headers["content-type"] == PROBLEM
    assert too_many.json()["errors"][0]["location"] == "query.limit"


def test_districts_list_all_fifteen(client: TestClient) -> None:
    page = client.get("/api/districts", params={"limit": 100}).json()
    assert page["total"] == 15
    sagene = client.get("/api/districts/sagene").json()
    assert "Torshov" in [place["name"] for place in sagene["straddling_neighbourhoods"]]


def test_resolve_a_place(client: TestClient) -> None:
    found = client.get("/api/districts/resolve", params={"place": "Holmlia"}).json()
    assert found["status"] == "found"
    assert found["district"]["slug"] == "sondre-nordstrand"
    torshov = client.get("/api/districts/resolve", params={"place": "Torshov"}).json()
    assert torshov["status"] == "ambiguous"
    assert {c["slug"] for c in torshov["candidates"]} == {"sagene", "grunerlokka"}
    assert torshov["district"] is None
    nowhere = client.get("/api/districts/resolve", params={"place": "Bergen"}).json()
    assert nowhere["status"] == "not_found"


def test_needs_and_city_contacts(client: TestClient) -> None:
    needs = {need["slug"]: need for need in client.get("/api/needs").json()}
    assert "hjemmesykepleie" in needs["medisiner"]["services"]
    contacts = client.get("/api/contacts").json()
    assert any(contact["phone"] == "113" for contact in contacts)
