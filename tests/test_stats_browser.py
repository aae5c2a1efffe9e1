"""The figures page `/staff/stats` in a real browser (Debian's Chromium), over real HTTP.

Conversations go into Rasa's SQL event broker as Rasa writes them and are folded; the service
owner logs in, sees the figures, a chart with its table, marks an unanswered group and
downloads a CSV. Screenshots go to var/artifacts/screenshots/stats-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete

from api.main import create_app
from core.clock import utc_now
from core.database import Base
from core.event_broker import broker_events
from services_catalog.loader import Catalogue
from tests.browser import axe_violations, chromium, describe_violations, screenshot
from tests.servers import serve
from tests.staff import AWAY, PASSWORD, Desk, open_desk, username
from tests.test_stats import ANSWERED, EMERGENCY, HANDOFF, MORNING, NOT_UNDERSTOOD, Broker

OWNER = username("owner")
SERIOUS = {"serious", "critical"}
RANGE = "from=2026-03-01&to=2026-03-31"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def desk(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk("sqlite", catalogue, tmp_path_factory.mktemp("stats-page")) as opened:
        opened.reset()
        with opened.sessions() as session, session.begin():
            for table in reversed(Base.metadata.sorted_tables):
                if table.name.startswith("stats_"):
                    session.execute(delete(table))
        _fold_a_month(opened)
        yield opened


def _fold_a_month(desk: Desk) -> None:
    """March: 20 conversations in HOME and 6 in AWAY; yesterday: questions left unanswered."""
    broker = Broker(desk)
    with broker.engine.begin() as connection:
        connection.execute(delete(broker_events))  # nothing left from another module
    for number in range(12):
        start = MORNING + timedelta(minutes=number)
        broker.conversation(ANSWERED, service="hjemmesykepleie", start=start, needs=["hukommelse"])
    for number in range(4):
        broker.conversation([NOT_UNDERSTOOD], start=MORNING + timedelta(hours=1, minutes=number))
    broker.conversation([NOT_UNDERSTOOD, *ANSWERED], service="trygghetsalarm")
    broker.conversation(EMERGENCY)
    broker.conversation(HANDOFF, start=MORNING + timedelta(hours=2))
    broker.conversation(HANDOFF, start=MORNING + timedelta(days=7))
    for number in range(6):
        broker.conversation(
            ANSWERED, district=AWAY, start=MORNING + timedelta(days=8, minutes=number)
        )
    broker.fold(MORNING + timedelta(days=10))
    # The unanswered questions are kept 30 days, so these are recent.
    yesterday = utc_now() - timedelta(days=1)
    question = ("kan dere fikse taket mitt? ring 41234567", "nlu_fallback", ["action_clarify"])
    for number in range(3):
        broker.conversation([question], start=yesterday + timedelta(minutes=number))
    broker.fold(utc_now())
    broker.engine.dispose()


@pytest.fixture(scope="module")
def site(desk: Desk) -> Iterator[str]:
    with serve(create_app(desk.settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp only so axe (injected as an inline script) can run; the page itself needs none.
    context = browser.new_context(
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
        accept_downloads=True,
    )
    errors: list[str] = []
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, errors


def _serious(page: Page) -> list[dict[str, Any]]:
    return [v for v in axe_violations(page) if v["impact"] in SERIOUS]


def test_the_owner_sees_the_figures_charts_and_exports_a_csv(site: str, page: Page) -> None:
    response = page.goto(f"{site}/staff/stats?{RANGE}")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
    assert _serious(page) == [], describe_violations(_serious(page))
    screenshot(page, "stats-01-login")

    page.get_by_label("Brukernavn").fill(OWNER)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Tall for hele Oslo")).to_be_focused()

    figures = page.locator("#key-figures")
    expect(figures.locator(".key-figure").first).to_contain_text("Samtaler26")
    expect(figures).to_contain_text("Nødsituasjoner (113)1")
    chart = page.get_by_role("img", name="Samtaler, vist som søyler")
    expect(chart).to_be_visible()
    page.get_by_text("Tallene i «Samtaler» som tabell").click()
    chart_table = page.get_by_role("table", name="Samtaler, som tabell")
    expect(chart_table).to_be_visible()
    expect(chart_table.locator("tbody tr")).to_have_count(2)  # the weeks of 2 and 9 March

    districts = page.get_by_role("table", name="Tall per bydel")
    expect(districts).to_contain_text("Bydel Frogner")
    expect(districts).to_contain_text("Bydel Alna")
    services = page.get_by_role("table", name="Tjenestene folk spør mest om")
    expect(services.locator("tbody tr").first).to_contain_text("12")
    needs = page.get_by_role("table", name="Behovene folk beskriver")
    expect(needs.locator("tbody tr").first).to_contain_text("Hukommelse og demens12")
    expect(page.get_by_role("table", name="Tall per kanal")).to_contain_text("Nettprat")
    expect(page.get_by_role("table", name="Tall per språk")).to_contain_text("Bokmål")
    page.get_by_text("Tallene i «Når på døgnet samtalene begynner» som tabell").click()
    hours = page.get_by_role("table", name="Når på døgnet samtalene begynner, som tabell")
    expect(hours.locator("tbody tr")).to_have_count(24)
    expect(hours.get_by_role("row", name="kl. 10")).to_contain_text("21")

    unanswered = page.get_by_role("table", name="Spørsmål uten svar, siste 30 dager")
    expect(unanswered).to_contain_text("taket")
    expect(unanswered).not_to_contain_text("41234567")
    unanswered.get_by_role("button", name="Lagt til i katalogen").first.click()
    expect(unanswered.locator(".group-status").first).to_have_text("Lagt til i katalogen")

    assert _serious(page) == [], describe_violations(_serious(page))
    screenshot(page, "stats-02-figures")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned tall per bydel som CSV").click()
    download = download_info.value
    assert download.suggested_filename == "seniorveiviser-districts-2026-03-01-2026-03-31.csv"
    lines = (download.path().read_text("utf-8")).splitlines()
    assert lines[0].startswith("conversations,")
    assert {line.split(",")[0] for line in lines[1:]} == {"20", "6"}


def test_a_district_lead_sees_only_their_district(site: str, page: Page) -> None:
    page.goto(f"{site}/staff/stats?{RANGE}")
    page.get_by_label("Brukernavn").fill(username("lead", AWAY))
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Tall for Bydel Alna")).to_be_focused()
    expect(page.locator("#key-figures .key-figure").first).to_contain_text("Samtaler6")
    districts = page.get_by_role("table", name="Tall per bydel")
    expect(districts).to_contain_text("Bydel Alna")
    expect(districts).not_to_contain_text("Frogner")
    expect(page.get_by_role("heading", name="Var dette til hjelp?")).to_have_count(0)
    assert _serious(page) == [], describe_violations(_serious(page))
    screenshot(page, "stats-03-lead")
