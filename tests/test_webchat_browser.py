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
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from api.accounts.service import create_staff
from api.main import create_app
from api.webchat import views
from core.config import Settings, get_settings
from core.database import make_engine, transaction
from core.migrations import upgrade_database
from devtools.stack import Stack, assistant
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue
from tests.browser import axe_violations, chromium, describe_violations, screenshot
from tests.databases import fresh_database
from tests.servers import serve
from tests.staff import Desk, open_desk, username
from tests.tracker_store import save_with_rasa, user_said

MODEL = Path(get_settings().rasa_model)
ANSWER_MS = 90_000  # one turn through the API and Rasa; the first is the slowest
STORE = "seniorveiviser.chat.v1"
ASSISTANT_REPLIES = "#log .msg--assistant:not(.msg--welcome)"
QUESTION = "Hva koster trygghetsalarm?"


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def database_url(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite only: the page does not care which database the API uses."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("webchat-db")) as url:
        upgrade_database(url)
        with transaction(url) as session:
            save_catalogue(session, catalogue)
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
    state: dict[str, Any] = page.evaluate(f"JSON.parse(localStorage.getItem('{STORE}'))")
    return state


def check_axe(page: Page, step: str, report: dict[str, list[dict[str, Any]]]) -> None:
    violations = axe_violations(page)
    report[step] = violations
    print(f"axe, {step}:\n{describe_violations(violations)}")
    assert not violations, describe_violations(violations)  # none, of any impact


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


# ---------------------------------------------------------------- coming back (no assistant)
#
# The conversation's earlier turns are written into Rasa's tracker store by Rasa's own code
# (tests/tracker_store.py), as if the person had chatted; staff act through the staff API.

FIRST_LOAD_BUDGET = 120 * 1024
PAYLOAD = '/ask_service{"service": "hjemmesykepleie"}'
STAFF = username("staff")


@pytest.fixture(scope="module")
def desk(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk("sqlite", catalogue, tmp_path_factory.mktemp("webchat-desk")) as opened:
        yield opened


@pytest.fixture(scope="module")
def quiet_site(desk: Desk) -> Iterator[str]:
    """The API with the page, on a real port, over the desk's database; Rasa is not running."""
    with serve(create_app(desk.settings)) as url:
        yield url


def earlier_conversation(desk: Desk, site: str, turns: int = 1) -> str:
    """A new web conversation in which the person already talked with the assistant."""
    conversation_id = str(httpx.post(f"{site}/api/chat/conversations").json()["conversation_id"])
    events: list[dict[str, Any]] = []
    for turn in range(turns):
        at = 1_700_000_000.0 + 10 * turn
        events += [
            user_said("Mor trenger hjelp med medisinene", at),
            {
                "event": "bot",
                "text": "Dette kan passe for mor:",
                "timestamp": at + 1,
                "data": {"buttons": [{"title": "Hjemmesykepleie", "payload": PAYLOAD}]},
            },
            user_said(PAYLOAD, at + 2),
            {"event": "bot", "text": "Hjemmesykepleie er gratis.", "timestamp": at + 3},
        ]
    save_with_rasa(desk.settings, {conversation_id: events})
    return conversation_id


def keep_on_device(page: Page, site: str, conversation_id: str) -> None:
    """What the page stored on this device after that conversation: its id."""
    page.goto(f"{site}/static/chat.css")  # the site's origin, for its localStorage
    page.evaluate(
        "([key, id]) => localStorage.setItem(key, JSON.stringify({conversationId: id}))",
        [STORE, conversation_id],
    )


def test_reload_and_coming_back_keep_the_conversation_and_what_staff_sent_meanwhile(
    browser: Browser, desk: Desk, quiet_site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    conversation_id = earlier_conversation(desk, quiet_site)
    opened = desk.open_ticket(
        contact_method="chat", contact_phone=None, conversation_id=conversation_id
    )
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    keep_on_device(page, quiet_site, conversation_id)
    open_chat(page, quiet_site)
    said = page.locator("#log .msg--user")
    expect(said).to_have_count(2)
    expect(said.last).to_have_text(re.compile("Hjemmesykepleie"))
    expect(said.last).not_to_contain_text("/ask_")
    expect(page.locator("#log .msg--assistant").last).to_contain_text("gratis")
    expect(page.locator("#log .choices")).to_have_count(0)  # old choices no longer fit

    # Staff take the case and answer while the page is open: both arrive without a reload.
    desk.act(STAFF, opened.id, "claim")
    expect(page.locator("#log .msg--notice")).to_contain_text(
        "En ansatt i bydel Frogner har tatt saken", timeout=10_000
    )
    desk.act(STAFF, opened.id, "replies", "Hei! Ring oss gjerne på 23 43 10 00.")
    staff = page.locator("#log .msg--staff")
    expect(staff).to_contain_text("Ring oss gjerne", timeout=10_000)
    expect(staff.locator('a[href="tel:23431000"]')).to_have_text("23 43 10 00")

    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("#log .msg--staff")).to_have_count(1)  # shown once, not twice
    expect(page.locator("#log .msg--notice")).to_have_count(1)
    screenshot(page, "16-reloaded")
    check_axe(page, "reloaded with a staff reply", axe_report)

    # The tab is closed; staff answer and close the case; the person comes back later.
    page.close()
    desk.act(STAFF, opened.id, "replies", "Vi har sendt deg et brev.")
    desk.act(STAFF, opened.id, "resolve")
    page = context.new_page()
    open_chat(page, quiet_site)
    texts = page.locator("#log .msg").all_inner_texts()
    assert [t for t in texts if "brev" in t], texts
    notice = page.locator("#log .msg--notice").last
    expect(notice).to_contain_text("Saken er avsluttet")
    assert stored(page)["conversationId"] == conversation_id
    assert "transcript" not in stored(page), "the text stays on the server, not on the device"
    screenshot(page, "17-came-back-case-closed")
    check_axe(page, "came back, case closed", axe_report)

    # "Slett samtalen": gone from the server and from this device.
    page.locator("#delete-open").click()
    page.locator("#delete-confirm").click()
    expect(page.locator("#log .msg")).to_have_count(1)
    page.wait_for_function(
        "([key, old]) => (JSON.parse(localStorage.getItem(key)) || {}).conversationId !== old",
        arg=[STORE, conversation_id],
    )
    transcript = httpx.get(f"{quiet_site}/api/chat/conversations/{conversation_id}/transcript")
    assert transcript.json() == {"messages": []}
    assert desk.ticket(opened.id) is None
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("#log .msg")).to_have_count(1)
    close(context)


def test_a_phone_at_large_text_keeps_the_box_in_view_and_remembers_the_choice(
    browser: Browser, desk: Desk, quiet_site: str, axe_report: dict[str, list[dict[str, Any]]]
) -> None:
    conversation_id = earlier_conversation(desk, quiet_site, turns=4)
    context, page = new_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    keep_on_device(page, quiet_site, conversation_id)
    open_chat(page, quiet_site)
    larger = page.get_by_role("button", name="Større tekst")
    expect(larger).to_have_attribute("aria-pressed", "false")
    larger.click()
    expect(larger).to_have_attribute("aria-pressed", "true")
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(larger).to_have_attribute("aria-pressed", "true")  # remembered on this device
    root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root >= 24, f"large text is {root} px"

    page.evaluate("window.scrollTo(0, 0)")
    for selector in ("#message", "#send"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        assert box["y"] >= 0, f"{selector} out of view: {box}"
        assert box["y"] + box["height"] <= 844, f"{selector} out of view: {box}"
        assert box["height"] >= 44
    # The latest messages scroll above the box, not behind it.
    page.locator("#log .msg").last.scroll_into_view_if_needed()
    last = page.locator("#log .msg").last.bounding_box()
    bar = page.locator(".composer-bar").bounding_box()
    assert last is not None
    assert bar is not None
    assert last["y"] + last["height"] <= bar["y"] + 1, (last, bar)
    header = page.evaluate(
        "(() => { const e = document.querySelector('.site-header__name');"
        " return [e.scrollWidth, e.clientWidth]; })()"
    )
    assert header[0] <= header[1], f"the header is clipped: {header}"
    no_sideways_scrolling(page)
    targets_are_large(page)
    screenshot(page, "18-phone-large-text", full_page=False)
    check_axe(page, "phone, large text", axe_report)
    close(context)


def targets_are_large(page: Page) -> None:
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box is not None
        assert box["height"] >= 44, f"{button}: {box}"
        assert box["width"] >= 44, f"{button}: {box}"


@pytest.mark.parametrize(
    ("name", "width"), [("20-phone-call-us", 390), ("21-reflow-320-call-us", 320)]
)
def test_call_us_instead_stays_one_tap_away_when_the_conversation_scrolls(
    browser: Browser,
    desk: Desk,
    quiet_site: str,
    axe_report: dict[str, list[dict[str, Any]]],
    name: str,
    width: int,
) -> None:
    """A phone at large text, far down a long conversation: the numbers are one tap away."""
    conversation_id = earlier_conversation(desk, quiet_site, turns=6)
    context, page = new_page(
        browser,
        viewport={"width": width, "height": 844 if width == 390 else 640},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    keep_on_device(page, quiet_site, conversation_id)
    page.evaluate("localStorage.setItem('seniorveiviser.textsize', 'large')")
    open_chat(page, quiet_site)
    page.locator("#log .msg").last.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0, "the conversation should scroll"

    toggle = page.get_by_role("button", name="Ring oss heller")
    expect(toggle).to_be_in_viewport(ratio=1)
    # Between the bar at the top and the message box at the bottom: the latest message.
    call_bar = page.locator(".call-bar").bounding_box()
    last = page.locator("#log .msg").last.bounding_box()
    composer = page.locator(".composer-bar").bounding_box()
    assert call_bar is not None
    assert last is not None
    assert composer is not None
    top = call_bar["y"] + call_bar["height"]
    assert top <= last["y"], f"the latest message is under the call bar: {last}"
    assert last["y"] + last["height"] <= composer["y"] + 1, (last, composer)

    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    emergency = page.locator('#call-panel a[href="tel:113"]')
    expect(emergency).to_be_in_viewport(ratio=1)
    number = emergency.bounding_box()
    assert number is not None
    assert number["y"] >= top, f"113 is under the call bar: {number}"
    expect(page.locator('#call-panel a[href="tel:116117"]')).to_be_visible()
    no_sideways_scrolling(page)
    targets_are_large(page)
    screenshot(page, name, full_page=False)
    check_axe(page, name, axe_report)
    close(context)


@pytest.mark.parametrize("size", ["normal", "large"])
@pytest.mark.parametrize(("zoom", "viewport"), [(200, (640, 450)), (400, (320, 225))])
def test_200_and_400_percent_zoom_need_no_sideways_scrolling_at_either_text_size(
    browser: Browser,
    desk: Desk,
    quiet_site: str,
    axe_report: dict[str, list[dict[str, Any]]],
    zoom: int,
    viewport: tuple[int, int],
    size: str,
) -> None:
    """A 1280×900 window at 200 % and 400 %: 640×450 and 320×225 CSS pixels."""
    width, height = viewport
    name = f"19-zoom-{zoom}-{size}-text"
    conversation_id = earlier_conversation(desk, quiet_site, turns=2)
    context, page = new_page(
        browser, viewport={"width": width, "height": height}, device_scale_factor=2
    )
    keep_on_device(page, quiet_site, conversation_id)
    page.evaluate("(size) => localStorage.setItem('seniorveiviser.textsize', size)", size)
    open_chat(page, quiet_site)
    expect(page.get_by_role("button", name="Større tekst")).to_have_attribute(
        "aria-pressed", str(size == "large").lower()
    )
    no_sideways_scrolling(page)
    composer_usable(page)
    page.locator("#call-toggle").click()
    page.wait_for_selector(".call-list__phone")
    no_sideways_scrolling(page)
    targets_are_large(page)
    screenshot(page, name)
    check_axe(page, name, axe_report)
    close(context)


def test_the_first_load_is_small_and_its_files_are_cached_by_content(
    browser: Browser, quiet_site: str
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    client = context.new_cdp_session(page)
    client.send("Network.enable")
    transferred: dict[str, float] = {}
    urls: dict[str, str] = {}
    client.on(
        "Network.responseReceived", lambda e: urls.update({e["requestId"]: e["response"]["url"]})
    )
    client.on(
        "Network.loadingFinished",
        lambda e: transferred.update({e["requestId"]: e["encodedDataLength"]}),
    )
    open_chat(page, quiet_site)
    page.wait_for_load_state("networkidle")
    total = sum(transferred.values())
    by_file = sorted(((v, urls.get(k, k)) for k, v in transferred.items()), reverse=True)
    print(f"\nfirst load: {total / 1024:.1f} KB in {len(transferred)} responses")
    for size, url in by_file:
        print(f"  {size / 1024:7.1f} KB  {url}")
    assert total <= FIRST_LOAD_BUDGET, f"{total / 1024:.1f} KB: {by_file}"

    css = httpx.get(f"{quiet_site}/", headers={"Accept-Encoding": "gzip"})
    assert css.headers["content-encoding"] == "gzip"
    links = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]+)"', css.text)
    assert "/static/chat.js" in " ".join(links), links
    assert len(links) >= 6, links
    for link in links:
        file = httpx.get(f"{quiet_site}{link}")
        assert file.headers["cache-control"] == "public, max-age=31536000, immutable", link
    stale = httpx.get(f"{quiet_site}/static/chat.js?v=0000000000000000")
    assert stale.headers["cache-control"] == "no-cache"
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
    # The source is a short link text with the page's address behind it.
    source = page.locator('#log a[href^="https://www.oslo.kommune.no/"]').last
    expect(source).to_have_text(re.compile(r"^oslo\.kommune\.no, sjekket \d\d\.\d\d\.\d{4}$"))
    assert not any("](" in text for text in answer), answer
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
        f"(old) => (JSON.parse(localStorage.getItem('{STORE}')) || {{}}).conversationId !== old",
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
    with transaction(database_url) as session:
        create_staff(session, "webchat-staff", "a long staff password", "gamle-oslo")
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


def test_an_answer_about_a_service_asks_whether_it_helped(
    browser: Browser,
    site: str,
    database_url: str,
    axe_report: dict[str, list[dict[str, Any]]],
) -> None:
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    open_chat(page, site)
    ask(page, QUESTION)
    feedback = page.locator("#log .feedback")
    expect(feedback).to_have_count(1)  # on the answer's last message only
    expect(feedback).to_contain_text("Var dette til hjelp?")
    expect(feedback.get_by_role("group", name="Var dette til hjelp?")).to_be_visible()
    for name in ("Ja", "Nei"):
        box = feedback.get_by_role("button", name=name, exact=True).bounding_box()
        assert box is not None, name
        assert min(box["width"], box["height"]) >= 44, (name, box)
    check_axe(page, "feedback asked", axe_report)

    # By keyboard: focus "Nei", press Enter; the thank-you takes the question's place.
    feedback.get_by_role("button", name="Nei", exact=True).focus()
    page.keyboard.press("Enter")
    expect(feedback).to_have_text("Takk for svaret.")
    expect(feedback.get_by_role("button")).to_have_count(0)
    assert page.evaluate("document.activeElement.textContent") == "Takk for svaret."
    page.fill("#message", "typing still works")
    expect(page.locator("#message")).to_have_value("typing still works")
    check_axe(page, "feedback given", axe_report)

    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT helpful, service, aspect, language FROM stats_event"
                " WHERE kind = 'feedback' AND channel = 'web'"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(False, "trygghetsalarm", "cost", "nb")]
    close(context)
