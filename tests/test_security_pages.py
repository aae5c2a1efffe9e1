"""Smaller gaps: page headers everywhere, no API docs from a CDN, no conversation id for staff,
naive datetimes refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.config import Settings
from tests.staff import CONSENT, PROBLEM, Desk, bearer, new_key, ticket_payload


@pytest.mark.parametrize("page", ["/", "/staff"])
def test_pages_forbid_framing_and_foreign_scripts(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "copy",
    ["/static/index.html", "/staff/static/inbox.html", "/static/INDEX.HTML", "/shared/staff.html"],
)
def test_a_page_is_never_served_as_a_bare_static_file(client: TestClient, copy: str) -> None:
    assert client.get(copy).status_code == 404


@pytest.mark.parametrize(
    "asset", ["/static/chat.js", "/staff/static/inbox.js", "/static/state.js", "/shared/http.js"]
)
def test_scripts_are_still_served(client: TestClient, asset: str) -> None:
    response = client.get(asset)
    assert response.status_code == 200
    # Module scripts run only with a JavaScript type, and nosniff leaves no guessing.
    assert response.headers["content-type"].startswith("text/javascript")
    # Imported modules carry no content hash: the browser checks each again before use.
    assert response.headers["cache-control"] == "no-cache"


def test_api_docs_are_off_unless_a_setting_turns_them_on(
    client: TestClient, loaded_database_url: str
) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").status_code == 200, "the schema is not a page"
    app = create_app(Settings(database_url=loaded_database_url, api_docs=True))
    with TestClient(app) as with_docs:
        assert with_docs.get("/docs").status_code == 200


def test_staff_never_see_the_persons_conversation_id(desk: Desk) -> None:
    opened = desk.open_ticket()
    headers = desk.auth("staff-frogner")
    detail = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=headers)
    queue = desk.client.get("/api/staff/tickets", headers=headers)
    claimed = desk.client.post(f"/api/staff/tickets/{opened.id}/claim", headers=headers)
    for response in (detail, queue, claimed):
        assert response.status_code == 200
        assert opened.conversation_id not in response.text
        assert "conversation_id" not in response.text


def _post(desk: Desk, **fields: Any) -> Any:
    return desk.client.post(
        "/api/tickets",
        json=ticket_payload(**fields),
        headers={**bearer(desk.assistant_token), "Idempotency-Key": new_key()},
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"consent": {**CONSENT, "given_at": "2026-01-05T10:00:00"}},
        {"transcript": [{"sender": "person", "text": "Hei", "at": "2026-01-05 10:00:00"}]},
    ],
)
def test_a_datetime_without_a_time_zone_is_422(desk: Desk, fields: dict[str, Any]) -> None:
    response = _post(desk, **fields)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "timezone" in response.json()["detail"]


def test_a_datetime_with_a_time_zone_is_taken(desk: Desk) -> None:
    consent = {**CONSENT, "given_at": "2026-01-05T11:00:00+01:00"}
    transcript = [{"sender": "person", "text": "Hei", "at": "2026-01-05T10:00:00Z"}]
    assert _post(desk, consent=consent, transcript=transcript).status_code == 201
