"""The staff inbox page at /staff: served with a strict policy, and it never writes HTML."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.inbox.views import STATIC
from api.main import create_app
from api.pages import SHARED_STATIC
from core.config import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    """The app exactly as `python -m api` builds it; the page and its files need no database."""
    return TestClient(create_app(Settings()))


def test_the_page_is_served_with_a_strict_policy(client: TestClient) -> None:
    page = client.get("/staff")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    html = page.text
    assert '<html lang="nb">' in html
    assert "<script>" not in html, "no inline script: the policy would block it"
    assert " style=" not in html
    assets = re.findall(r'(?:src|href)="(/staff/static/[^"?]+)\?v=([0-9a-f]{16})"', html)
    assert len(assets) == 2, "the page links its files by content hash"
    for asset, version in assets:
        response = client.get(f"{asset}?v={version}")
        assert response.status_code == 200, asset
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["x-content-type-options"] == "nosniff"
        # Without the current hash, the browser checks again before using it.
        assert client.get(asset).headers["cache-control"] == "no-cache"


def test_every_form_control_has_a_label(client: TestClient) -> None:
    html = client.get("/staff").text
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*\bid=\"([^\"]+)\"", html)
    assert len(controls) >= 5
    for control in controls:
        assert f'for="{control}"' in html, control


def test_the_script_never_writes_html() -> None:
    modules = [*STATIC.glob("*.js"), *SHARED_STATIC.glob("*.js")]
    script = "\n".join(module.read_text("utf-8") for module in modules)
    for dangerous in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert dangerous not in script, dangerous
    assert "sessionStorage" in script
    assert "localStorage" not in script, "the token lives in this tab only"


def test_the_page_is_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/staff" not in paths
