"""An emergency is answered with 113 even when the assistant is busy or too slow.

The real app (its own uvicorn on loopback) over a SQLite file with the catalogue; in place of
Rasa, a loopback stand-in that holds every message until the test lets it go, so the
gateway's one slot towards it stays taken for as long as the test needs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from api.texts import TEXTS
from core.config import Settings
from core.safety.messages import SAFETY_TEXTS
from services_catalog.loader import Catalogue
from tests.servers import serve
from tests.staff import loaded_database

CHEST = "Jeg har vondt i brystet og får ikke puste"
CALM = "Hva koster trygghetsalarm?"
SLOT_WAIT_SECONDS = 0.3
SAFETY_WAIT_SECONDS = 1.0
BUSY_CHECKS_PER_SECOND = 5
RASA_TIMEOUT_SECONDS = 1.0


@dataclass
class HeldAssistant:
    """Rasa's REST webhook, holding each message until `release` (or its own time-out)."""

    app: FastAPI = field(default_factory=FastAPI)
    received: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(0))
    released: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        @self.app.post("/webhooks/rest/webhook")
        async def webhook(body: dict[str, Any]) -> list[dict[str, str]]:
            self.received.release()
            deadline = time.monotonic() + 30
            while not self.released.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            return [{"recipient_id": body["sender"], "text": "Her er et svar."}]


@dataclass(frozen=True)
class Gateway:
    url: str
    assistant: HeldAssistant


@contextmanager
def held_gateway(catalogue: Catalogue, tmp_path: Path, rasa_timeout: float) -> Iterator[Gateway]:
    """The app, with one slot towards a stand-in assistant that holds every message."""
    assistant = HeldAssistant()
    with loaded_database("sqlite", catalogue, tmp_path) as url, serve(assistant.app) as rasa:
        settings = Settings(
            database_url=url,
            secrets_dir=tmp_path / "secrets",
            tracker_sqlite_path=str(tmp_path / "rasa-tracker.db"),
            rasa_urls=rasa,
            rasa_timeout_seconds=rasa_timeout,
            assistant_max_in_flight=1,
            assistant_slot_wait_seconds=SLOT_WAIT_SECONDS,
            busy_safety_wait_seconds=SAFETY_WAIT_SECONDS,
            busy_safety_checks_per_second=BUSY_CHECKS_PER_SECOND,
            chat_message_limits_per_address="10000 per minute",
            chat_start_limits_per_address="10000 per minute",
        )
        with serve(create_app(settings)) as api:
            try:
                yield Gateway(api, assistant)
            finally:
                assistant.released.set()


@pytest.fixture
def gateway(catalogue: Catalogue, tmp_path: Path) -> Iterator[Gateway]:
    with held_gateway(catalogue, tmp_path, rasa_timeout=30.0) as running:
        yield running


def start(api: httpx.Client) -> str:
    return str(api.post("/api/chat/conversations").json()["conversation_id"])


def send(api: httpx.Client, text: str) -> httpx.Response:
    return api.post(f"/api/chat/conversations/{start(api)}/messages", json={"text": text})


@pytest.fixture
def busy(gateway: Gateway) -> Iterator[httpx.Client]:
    """The gateway with its one slot taken by a message the assistant holds."""
    with httpx.Client(base_url=gateway.url, timeout=60) as api, ThreadPoolExecutor(1) as pool:
        holding = pool.submit(send, api, CALM)
        assert gateway.assistant.received.acquire(timeout=30)
        yield api
        gateway.assistant.released.set()
        assert holding.result().status_code == 200


def test_an_emergency_refused_for_overload_still_gets_113_first(busy: httpx.Client) -> None:
    began = time.monotonic()
    turn = send(busy, CHEST)
    took = time.monotonic() - began
    assert turn.status_code == 200
    messages = turn.json()["messages"]
    assert messages[0]["alert"] == "emergency"
    assert messages[0]["text"] == SAFETY_TEXTS["emergency"]["nb"]
    assert messages[-1]["text"] == TEXTS["assistant_busy"]["nb"]
    assert took < SLOT_WAIT_SECONDS + SAFETY_WAIT_SECONDS + 1.0


def test_a_calm_message_refused_for_overload_gets_the_fast_503(busy: httpx.Client) -> None:
    began = time.monotonic()
    refused = send(busy, CALM)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "5"
    assert "113" in refused.json()["detail"]
    assert time.monotonic() - began < SLOT_WAIT_SECONDS + SAFETY_WAIT_SECONDS + 1.0


def test_under_a_flood_of_refused_emergencies_every_answer_is_fast_and_names_113(
    busy: httpx.Client,
) -> None:
    """At most BUSY_CHECKS_PER_SECOND are scored: the rest get the 503, whose text names 113."""
    began = time.monotonic()
    with ThreadPoolExecutor(30) as pool:
        turns = list(pool.map(lambda _: send(busy, CHEST), range(30)))
    assert time.monotonic() - began < SLOT_WAIT_SECONDS + SAFETY_WAIT_SECONDS + 3.0
    for turn in turns:
        assert turn.status_code in (200, 503)
        if turn.status_code == 200:
            assert turn.json()["messages"][0]["alert"] == "emergency"
        else:
            assert "113" in turn.json()["detail"]
    answered = sum(turn.status_code == 200 for turn in turns)
    seconds = time.monotonic() - began
    assert 1 <= answered <= BUSY_CHECKS_PER_SECOND * (1 + seconds)


def test_a_slow_assistant_times_out_into_the_assistant_down_path(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    """Rasa holds the message past RASA_TIMEOUT_SECONDS: "not sent yet", 113 if it is urgent."""
    with (
        held_gateway(catalogue, tmp_path, RASA_TIMEOUT_SECONDS) as gateway,
        httpx.Client(base_url=gateway.url, timeout=60) as api,
    ):
        began = time.monotonic()
        refused = send(api, CALM)
        assert refused.status_code == 503
        assert refused.headers["Retry-After"] == "10"
        assert refused.json()["detail"] == TEXTS["assistant_down"]["nb"]
        assert time.monotonic() - began < RASA_TIMEOUT_SECONDS + 1.5

        urgent = send(api, CHEST)
        assert urgent.status_code == 200
        assert urgent.json()["messages"][0]["alert"] == "emergency"


def test_the_assistant_is_given_about_8_seconds() -> None:
    assert Settings().rasa_timeout_seconds == 8.0
