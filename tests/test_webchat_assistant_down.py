"""The web chat while the assistant is really down: Rasa's process stopped, then started again.

The real stack (API, outbox worker, action server, Rasa) on a fresh SQLite file, and Debian's
Chromium. Needs the trained model; starting Rasa twice takes a minute or two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from devtools.stack import Stack
from tests.browser import axe_violations, chromium, describe_violations, screenshot
from tests.databases import running_assistant

ANSWER_MS = 90_000  # one turn through the API and Rasa; the first is the slowest
MESSAGES = "**/api/chat/conversations/*/messages"
QUESTION = "Hva betyr trygghetsalarm?"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_assistant(tmp_path_factory.mktemp("assistant-down")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def phone_of(page: Page, site: str, key: str) -> str:
    """A number from the catalogue's city contacts, as the API serves them."""
    contacts: list[dict[str, Any]] = page.request.get(f"{site}/api/contacts").json()
    return str(next(contact["phone"] for contact in contacts if contact["key"] == key))


def status_of_post(page: Page, act: Callable[[], None]) -> int:
    """Do `act` (send, or "Prøv igjen"); the status of the message's POST to the gateway."""
    with page.expect_response(
        lambda response: response.request.method == "POST" and "/messages" in response.url
    ) as posted:
        act()
    return posted.value.status


def test_with_rasa_stopped_nothing_typed_is_lost_and_retry_delivers_after(
    browser: Browser, stack: Stack
) -> None:
    site = stack.api_url
    context = browser.new_context(
        locale="nb-NO", bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(site)
    page.wait_for_selector("body[data-ready]")
    switchboard = phone_of(page, site, "switchboard")
    emergency = phone_of(page, site, "emergency")
    assert emergency == "113"

    stack.stop("rasa")
    page.fill("#message", QUESTION)
    assert status_of_post(page, lambda: page.press("#message", "Enter")) == 503  # Rasa is away

    problem = page.locator("#problem")
    unsent = page.locator("#log .msg--user").last
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("role", "alert")
    expect(problem).to_contain_text("Seniorveiviser kan ikke svare akkurat nå.")
    expect(problem).to_contain_text("Prøv igjen")
    expect(problem).to_contain_text(switchboard)
    expect(problem).to_contain_text(f"Er det fare for liv, ring {emergency} nå.")
    expect(unsent).to_contain_text(QUESTION)
    expect(unsent).to_contain_text("Ikke sendt ennå")
    screenshot(page, "09-assistant-down")
    serious = [v for v in axe_violations(page) if v["impact"] in {"serious", "critical"}]
    assert not serious, describe_violations(serious)

    # Still down at "Prøv igjen", and after the page is reloaded: the message stays.
    assert status_of_post(page, page.locator("#retry").click) == 503
    page.reload()
    page.wait_for_selector("body[data-ready]")
    expect(unsent).to_contain_text(QUESTION)
    expect(unsent).to_contain_text("Ikke sendt ennå")
    expect(problem).to_contain_text(switchboard)

    # The network drops too: the person is asked about their connection; still nothing lost.
    page.route(MESSAGES, lambda route: route.abort("failed"))
    page.locator("#retry").click()
    expect(problem).to_contain_text("internett")
    expect(unsent).to_contain_text("Ikke sendt ennå")
    page.unroute(MESSAGES)

    stack.start_rasa()
    assert status_of_post(page, page.locator("#retry").click) == 200
    page.wait_for_function(
        "() => document.querySelectorAll('#log .msg--assistant:not(.msg--welcome)').length > 0"
        " && !document.querySelector('#log .msg__state')"
    )
    answer = page.locator("#log .msg--assistant:not(.msg--welcome) .msg__text").all_inner_texts()
    assert any("Trygghetsalarm" in text for text in answer), answer
    expect(problem).to_be_hidden()
    expect(unsent).to_contain_text(QUESTION)
    expect(unsent).not_to_contain_text("Ikke sendt")
    assert page.locator("#log .msg--user").count() == 1  # delivered once, not twice
    screenshot(page, "10-sent-after-retry")
    context.close()
    assert not errors, errors
