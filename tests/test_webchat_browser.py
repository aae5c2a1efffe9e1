"""The web chat in a real browser, against the real stack: the API, the action server and Rasa.

Needs the trained model (`make model`), `node_modules` (`npm ci`: Punkt and axe-core) and
Debian's Chromium (installed by `tests/browser.py` when missing). Screenshots of every step go
to var/artifacts/screenshots/.

Zoom: a browser at 200 % on a 1280 px wide window lays the page out in 640 CSS pixels and draws
each CSS pixel with 2 device pixels. A 640 px viewport with device_scale_factor=2 is exactly
that, media queries included; CSS `zoom` on the page is not (it leaves the viewport and media
queries alone). The 320 px case is WCAG 1.4.10's reflow width (1280 px at 400 %).
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from api.accounts.service import create_staff
from api.main import create_app
from api.webchat import views
from core.config import Settings, get_settings
from core.database import make_engine, make_session_factory
from core.migrations import upgrade_database
from devtools.stack import Stack, assistant
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue
from tests.browser import axe_violations, chromium, describe_violations, screenshot
from tests.databases import fresh_database
from tests.servers import serve

MODEL = Path(get_settings().rasa_model)
ANSWER_MS = 90_000  # one turn through the API and Rasa; the first is the slowest
STORE = "seniorveiviser.chat.v1"
SERIOUS = {"serious", "critical"}
ASSISTANT_REPLIES = "#log .msg--assistant:not(.msg--welcome)"
QUESTION = "Hva koster trygghetsalarm?"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def database_url(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite only: the page does not care which database the API uses."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("webchat-db")) as url:
        upgrade_database(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session, session.begin():
            save_catalogue(session, catalogue)
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    with assistant(database_url, tmp_path_factory.mktemp("webchat-stack")) as running:
        yield running


@pytest.fixture(scope="module")
def site(stack: Stack) -> str:
    """The stack's API, which serves the page at its root."""
    return stack.api_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def axe_report() -> Iterator[dict[str, list[dict[str, Any]]]]:
    """Every axe run's violations by step, printed at the end of the module."""
    report: dict[str, list[dict[str, Any]]] = {}
    yield report
    for step, violations in report.items():
        print(f"\naxe, {step}:\n{describe_violations(violations)}")


PAGE_ERRORS: dict[int, list[str]] = {}


def new_page(browser: Browser, **options: Any) -> tuple[BrowserContext, Page]:
    # bypass_csp: the page's Content-Security-Policy forbids inline scripts, axe included.
    context = browser.new_context(locale="nb-NO", bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    errors = PAGE_ERRORS.setdefault(id(context), [])
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


def close(context: BrowserContext) -> None:
    """Close the context; the page's JavaScript must not have thrown."""
    errors = PAGE_ERRORS.pop(id(context), [])
    context.close()
    assert not errors, errors


def open_chat(page: Page, site: str) -> None:
    page.goto(site)
    page.wait_for_selector("body[data-ready]")


def replies(page: Page) -> list[str]:
    return page.locator(f"{ASSISTANT_REPLIES} .msg__text").all_inner_texts()


def wait_for_more_replies(page: Page, than: int) -> list[str]:
    page.wait_for_function(
        "([selector, count]) => document.querySelectorAll(selector).length > count"
        " && !document.querySelector('#log .msg__state')",
        arg=[ASSISTANT_REPLIES, than],
    )
    return replies(page)[than:]


def ask(page: Page, text: str) -> list[str]:
    before = len(replies(page))
    page.fill("#message", text)
    page.press("#message", "Enter")
    return wait_for_more_replies(page, before)


def stored(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(f"JSON.parse(sessionStorage.getItem('{STORE}'))")
    return state


def check_axe(page: Page, step: str, report: dict[str, list[dict[str, Any]]]) -> None:
    violations = axe_violations(page)
    report[step] = violations
    print(f"axe, {step}:\n{describe_violations(violations)}")
    serious = [v for v in violations if v["impact"] in SERIOUS]
    assert not serious, describe_violations(serious)


def no_sideways_scrolling(page: Page) -> None:
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"horizontal scrolling: scrollWidth/clientWidth = {widths}"


def composer_usable(page: Page) -> None:
    viewport = page.viewport_size
    assert viewport is not None
    for selector in ("#message", "#send"):
        element = page.locator(selector)
        element.scroll_into_view_if_needed()
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box is not None
        assert box["x"] >= 0, selector
        assert box["x"] + box["width"] <= viewport["width"] + 0.5, selector
        assert box["height"] >= 44, f"{selector} is {box['height']} px high"


# ---------------------------------------------------------------- without the stack


def test_the_api_serves_the_page_and_punkt(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    with TestClient(app) as client:
        page = client.get("/")
        assert page.status_code == 200, "api/main.py must include api.webchat.views.router"
        assert '<html lang="nb">' in page.text
        assert "{{" not in page.text
        assert "default-src 'none'" in page.headers["content-security-policy"]
        for path in (
            "/static/chat.js",
            "/static/chat.css",
            "/static/punkt/css/pkt-base.min.css",
            "/static/punkt/css/elements/button.min.css",
            "/static/punkt/fonts/OsloSans-Regular.woff2",
            "/static/punkt/logos/oslologo.svg",
        ):
            assert client.get(path).status_code == 200, f"{path}: run `npm ci`"
        assert client.get("/static/../views.py").status_code == 404
        assert client.get("/static/punkt/css/../../package.json").status_code == 404


def test_without_node_modules_the_page_says_what_to_run(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    monkeypatch.setitem(views.PUNKT_FOLDERS, "css", tmp_path / "missing")
    with caplog.at_level(logging.WARNING, logger=views.__name__):
        views.warn_if_punkt_missing()
    assert "npm ci" in caplog.text


def test_the_page_stands_on_its_own_without_punkt(browser: Browser, database_url: str) -> None:
    """No node_modules: the page's own stylesheet keeps it large, clear and reflowing."""
    with serve(create_app(Settings(database_url=database_url))) as url:
        context, page = new_page(browser, viewport={"width": 320, "height": 640})
        page.route("**/static/punkt/**", lambda route: route.abort("failed"))
        open_chat(page, url)
        sizes = page.evaluate(
            """() => [getComputedStyle(document.body).fontSize,
                      getComputedStyle(document.querySelector('#message')).fontSize]"""
        )
        assert all(float(size.removesuffix("px")) >= 18 for size in sizes), sizes
        no_sideways_scrolling(page)
        composer_usable(page)
        screenshot(page, "13-without-punkt")
        close(context)


# ---------------------------------------------------------------- with the stack


def test_a_conversation_by_keyboard_then_a_quick_reply(
    browser: Browser, site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)

    privacy = page.locator("#privacy")
    expect(privacy).to_have_attribute("open", "")
    expect(privacy).to_contain_text("fødselsnummer")
    expect(privacy).to_contain_text("Slett samtalen")
    base = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(base.removesuffix("px")) >= 18, f"body text is {base}"
    screenshot(page, "01-start")
    check_axe(page, "start", axe_report)

    # Keyboard only: Tab to the field (every stop shows a focus ring), type, press Enter.
    for _ in range(20):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {id: e.id, tag: e.tagName, text: e.textContent.trim().slice(0, 40),
                        outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"""
        )
        assert focus["outline"] != "none", f"no focus ring: {focus}"
        assert focus["width"] >= 2, f"thin focus ring: {focus}"
        if focus["id"] == "message":
            break
    else:
        pytest.fail("Tab never reached the message field")
    page.keyboard.type(QUESTION)
    screenshot(page, "02-typed-with-focus", full_page=False)
    page.keyboard.press("Enter")
    answer = wait_for_more_replies(page, 0)
    assert any("Trygghetsalarm" in text for text in answer), answer
    expect(page.locator("#log .msg--user").last).to_contain_text(QUESTION)
    expect(privacy).not_to_have_attribute("open", "")
    assert page.evaluate("document.activeElement.id") == "message"
    screenshot(page, "03-answer")

    # A quick reply: its title shows in the transcript, its payload goes to the assistant.
    choice = page.locator("#log .choices button").first
    title = choice.inner_text().strip()
    before = len(replies(page))
    choice.click()
    following = wait_for_more_replies(page, before)
    assert following, "no answer to the quick reply"
    english = [text for text in following if "Source:" in text or "in Norwegian" in text]
    assert not english, f"the quick reply's payload switched the assistant to English: {english}"
    last_said = page.locator("#log .msg--user").last
    expect(last_said).to_contain_text(title)
    expect(last_said).not_to_contain_text("/ask_")
    screenshot(page, "04-quick-reply")
    check_axe(page, "conversation", axe_report)

    # Reloading keeps the conversation (same id, same transcript).
    conversation_id = stored(page)["conversationId"]
    assert conversation_id.startswith("web:")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert stored(page)["conversationId"] == conversation_id
    expect(page.locator("#log .msg--user").last).to_contain_text(title)
    close(context)


def test_an_emergency_reply_is_an_alert_with_numbers_to_tap_and_in_view(
    browser: Browser, site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    context, page = new_page(browser, viewport={"width": 375, "height": 667}, is_mobile=True)
    open_chat(page, site)
    ask(page, "Hva koster trygghetsalarm?")  # some history, so the alert must be scrolled to
    ask(page, "Mannen min har klemmende smerter i brystet og er kaldsvett")
    alert = page.locator("#log .msg--emergency").last
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Ring 113")
    expect(alert.locator('a[href="tel:113"]')).to_have_count(1)
    expect(alert).to_be_in_viewport()
    legevakt = page.locator('#log a[href="tel:116117"]').last
    expect(legevakt).to_have_text("116 117")
    colours = alert.evaluate(
        "e => [getComputedStyle(e).borderLeftColor, getComputedStyle(e).backgroundColor]"
    )
    assert colours[0] == "rgb(168, 40, 28)", colours  # Oslo red, as the 113 banner
    screenshot(page, "15-emergency-alert", full_page=False)
    check_axe(page, "emergency alert", axe_report)
    close(context)


def test_call_us_instead_shows_the_catalogues_numbers(
    browser: Browser, site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)
    response = page.request.get(f"{site}/api/contacts")
    assert response.ok, f"GET /api/contacts: {response.status}"
    body = response.json()
    contacts = body if isinstance(body, list) else body.get("items") or body.get("contacts")
    phones = {contact.get("key"): contact["phone"] for contact in contacts if contact.get("phone")}
    keyed = "GET /api/contacts must give each well-known contact its `key` (ContactOut.key)"
    assert phones.get("emergency") == "113", keyed
    assert phones.get("legevakt") == "116 117", keyed

    toggle = page.locator("#call-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = page.locator("#call-panel")
    expect(panel).to_be_visible()
    emergency = panel.locator(".call-list__item--emergency")
    expect(emergency).to_contain_text("113")
    expect(emergency).to_contain_text("Nødnummer")
    expect(emergency.locator("a")).to_have_attribute("href", "tel:113")
    expect(panel).to_contain_text("116 117")
    expect(panel.locator('a[href="tel:116117"]')).to_be_visible()
    if "switchboard" in phones:
        expect(panel).to_contain_text(phones["switchboard"])
    expect(page.locator("#emergency")).to_contain_text("113")
    screenshot(page, "05-call-us-instead")
    check_axe(page, "call us instead", axe_report)
    close(context)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("06-zoom-200", {"viewport": {"width": 640, "height": 900}, "device_scale_factor": 2}),
        ("07-reflow-320", {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2}),
        (
            "08-phone-375",
            {
                "viewport": {"width": 375, "height": 667},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            },
        ),
    ],
)
def test_zoomed_and_small_screens_need_no_sideways_scrolling(
    browser: Browser,
    site: str,
    axe_report: dict[str, list[dict[str, Any]]],
    name: str,
    options: dict[str, Any],
) -> None:
    context, page = new_page(browser, **options)
    open_chat(page, site)
    no_sideways_scrolling(page)
    composer_usable(page)
    answer = ask(page, QUESTION)
    assert any("Trygghetsalarm" in text for text in answer), answer
    page.locator("#call-toggle").click()
    page.wait_for_selector(".call-list__phone")
    no_sideways_scrolling(page)
    composer_usable(page)
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box is not None
        assert box["height"] >= 44, f"{button}: {box}"
        assert box["width"] >= 44, f"{button}: {box}"
    screenshot(page, name)
    check_axe(page, name, axe_report)
    close(context)


def test_when_the_assistant_is_down_nothing_typed_is_lost(
    browser: Browser, site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)
    down = json.dumps(
        {"type": "about:blank", "title": "Service Unavailable", "status": 503, "detail": "Nede."}
    )

    def unavailable(route: Route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=503, body=down, content_type="application/problem+json")
        else:
            route.fallback()

    page.route("**/api/chat/conversations/*/messages", unavailable)
    page.fill("#message", QUESTION)
    page.press("#message", "Enter")
    problem = page.locator("#problem")
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("role", "alert")
    expect(problem).to_contain_text("Prøv igjen")
    contacts = page.request.get(f"{site}/api/contacts").json()
    contacts = contacts if isinstance(contacts, list) else contacts.get("items", [])
    switchboard = next((c["phone"] for c in contacts if c.get("key") == "switchboard"), None)
    if switchboard:
        expect(problem).to_contain_text(switchboard)
    unsent = page.locator("#log .msg--user").last
    expect(unsent).to_contain_text(QUESTION)
    expect(unsent).to_contain_text("Ikke sendt")
    screenshot(page, "09-assistant-down")
    check_axe(page, "assistant down", axe_report)

    # The network drops too: still nothing lost.
    page.unroute("**/api/chat/conversations/*/messages")
    page.route("**/api/chat/conversations/*/messages", lambda route: route.abort("failed"))
    page.locator("#retry").click()
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("internett")
    expect(unsent).to_contain_text(QUESTION)

    page.unroute("**/api/chat/conversations/*/messages")
    page.locator("#retry").click()
    answer = wait_for_more_replies(page, 0)
    assert any("Trygghetsalarm" in text for text in answer), answer
    expect(problem).to_be_hidden()
    expect(unsent).not_to_contain_text("Ikke sendt")
    screenshot(page, "10-sent-after-retry")
    close(context)


def test_erasing_the_conversation(
    browser: Browser, site: str, stack: Stack, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)
    ask(page, QUESTION)
    old_id = stored(page)["conversationId"]
    assert "trygghetsalarm" in _tracker_text(stack, old_id)

    page.locator("#delete-open").click()
    dialog = page.locator("#delete-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#delete-cancel")).to_be_focused()
    screenshot(page, "11-confirm-erase", full_page=False)
    check_axe(page, "confirm erase", axe_report)

    # "No" keeps everything.
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#log .msg--user")).to_have_count(1)

    page.locator("#delete-open").click()
    page.locator("#delete-confirm").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#log .msg")).to_have_count(1)  # only the greeting
    expect(page.locator("#status")).to_contain_text("slettet")
    expect(page.locator("#privacy")).to_have_attribute("open", "")
    expect(page.locator("#message")).to_be_focused()
    page.wait_for_function(
        f"(old) => (JSON.parse(sessionStorage.getItem('{STORE}')) || {{}}).conversationId !== old",
        arg=old_id,
    )
    assert "trygghetsalarm" not in _tracker_text(stack, old_id)
    screenshot(page, "12-erased")

    # A new conversation starts at once.
    answer = ask(page, QUESTION)
    assert any("Trygghetsalarm" in text for text in answer), answer
    assert stored(page)["conversationId"] not in (None, old_id)
    close(context)


def _tracker_text(stack: Stack, conversation_id: str) -> str:
    """What Rasa remembers of a conversation, lower-cased."""
    sender = urllib.parse.quote(conversation_id, safe=":")
    url = f"{stack.rasa_url}/conversations/{sender}/tracker"
    request = urllib.request.Request(url, headers=stack.rasa_headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        tracker: dict[str, Any] = json.loads(response.read())
    return json.dumps(tracker.get("events") or [], ensure_ascii=False).lower()


def test_a_staff_reply_appears_in_the_open_chat(
    browser: Browser,
    site: str,
    stack: Stack,
    database_url: str,
    axe_report: dict[str, list[dict[str, Any]]],
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)
    ask(page, QUESTION)
    conversation = stored(page)["conversationId"]
    engine = make_engine(database_url)
    with make_session_factory(engine)() as session, session.begin():
        create_staff(session, "webchat-staff", "a long staff password", "gamle-oslo")
    engine.dispose()
    ticket = {
        "district": "gamle-oslo",
        "for_whom": "self",
        "contact_method": "chat",
        "consent": {"text": "Får jeg sende dette?", "given_at": "2026-11-23T10:00:00+00:00"},
        "channel": "web",
        "conversation_id": conversation,
    }
    with httpx.Client(base_url=stack.api_url, timeout=30) as api:
        api.post(
            "/api/tickets",
            json=ticket,
            headers={
                "Authorization": f"Bearer {stack.token('assistant')}",
                "Idempotency-Key": "webchat-staff-reply-test",
            },
        ).raise_for_status()
        login = {"username": "webchat-staff", "password": "a long staff password"}
        token = api.post("/api/auth/token", data=login).json()["access_token"]
        staff = {"Authorization": f"Bearer {token}"}
        ticket_id = api.get("/api/staff/tickets", headers=staff).json()["items"][0]["id"]
        reply = "Hei! Dette er Gamle Oslo. Vi ringer deg i morgen formiddag."
        api.post(
            f"/api/staff/tickets/{ticket_id}/replies", headers=staff, json={"text": reply}
        ).raise_for_status()
    staff_message = page.locator("#log .msg--staff")
    expect(staff_message).to_contain_text(reply, timeout=20_000)
    expect(staff_message).to_contain_text("Gamle Oslo")
    screenshot(page, "14-staff-reply")
    check_axe(page, "staff reply", axe_report)
    close(context)
