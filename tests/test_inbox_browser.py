"""The staff inbox in a real browser (Debian's Chromium), against the real API over HTTP.

A staff member logs in, finds the ticket in the queue, opens it, takes it, answers the person,
writes a note and resolves it, then logs out; ticket text shows as text, never as markup.
Screenshots go to var/artifacts/screenshots/inbox-*.png. No Rasa is needed: the inbox talks
to the staff API only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update

from api.accounts.models import Role
from api.main import create_app
from api.tickets.models import Ticket
from services_catalog.loader import Catalogue
from tests.browser import axe_violations, chromium, describe_violations, screenshot
from tests.servers import serve
from tests.staff import PASSWORD, Desk, Opened, display_name, open_desk, username

STAFF = username(Role.STAFF)
MARKUP = '<img src=x onerror="document.body.dataset.pwned=1"><b>fet</b>'
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def desk(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk("sqlite", catalogue, tmp_path_factory.mktemp("inbox")) as opened:
        opened.reset()
        yield opened


@pytest.fixture(scope="module")
def site(desk: Desk) -> Iterator[str]:
    """The API with the inbox, on a real port, over the desk's database."""
    with serve(create_app(desk.settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # bypass_csp: axe is injected as an inline script, which the page's policy forbids. It also
    # means the markup check below proves escaping on its own, without the policy's help.
    context: BrowserContext = browser.new_context(
        locale="nb-NO",
        timezone_id="Europe/Oslo",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,
    )
    errors: list[str] = []
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, errors


def _log_in(page: Page, site: str, user: str = STAFF, password: str = PASSWORD) -> None:
    page.goto(f"{site}/staff")
    page.get_by_label("Brukernavn").fill(user)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def test_a_staff_member_handles_a_ticket_from_start_to_end(
    desk: Desk, site: str, page: Page
) -> None:
    routine = desk.open_ticket(service="trygghetsalarm", description="Vanlig sak.")
    ticket: Opened = desk.open_ticket(
        priority="high",
        description=f"Mor faller ofte. {MARKUP}",
        transcript=[{"sender": "person", "text": f"Hjelp, sier hun. {MARKUP}"}],
    )
    desk.open_ticket("alna", description="En sak i en annen bydel.")

    page.goto(f"{site}/staff")
    expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    screenshot(page, "inbox-01-login")

    _log_in(page, site, password="feil passord her")
    expect(page.get_by_role("alert")).to_have_text("Feil brukernavn eller passord.")
    expect(page.get_by_label("Passord")).to_be_focused()

    _log_in(page, site)
    heading = page.get_by_role("heading", name="Saker i Bydel Frogner")
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()
    rows = page.locator("#queue-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(ticket.reference)
    expect(rows.nth(0)).to_contain_text("Haster")
    expect(rows.nth(1)).to_contain_text(routine.reference)
    expect(page.get_by_text("Viser 1–2 av 2 saker")).to_be_visible()
    expect(page.locator("#who-text")).to_contain_text(display_name(Role.STAFF))
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    screenshot(page, "inbox-02-queue")

    page.get_by_role("link", name=ticket.reference).click()
    expect(page.get_by_role("heading", name=f"Sak {ticket.reference}")).to_be_focused()
    expect(page.locator("#description")).to_have_text(f"Mor faller ofte. {MARKUP}")
    expect(page.locator("#transcript")).to_contain_text(MARKUP)
    assert page.locator("#main img").count() == 0, "ticket text must never become markup"
    assert page.evaluate("document.body.dataset.pwned") is None
    expect(page.locator("#summary")).to_contain_text("+47 912 34 567")
    expect(page.locator("#summary")).to_contain_text("En pårørende")
    screenshot(page, "inbox-03-ticket")

    page.get_by_role("button", name="Ta saken").click()
    expect(page.get_by_role("status")).to_have_text("Du har tatt saken.")
    expect(page.locator("#summary")).to_contain_text("Under behandling")

    page.get_by_label("Svar til personen").fill("Hei! Vi ringer deg i morgen formiddag.")
    page.get_by_role("button", name="Send svar til personen").click()
    expect(page.locator("#messages li")).to_have_count(2)  # the claim notice, the reply
    expect(page.locator("#messages li").first).to_contain_text("har tatt saken")
    expect(page.locator("#messages")).to_contain_text("Hei! Vi ringer deg i morgen formiddag.")
    expect(page.get_by_label("Svar til personen")).to_have_value("")

    page.get_by_label("Nytt notat").fill("Datter ringer tilbake etter lunsj.")
    page.get_by_role("button", name="Lagre notatet").click()
    expect(page.locator("#notes li")).to_have_count(1)
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    screenshot(page, "inbox-04-answered")

    page.get_by_role("button", name="Avslutt saken").click()
    expect(page.get_by_role("status")).to_have_text("Saken er avsluttet.")
    expect(page.get_by_role("button", name="Gjenåpne saken")).to_be_visible()
    expect(page.get_by_role("button", name="Send svar til personen")).to_be_hidden()
    screenshot(page, "inbox-05-resolved")

    stored = desk.ticket(ticket.id)
    assert stored is not None
    assert stored.status == "resolved"
    assert [m.text for m in stored.messages if m.sender == "staff"] == [
        "Hei! Vi ringer deg i morgen formiddag."
    ]
    assert [m.sender for m in stored.messages] == ["notice", "staff", "notice"]
    assert [n.text for n in stored.notes] == ["Datter ringer tilbake etter lunsj."]

    page.get_by_role("link", name="Tilbake til listen").click()
    expect(page.get_by_role("link", name=ticket.reference)).to_be_focused()
    page.get_by_label("Vis saker med status").select_option("resolved")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("Avsluttet")

    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    assert desk.client.get("/api/staff/me", headers=desk.auth(STAFF)).status_code == 200


def test_the_inbox_works_with_the_keyboard_alone(desk: Desk, site: str, page: Page) -> None:
    desk.reset()
    opened = desk.open_ticket()
    page.goto(f"{site}/staff")
    expect(page.get_by_label("Brukernavn")).to_be_focused()
    page.keyboard.type(username(Role.LEAD))
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Saker i Bydel Frogner")).to_be_focused()
    link = page.get_by_role("link", name=opened.reference)
    link.focus()
    page.keyboard.press("Enter")
    claim = page.get_by_role("button", name="Ta saken")
    expect(claim).to_be_visible()
    claim.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Du har tatt saken.")
    screenshot(page, "inbox-06-keyboard", full_page=False)


def test_an_expired_session_asks_to_log_in_again(desk: Desk, site: str, page: Page) -> None:
    _log_in(page, site)
    expect(page.get_by_role("heading", name="Saker i Bydel Frogner")).to_be_visible()
    token = page.evaluate("JSON.parse(sessionStorage.getItem('seniorveiviser.inbox.v1')).token")
    desk.expire(token)
    page.get_by_role("button", name="Oppdater listen").click()
    expect(page.get_by_text("Økten din er utløpt. Logg inn igjen.")).to_be_visible()
    expect(page.get_by_role("heading", name="Logg inn")).to_be_focused()


def test_a_narrow_screen_keeps_the_page_in_one_column(
    desk: Desk, site: str, browser: Browser
) -> None:
    desk.reset()
    opened = desk.open_ticket(description="Lang tekst " * 40)
    context = browser.new_context(locale="nb-NO", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _log_in(page, site)
        page.get_by_role("link", name=opened.reference).click()
        expect(page.get_by_role("heading", name=f"Sak {opened.reference}")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        screenshot(page, "inbox-07-narrow")
    finally:
        context.close()


def test_a_ticket_changed_by_a_colleague_explains_itself(desk: Desk, site: str, page: Page) -> None:
    desk.reset()
    opened = desk.open_ticket()
    colleague = username("colleague")
    desk.act(colleague, opened.id, "claim")
    page.clock.install()  # so that the page's own refresh can be held back below
    _log_in(page, site)
    page.get_by_role("link", name=opened.reference).click()
    expect(page.get_by_role("heading", name=f"Sak {opened.reference}")).to_be_focused()
    # The page refreshes by itself; here it must not, until the staff member acts.
    page.clock.pause_at(datetime.now() + timedelta(seconds=1))
    expect(page.get_by_role("button", name="Ta saken")).to_be_hidden()
    expect(page.locator("#actions-help")).to_contain_text(
        f"{display_name('colleague')} har saken. Vil du ta over, be lederen i bydelen om det."
    )
    # Meanwhile the colleague resolves it; this page still shows it as held.
    desk.act(colleague, opened.id, "resolve")
    page.get_by_role("button", name="Venter på svar fra personen").click()
    expect(page.locator("#ticket-problem")).to_have_text(
        "Det går ikke å sette saken til å vente på svar nå: saken er endret. "
        "Se saken slik den er nå."
    )
    expect(page.locator("#summary")).to_contain_text("Avsluttet")
    expect(page.get_by_role("button", name="Gjenåpne saken")).to_be_visible()
    screenshot(page, "inbox-08-conflict", full_page=False)


# ---------------------------------------------------------------- keeping staff in step

REFRESHED_MS = 10_000  # the page refreshes every 5 s: a change shows within 10 s, no click


def _reads_of(desk: Desk, ticket_id: int) -> int:
    return len([e for e in desk.audit() if e.action == "ticket_read" and e.ticket_id == ticket_id])


def _person_says(desk: Desk, conversation_id: str, text: str) -> None:
    response = desk.client.post(
        f"/api/chat/conversations/{conversation_id}/messages", json={"text": text}
    )
    assert response.json()["forwarded_to_staff"] is True, response.text


def _promise(desk: Desk, ticket_id: int, days_from_today: int) -> None:
    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    with desk.sessions() as session, session.begin():
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(expected_answer_on=today + timedelta(days=days_from_today))
        )


def test_the_queue_and_the_open_ticket_keep_up_by_themselves(
    desk: Desk, site: str, page: Page
) -> None:
    desk.reset()
    opened = desk.open_ticket(contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "claim")
    _log_in(page, site)
    rows = page.locator("#queue-rows tr")
    expect(rows).to_have_count(1)

    # A new case arrives while the list is on screen.
    later = desk.open_ticket(service="trygghetsalarm")
    expect(rows).to_have_count(2, timeout=REFRESHED_MS)
    fresh = page.locator("#queue-rows tr", has_text=later.reference)
    expect(fresh.locator(".badge--fresh")).to_have_text("Nytt")
    expect(fresh).to_contain_text("Trygghetsalarm")  # the service's name, not its slug
    expect(fresh).to_contain_text("den eldre er enig")
    screenshot(page, "inbox-09-queue-refreshed")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    page.get_by_role("link", name=opened.reference).click()
    expect(page.get_by_role("heading", name=f"Sak {opened.reference}")).to_be_focused()
    _person_says(desk, opened.conversation_id, "Jeg er hjemme hele dagen i dag.")
    expect(page.locator("#messages")).to_contain_text(
        "Jeg er hjemme hele dagen i dag.", timeout=REFRESHED_MS
    )
    expect(page.locator("#new-messages")).to_have_text("1 ny melding")
    expect(page.get_by_role("status")).to_have_text("Ny melding fra personen.")
    screenshot(page, "inbox-10-new-message")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
    # The page read the ticket several times; the audit log has the one opening.
    assert _reads_of(desk, opened.id) == 1


def test_resolving_with_an_unanswered_message_asks_first_and_the_person_is_told(
    desk: Desk, site: str, page: Page
) -> None:
    desk.reset()
    opened = desk.open_ticket(contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "claim")
    _person_says(desk, opened.conversation_id, "Kan dere ringe meg i stedet?")
    _log_in(page, site)
    page.get_by_role("link", name=opened.reference).click()
    resolve = page.get_by_role("button", name="Avslutt saken")
    resolve.click()
    dialog = page.get_by_role("dialog", name="Avslutte saken?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("ikke har svart på")
    expect(page.get_by_role("button", name="Nei, vis meldingen")).to_be_focused()
    screenshot(page, "inbox-11-confirm-resolve", full_page=False)
    assert axe_violations(page) == [], describe_violations(axe_violations(page))

    page.get_by_role("button", name="Nei, vis meldingen").click()
    expect(dialog).to_be_hidden()
    ticket = desk.ticket(opened.id)
    assert ticket is not None
    assert ticket.status == "claimed"

    resolve.click()
    page.get_by_role("button", name="Ja, avslutt saken").click()
    expect(page.get_by_role("status")).to_have_text("Saken er avsluttet.")
    told = desk.client.get(f"/api/chat/conversations/{opened.conversation_id}/messages")
    assert [m["text"][:19] for m in told.json()["messages"]] == [
        "En ansatt i bydel F",
        "Saken er avsluttet.",
    ]

    # With the person answered, it closes at once.
    again = desk.open_ticket()
    desk.act(STAFF, again.id, "claim")
    page.goto(f"{site}/staff#sak-{again.id}")
    page.get_by_role("button", name="Avslutt saken").click()
    expect(page.get_by_role("status")).to_have_text("Saken er avsluttet.")


def test_the_summary_speaks_plainly(desk: Desk, site: str, page: Page) -> None:
    desk.reset()
    described = "Far glemmer å ta medisinene sine."
    opened = desk.open_ticket(
        service="hjemmesykepleie",
        description=described,
        transcript=[
            {"sender": "person", "text": "Far trenger hjelp"},
            {"sender": "assistant", "text": "Hvilken tjeneste gjelder det?"},
            {"sender": "person", "text": '/ask_service{"service": "trygghetsalarm"}'},
        ],
    )
    late = desk.open_ticket()
    _promise(desk, opened.id, 0)
    _promise(desk, late.id, -1)
    _log_in(page, site)
    expect(page.locator("#queue-rows tr", has_text=late.reference)).to_contain_text("forfalt")
    expect(page.locator("#queue-rows tr", has_text=opened.reference)).to_contain_text(
        "forfaller i dag"
    )
    page.get_by_role("link", name=opened.reference).click()
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Hjemmesykepleie")
    expect(summary).not_to_contain_text("hjemmesykepleie")
    expect(summary).to_contain_text(described)  # the need, as the person described it
    expect(summary).not_to_contain_text("Ikke oppgitt")
    expect(summary).to_contain_text("En pårørende")
    transcript = page.locator("#transcript")
    expect(transcript).to_contain_text("Trykket på «Trygghetsalarm»")
    expect(transcript).not_to_contain_text("/ask_service")
    screenshot(page, "inbox-12-plain-summary")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))


def test_a_case_the_person_erased_shows_one_clear_state_and_nothing_personal(
    desk: Desk, site: str, page: Page
) -> None:
    desk.reset()
    opened = desk.open_ticket(description="Mor bor alene i Frognerveien.")
    _log_in(page, site)
    page.get_by_role("link", name=opened.reference).click()
    expect(page.locator("#summary")).to_contain_text("+47 912 34 567")

    assert (
        desk.client.delete(f"/api/chat/conversations/{opened.conversation_id}").status_code == 204
    )
    heading = page.get_by_role("heading", name="Personen har slettet saken")
    expect(heading).to_be_visible(timeout=REFRESHED_MS)
    main = page.locator("#main")
    for personal in ("+47 912 34 567", "Frognerveien", "Hei, jeg lurer på"):
        expect(main).not_to_contain_text(personal)
    expect(main).not_to_contain_text("Fant ikke saken")
    expect(page.locator("#ticket-problem")).to_be_hidden()
    expect(page.get_by_role("button", name="Avslutt saken")).to_be_hidden()
    expect(page.locator("#ticket-erased")).to_be_visible()
    screenshot(page, "inbox-13-erased")
    assert axe_violations(page) == [], describe_violations(axe_violations(page))
