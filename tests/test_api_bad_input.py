"""No input gives a 5xx: empty, huge, binary, odd Unicode, SQL or markup, over real HTTP."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.main import create_app
from core.config import Settings
from tests.servers import serve

NASTY = [
    "",
    " ",
    "a" * 201,
    "x" * 1_000_000,
    "\x00",
    "\u202e\u200b\ufeff",
    "e\u0301\u0301\u0301",
    "𝕳𝖏𝖊𝖒𝖒𝖊",
    "🧓🏽" * 50,
    "'; DROP TABLE service; --",
    "1 OR 1=1",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "../../etc/passwd",
]
OVERSIZED = 65_536  # request lines longer than this never reach the application
ROUTES = [
    "/api/services?q={}",
    "/api/services?need={}",
    "/api/services?district={}",
    "/api/services?limit={}",
    "/api/services/{}",
    "/api/districts/{}",
    "/api/districts/resolve?place={}",
]


@pytest.fixture(scope="module")
def base_url(loaded_database_url: str) -> Iterator[str]:
    with serve(create_app(Settings(database_url=loaded_database_url))) as url:
        yield url


def _raw_get(base_url: str, path: str) -> tuple[int, str, bytes]:
    """GET with the standard library, which sends even a 1 MB URL as it is."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("content-type") or "", response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("route", ROUTES)
def test_nasty_input_never_breaks_the_server(base_url: str, route: str) -> None:
    paths = [route.format(quote(value, safe="")) for value in NASTY]
    paths += [route.format(raw) for raw in ("%00", "%ff%fe", "%", "a%zz")]
    for path in paths:
        status, content_type, body = _raw_get(base_url, path)
        assert status < 500, (path[:80], body[:200])
        if status >= 400 and len(path) > OVERSIZED:
            assert status == 400  # refused by the server's HTTP parser before the app
        elif status >= 400:
            assert content_type.startswith("application/problem+json"), (path[:80], status)


def test_wrong_method_is_a_problem_not_a_crash(base_url: str) -> None:
    response = httpx.post(f"{base_url}/api/services", content=b"\x00\xff" * 1000)
    assert response.status_code == 405
    assert response.json()["status"] == 405


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=300))
def test_any_text_searches_cleanly(client: TestClient, query: str) -> None:
    for route in ("/api/services", "/api/districts/resolve"):
        name = "q" if route == "/api/services" else "place"
        response = client.get(route, params={name: query})
        assert response.status_code in (200, 422), (query, response.text[:200])
