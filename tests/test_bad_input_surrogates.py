"""Text that cannot be stored (a lone UTF-16 surrogate, NUL) is a 422, and no error echoes input."""

from __future__ import annotations

import json
import logging
import unicodedata
from typing import Any

import httpx
import pytest

from tests.staff import PROBLEM, Desk, bearer, new_conversation_id, new_key, username

NATIONAL_ID = "23095024068"
WRITTEN = "23.09.50 240 68"  # a form the old masking missed
# JSON's own escape for a lone surrogate, as an attacker sends it.
SURROGATE = f"mitt fnr er {NATIONAL_ID} \\ud800"
STAFF = username("staff")


@pytest.fixture(autouse=True)
def _fresh_tickets(desk: Desk) -> None:
    desk.reset()


def digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isascii() and c.isdigit())


def post_raw(desk: Desk, path: str, body: str, headers: dict[str, str]) -> httpx.Response:
    """POST `body`, JSON text written by hand, so escapes reach the server as sent."""
    content_type = {"Content-Type": "application/json"}
    response: httpx.Response = desk.client.post(
        path, content=body.encode("ascii"), headers={**headers, **content_type}
    )
    return response


def assert_refused_without_echo(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert NATIONAL_ID not in digits(response.text)
    assert "input" not in response.json().get("errors", [{}])[0]


def assert_not_logged(records: list[logging.LogRecord]) -> None:
    for record in records:
        logged = record.getMessage() + (record.exc_text or "")
        if record.exc_info:
            logged += logging.Formatter().formatException(record.exc_info)
        assert NATIONAL_ID not in digits(logged), logged


@pytest.mark.parametrize("value", [SURROGATE, "mitt fnr er \\u0000 " + NATIONAL_ID])
def test_the_chat_gateway_refuses_unstorable_text(
    desk: Desk, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = f"/api/chat/conversations/{new_conversation_id()}/messages"
    assert_refused_without_echo(post_raw(desk, path, f'{{"text": "{value}"}}', {}))
    assert_not_logged(caplog.records)


@pytest.mark.parametrize("action", ["notes", "replies"])
def test_staff_notes_and_replies_refuse_a_lone_surrogate(
    desk: Desk, action: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    opened = desk.open_ticket()
    path = f"/api/staff/tickets/{opened.id}/{action}"
    response = post_raw(desk, path, f'{{"text": "{SURROGATE}"}}', desk.auth(STAFF))
    assert_refused_without_echo(response)
    assert_not_logged(caplog.records)


def _ticket_with(where: str) -> str:
    """A ticket body (JSON text) with the surrogate text in field `where`."""
    marker = "@@SURROGATE@@"
    payload: dict[str, Any] = {
        "district": "frogner",
        "for_whom": "self",
        "contact_method": "chat",
        "consent": {"text": "Ja", "given_at": "2026-01-05T10:00:00Z"},
        "channel": "web",
        "conversation_id": new_conversation_id(),
    }
    if where == "description":
        payload["description"] = marker
    elif where == "transcript":
        payload["transcript"] = [{"sender": "person", "text": marker}]
    else:
        payload["consent"]["text"] = marker
    return json.dumps(payload).replace(marker, SURROGATE)


@pytest.mark.parametrize("where", ["description", "transcript", "consent"])
def test_a_ticket_with_a_lone_surrogate_is_refused(
    desk: Desk, where: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    headers = {**bearer(desk.assistant_token), "Idempotency-Key": new_key()}
    response = post_raw(desk, "/api/tickets", _ticket_with(where), headers)
    assert_refused_without_echo(response)
    assert_not_logged(caplog.records)


def test_a_validation_error_never_echoes_what_was_sent(desk: Desk) -> None:
    path = f"/api/chat/conversations/{new_conversation_id()}/messages"
    response = desk.client.post(path, json={"text": f"fnr {WRITTEN} " + "x" * 3000})
    assert_refused_without_echo(response)
    assert "xxxxx" not in response.text
