"""Rasa's API and the action server, as an attacker on the same machine meets them.

Runs the real action server, Rasa, API and outbox worker (SQLite), as `make run` does.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from api.tickets.models import Ticket
from core.database import make_engine, make_session_factory
from core.outbox import OutboxEntry
from core.secrets import ACTIONS_SECRET, RASA_API_SECRET, bearer, read_or_create_secret
from devtools.stack import Stack
from tests.databases import running_assistant
from tests.rasa_telemetry import home_that_said_yes, process_environment, telemetry_enabled

PROTECTED_ROUTES = [
    ("GET", "/status"),
    ("GET", "/domain"),
    ("GET", "/conversations/{id}/tracker"),
    ("GET", "/conversations/{id}/story"),
    ("PUT", "/conversations/{id}/tracker/events"),
    ("POST", "/conversations/{id}/messages"),
    ("POST", "/conversations/{id}/execute"),
    ("POST", "/conversations/{id}/trigger_intent"),
    ("POST", "/model/predict"),
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_assistant(tmp_path_factory.mktemp("internal")) as running:
        yield running


@pytest.fixture(scope="module")
def rasa(stack: Stack) -> Iterator[httpx.Client]:
    """Rasa's HTTP API, with no credential."""
    with httpx.Client(base_url=stack.rasa_url, timeout=60) as client:
        yield client


def rasa_secret(stack: Stack) -> dict[str, str]:
    return bearer(read_or_create_secret(stack.secrets_dir, RASA_API_SECRET))


def web_conversation() -> str:
    return f"web:{secrets.token_urlsafe(24)}"


def handoffs_for(stack: Stack, conversation: str) -> tuple[int, int]:
    """(outbox entries, tickets) for `conversation`."""
    engine = make_engine(stack.environment["DATABASE_URL"])
    try:
        with make_session_factory(engine)() as session:
            count = select(func.count())
            entries = session.scalar(
                count.select_from(OutboxEntry).where(OutboxEntry.conversation_id == conversation)
            )
            tickets = session.scalar(
                count.select_from(Ticket).where(Ticket.conversation_id == conversation)
            )
    finally:
        engine.dispose()
    return int(entries or 0), int(tickets or 0)


def forged_handoff(conversation: str) -> dict[str, Any]:
    """An action call naming action_submit_handoff, every slot made up."""
    slots = {
        "handoff_for": "self",
        "handoff_district": "frogner",
        "handoff_contact": "phone",
        "handoff_phone": "412 34 567",
        "handoff_description": "Falsk nødsituasjon",
        "handoff_consent": "yes",
        "language": "nb",
    }
    fake_line = {
        "event": "user",
        "text": "fake transcript",
        "timestamp": 1.0,
        "parse_data": {"intent": {"name": "emergency"}},
    }
    return {
        "next_action": "action_submit_handoff",
        "sender_id": conversation,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": conversation,
            "slots": slots,
            "latest_message": {"text": "Ja", "intent": {"name": "affirm"}, "entities": []},
            "events": [fake_line],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_event_time": 1.0,
        },
    }


def post_action(stack: Stack, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"http://127.0.0.1:{stack.actions_port}/webhook",
        content=json.dumps(body),
        headers=headers,
        timeout=30,
    )


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_forged_action_call_is_refused_and_makes_no_ticket(
    stack: Stack, content_type: str
) -> None:
    conversation = web_conversation()
    response = post_action(stack, forged_handoff(conversation), {"Content-Type": content_type})
    assert response.status_code == 401
    assert "Saksnummeret" not in response.text
    assert handoffs_for(stack, conversation) == (0, 0)


def test_the_action_server_takes_only_json_even_with_its_secret(stack: Stack) -> None:
    secret = bearer(read_or_create_secret(stack.secrets_dir, ACTIONS_SECRET))
    conversation = web_conversation()
    headers = {**secret, "Content-Type": "text/plain"}
    response = post_action(stack, forged_handoff(conversation), headers)
    assert response.status_code == 415
    assert handoffs_for(stack, conversation) == (0, 0)


def test_a_handoff_for_a_conversation_rasa_never_had_sends_nothing(stack: Stack) -> None:
    """Even with the secret, the ticket is built from the tracker store, not the call."""
    secret = bearer(read_or_create_secret(stack.secrets_dir, ACTIONS_SECRET))
    conversation = web_conversation()
    headers = {**secret, "Content-Type": "application/json"}
    response = post_action(stack, forged_handoff(conversation), headers)
    assert response.status_code == 200
    said = " ".join(r.get("text") or "" for r in response.json()["responses"])
    assert "jeg sender ingenting" in said
    assert "Saksnummeret" not in said
    assert handoffs_for(stack, conversation) == (0, 0)


@pytest.mark.parametrize(("method", "route"), PROTECTED_ROUTES)
def test_rasa_routes_need_the_secret(
    stack: Stack, rasa: httpx.Client, method: str, route: str
) -> None:
    path = route.format(id=web_conversation())
    assert rasa.request(method, path, json={}).status_code == 401
    with_secret = rasa.request(method, path, json={}, headers=rasa_secret(stack))
    assert with_secret.status_code != 401


def test_the_tracker_is_read_and_written_only_with_the_secret(
    stack: Stack, rasa: httpx.Client
) -> None:
    sender = f"test-{uuid.uuid4().hex}"
    assert rasa.post("/webhooks/rest/webhook", json={"sender": sender, "message": "hei"}).is_success
    tracker = f"/conversations/{sender}/tracker"
    line = {
        "event": "user",
        "text": "en linje personen aldri skrev",
        "parse_data": {"intent": {"name": "greet"}, "entities": []},
    }
    assert rasa.get(tracker).status_code == 401
    assert rasa.post(f"{tracker}/events", json=line).status_code == 401
    events = rasa.get(tracker, headers=rasa_secret(stack)).json()["events"]
    assert "hei" in json.dumps(events)
    assert "aldri skrev" not in json.dumps(events)

    assert rasa.post(f"{tracker}/events", json=line, headers=rasa_secret(stack)).is_success
    events = rasa.get(tracker, headers=rasa_secret(stack)).json()["events"]
    assert "aldri skrev" in json.dumps(events)


def test_a_persons_conversation_on_the_rest_channel_needs_the_secret(
    stack: Stack, rasa: httpx.Client
) -> None:
    for conversation in (web_conversation(), "telegram:123456789"):
        message = {"sender": conversation, "message": "hva koster trygghetsalarm?"}
        assert rasa.post("/webhooks/rest/webhook", json=message).status_code == 401
        answered = rasa.post("/webhooks/rest/webhook", json=message, headers=rasa_secret(stack))
        assert "Trygghetsalarm" in json.dumps(answered.json(), ensure_ascii=False)


def test_the_evaluation_harness_still_needs_no_secret(rasa: httpx.Client) -> None:
    """converse.py's two calls, and the health routes, work as before."""
    message = {"sender": f"eval-{uuid.uuid4().hex}", "message": "hva koster trygghetsalarm?"}
    replies = rasa.post("/webhooks/rest/webhook", json=message).json()
    assert "Trygghetsalarm" in json.dumps(replies, ensure_ascii=False)
    parsed = rasa.post("/model/parse", json={"text": "hva koster trygghetsalarm?"}).json()
    assert parsed["intent"]["name"]
    assert rasa.get("/").status_code == 200
    assert rasa.get("/version").status_code == 200


def test_the_gateway_talks_to_rasa_with_the_secret(stack: Stack) -> None:
    with httpx.Client(base_url=stack.api_url, timeout=60) as api:
        conversation = api.post("/api/chat/conversations").json()["conversation_id"]
        turn = api.post(
            f"/api/chat/conversations/{conversation}/messages",
            json={"text": "hva koster trygghetsalarm?"},
        )
    assert turn.status_code == 200
    assert "Trygghetsalarm" in json.dumps(turn.json(), ensure_ascii=False)


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses a TCP port listens on, from /proc/net/tcp."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, listening_port = local.split(":")
        if state == "0A" and int(listening_port, 16) == port:
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_rasa_and_the_action_server_listen_on_loopback_only(stack: Stack) -> None:
    assert listening_addresses(stack.actions_port) == {"127.0.0.1"}
    assert listening_addresses(stack.rasa_port) == {"127.0.0.1"}


def test_telemetry_is_off_in_the_running_rasa(stack: Stack, tmp_path: Path) -> None:
    home = home_that_said_yes(tmp_path / "home")
    assert telemetry_enabled({}, home)
    started = process_environment(stack.processes["rasa"].pid)
    assert not telemetry_enabled(started, home)
