"""Scale-out: conversations spread over several Rasa servers, and none loses or doubles a turn.

`server_for` is checked on its own; then the scaled set-up for real: two Rasa servers (the
trained model) sharing one PostgreSQL tracker store, Redis as their lock store, and the API
routing each conversation to its server. Every conversation sends overlapping messages; some
also go straight to the other server at the same time, so only Redis keeps them apart.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.chat.assistant import server_for
from core.config import ROOT
from core.database import make_engine, make_session_factory
from core.migrations import upgrade_database
from devtools.stack import Stack, make_client_tokens
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue
from tests.databases import ensure_redis, fresh_postgres_database

SERVERS = [f"http://127.0.0.1:{port}" for port in (5005, 5006, 5007)]
CONVERSATIONS = 24
MESSAGES = ["Hei", "Tusen takk", "Hallo"]  # small talk: answered by the action server


def test_a_conversation_always_goes_to_the_same_server() -> None:
    ids = [f"web:{uuid.uuid4().hex}" for _ in range(3000)]
    first = [server_for(conversation, SERVERS) for conversation in ids]
    assert first == [server_for(conversation, list(reversed(SERVERS))) for conversation in ids]
    counts = Counter(first)
    assert set(counts) == set(SERVERS)
    assert min(counts.values()) > 3000 / len(SERVERS) * 0.85
    # A fourth server takes only the conversations it gains; the rest stay where they were.
    grown = [server_for(conversation, [*SERVERS, "http://127.0.0.1:5008"]) for conversation in ids]
    moved = [(a, b) for a, b in zip(first, grown, strict=True) if a != b]
    assert all(b == "http://127.0.0.1:5008" for _, b in moved)
    assert len(moved) < 3000 * 0.35


@pytest.fixture(scope="module")
def scaled(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Actions, two Rasa servers (PostgreSQL, Redis locks) and the API routing between them."""
    folder = tmp_path_factory.mktemp("scaled")
    with fresh_postgres_database() as url:
        upgrade_database(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session, session.begin():
            save_catalogue(session, catalogue)
        engine.dispose()
        logs = folder / "logs"
        logs.mkdir()
        environment = {
            **os.environ,
            "DATABASE_URL": url,
            "REDIS_URL": ensure_redis(),
            "PYTHONPATH": str(ROOT),
            "SECRETS_DIR": str(logs / "secrets"),
            "RASA_TELEMETRY_ENABLED": "false",
            "CHAT_MESSAGE_LIMITS_PER_ADDRESS": "10000 per minute",
            "CHAT_START_LIMITS_PER_ADDRESS": "10000 per minute",
            "ASSISTANT_SLOT_WAIT_SECONDS": "60",
            "RASA_TIMEOUT_SECONDS": "60",
        }
        stack = Stack(environment, logs)
        environment["RASA_PORT"] = str(stack.rasa_port)
        environment["ACTIONS_PORT"] = str(stack.actions_port)
        environment["API_PORT"] = str(stack.api_port)
        make_client_tokens(url, stack.secrets_dir)
        try:
            stack.start_actions()
            second = stack.start_rasa("rasa-2")
            environment["RASA_URLS"] = f"{stack.rasa_url},{second}"
            stack.start_api()
            stack.start_rasa()
            yield stack
        finally:
            stack.stop_all()


DIRECT = "Hei igjen"


async def converse(
    api: httpx.AsyncClient, rasa: httpx.AsyncClient, index: int
) -> tuple[str, list[str]]:
    """One conversation's messages, all sent at once; every fourth also straight to Rasa.

    The conversation's id and what it sent.
    """
    conversation = str((await api.post("/api/chat/conversations")).json()["conversation_id"])
    sends = [
        api.post(f"/api/chat/conversations/{conversation}/messages", json={"text": text})
        for text in MESSAGES
    ]
    sent = list(MESSAGES)
    if index % 4 == 0:
        sent.append(DIRECT)
        sends.append(
            rasa.post("/webhooks/rest/webhook", json={"sender": conversation, "message": DIRECT})
        )
    for response in await asyncio.gather(*sends):
        assert response.status_code == 200, response.text
    return conversation, sent


def user_turns(tracker: dict[str, Any]) -> list[tuple[str, int]]:
    """Each user message, and how many bot messages answered it before the next one."""
    turns: list[tuple[str, int]] = []
    for event in tracker["events"]:
        if event["event"] == "user":
            turns.append((event["text"], 0))
        elif event["event"] == "bot" and turns:
            turns[-1] = (turns[-1][0], turns[-1][1] + 1)
    return turns


def test_overlapping_messages_on_two_servers_are_each_answered_once_in_order(
    scaled: Stack,
) -> None:
    second = scaled.environment["RASA_URLS"].split(",")[1]

    async def run() -> list[tuple[list[str], dict[str, Any]]]:
        async with (
            httpx.AsyncClient(base_url=scaled.api_url, timeout=120) as api,
            httpx.AsyncClient(base_url=second, headers=scaled.rasa_headers, timeout=120) as rasa,
        ):
            conversations = await asyncio.gather(
                *(converse(api, rasa, index) for index in range(CONVERSATIONS))
            )
            trackers = []
            for conversation, sent in conversations:
                response = await rasa.get(f"/conversations/{conversation}/tracker")
                response.raise_for_status()
                trackers.append((sent, response.json()))
            return trackers

    for sent, tracker in asyncio.run(run()):
        turns = user_turns(tracker)
        story = [(e["event"], e.get("text") or e.get("name")) for e in tracker["events"]]
        # Each message stored once (none lost, none doubled), whatever order they came in.
        assert Counter(text for text, _ in turns) == Counter(sent), turns
        # Each answered before the next was taken up: the turns never interleave.
        assert all(answers >= 1 for _, answers in turns), story
        timestamps = [event["timestamp"] for event in tracker["events"]]
        assert timestamps == sorted(timestamps), "the tracker's events are out of order"
    log = (scaled.logs / "rasa.log").read_text("utf-8", errors="replace")
    log += (scaled.logs / "rasa-2.log").read_text("utf-8", errors="replace")
    assert "LockError" not in log
