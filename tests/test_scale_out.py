"""Scale-out: conversations spread over several Rasa servers, and none loses or doubles a turn.

`server_for` is checked on its own; then the scaled set-up for real: three Rasa servers (the
trained model) sharing one PostgreSQL tracker store, Redis as their lock store, and the API
routing each conversation to its server. Fifty conversations each send overlapping messages;
every fourth also sends one straight to another server at the same time, so only Redis keeps
those apart.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.chat.assistant import server_for
from core.database import transaction
from core.migrations import upgrade_database
from devtools.stack import Stack, assistant
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue
from tests.databases import ensure_redis, fresh_postgres_database

SERVERS = [f"http://127.0.0.1:{port}" for port in (5005, 5006, 5007)]
CONVERSATIONS = 50
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
    """Actions, three Rasa servers (PostgreSQL, Redis locks) and the API routing between them."""
    folder = tmp_path_factory.mktemp("scaled")
    with fresh_postgres_database() as url:
        upgrade_database(url)
        with transaction(url) as session:
            save_catalogue(session, catalogue)
        environment = {
            "CHAT_MESSAGE_LIMITS_PER_ADDRESS": "10000 per minute",
            "CHAT_START_LIMITS_PER_ADDRESS": "10000 per minute",
            "ASSISTANT_SLOT_WAIT_SECONDS": "180",
            "RASA_TIMEOUT_SECONDS": "180",
        }
        with assistant(
            url,
            folder / "logs",
            ensure_redis(),
            rasa_servers=3,
            outbox=False,
            extra_environment=environment,
        ) as stack:
            yield stack


DIRECT = "Hei igjen"


def servers(stack: Stack) -> list[str]:
    return stack.environment["RASA_URLS"].split(",")


async def converse(
    api: httpx.AsyncClient, rasa: dict[str, httpx.AsyncClient], index: int
) -> tuple[str, list[str]]:
    """One conversation's messages, all sent at once; every fourth also straight to a server
    that is not the conversation's own. The conversation's id and what it sent."""
    conversation = str((await api.post("/api/chat/conversations")).json()["conversation_id"])
    sends = [
        api.post(f"/api/chat/conversations/{conversation}/messages", json={"text": text})
        for text in MESSAGES
    ]
    sent = list(MESSAGES)
    if index % 4 == 0:
        home = server_for(conversation, list(rasa))
        other = next(url for url in rasa if url != home)
        sent.append(DIRECT)
        sends.append(
            rasa[other].post(
                "/webhooks/rest/webhook", json={"sender": conversation, "message": DIRECT}
            )
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


async def bubbles_alone(api: httpx.AsyncClient, rasa: httpx.AsyncClient) -> dict[str, int]:
    """How many bot messages each text gets as the first message of a quiet conversation."""
    bubbles = {}
    for text in [*MESSAGES, DIRECT]:
        conversation = (await api.post("/api/chat/conversations")).json()["conversation_id"]
        sent = await api.post(
            f"/api/chat/conversations/{conversation}/messages", json={"text": text}
        )
        assert sent.status_code == 200, sent.text
        tracker = (await rasa.get(f"/conversations/{conversation}/tracker")).json()
        [(_, bubbles[text])] = user_turns(tracker)
    return bubbles


def test_overlapping_messages_on_three_servers_are_each_answered_once_in_order(
    scaled: Stack,
) -> None:
    async def run() -> tuple[dict[str, int], list[tuple[list[str], dict[str, Any]]]]:
        async with httpx.AsyncClient(base_url=scaled.api_url, timeout=120) as api:
            rasa = {
                url: httpx.AsyncClient(base_url=url, headers=scaled.rasa_headers, timeout=120)
                for url in servers(scaled)
            }
            try:
                any_server = next(iter(rasa.values()))
                alone = await bubbles_alone(api, any_server)
                conversations = await asyncio.gather(
                    *(converse(api, rasa, index) for index in range(CONVERSATIONS))
                )
                trackers = []
                for conversation, sent in conversations:
                    response = await any_server.get(f"/conversations/{conversation}/tracker")
                    response.raise_for_status()
                    trackers.append((sent, response.json()))
                return alone, trackers
            finally:
                for client in rasa.values():
                    await client.aclose()

    alone, trackers = asyncio.run(run())
    for sent, tracker in trackers:
        turns = user_turns(tracker)
        story = [(e["event"], e.get("text") or e.get("name")) for e in tracker["events"]]
        # Each message stored once (none lost, none doubled), whatever order they came in.
        assert Counter(text for text, _ in turns) == Counter(sent), story
        # Each answered before the next was taken up, as fully as when it comes alone: the
        # turns never interleave and no answer is lost or given twice.
        assert all(answers == alone[text] for text, answers in turns), (alone, story)
        timestamps = [event["timestamp"] for event in tracker["events"]]
        assert timestamps == sorted(timestamps), "the tracker's events are out of order"
        keys = [
            (e["event"], e["timestamp"], e.get("text"), e.get("name")) for e in tracker["events"]
        ]
        assert len(keys) == len(set(keys)), "an event is stored twice"
    log = "".join(
        (scaled.logs / f"{name}.log").read_text("utf-8", errors="replace")
        for name in ("rasa", "rasa-2", "rasa-3")
    )
    assert "LockError" not in log
