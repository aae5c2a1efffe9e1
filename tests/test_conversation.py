"""Whole conversations over Rasa's REST channel, with the real Rasa and action server.

Needs the trained model (`make model`; `make test` trains it when missing).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
import redis

from core.config import get_settings
from core.migrations import upgrade_database
from devtools.stack import Stack, assistant
from tests.databases import ensure_redis, fresh_database
from tests.national_ids import valid_id

MODEL = Path(get_settings().rasa_model)


def say(stack: Stack, sender: str, text: str) -> list[str]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        messages: list[dict[str, Any]] = json.loads(response.read())
    # What the person reads; a custom payload (the "Var dette til hjelp?" offer) has no text.
    return [str(message["text"]) for message in messages if message.get("text")]


def tracker_of(stack: Stack, sender: str) -> dict[str, Any]:
    url = f"{stack.rasa_url}/conversations/{sender}/tracker"
    request = urllib.request.Request(url, headers=stack.rasa_headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        tracker: dict[str, Any] = json.loads(response.read())
    return tracker


def slots(stack: Stack, sender: str) -> dict[str, Any]:
    return dict(tracker_of(stack, sender)["slots"])


class LockWatcher:
    """Polls Rasa's Redis lock for one conversation: the most tickets it ever held at once.

    Two tickets mean a second turn queued while the first was being served.
    """

    def __init__(self, redis_url: str, sender: str) -> None:
        self.client = redis.Redis.from_url(redis_url)
        self.key = f"seniorveiviser:lock:{sender}"  # bot/launch.py's key prefix, Rasa's "lock:"
        self.most_tickets = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch)

    def _watch(self) -> None:
        while not self.stop.wait(0.002):
            lock = cast("bytes | None", self.client.get(self.key))
            if lock is not None:
                tickets = len(json.loads(lock)["tickets"])
                self.most_tickets = max(self.most_tickets, tickets)

    def __enter__(self) -> LockWatcher:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()
        self.client.close()


@pytest.fixture(scope="module")
def stack(loaded_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    with assistant(loaded_database_url, tmp_path_factory.mktemp("stack")) as running:
        yield running


def test_question_then_correction_then_restart(stack: Stack) -> None:
    sender = f"test-{uuid.uuid4().hex}"
    first = say(stack, sender, "hvordan får mor dagsenterplass")
    assert first[0].startswith("Slik søker du om Dagsenter")
    assert first[-1].startswith("Hvilken bydel")
    answer = say(stack, sender, "hun bor på Grefsen")
    assert any("Nordre Aker" in line for line in answer)
    correction = say(stack, sender, "nei, hun bor på Bøler")
    assert any("Østensjø" in line for line in correction)
    assert slots(stack, sender)["district"] == "ostensjo"

    stack.restart_rasa()

    assert slots(stack, sender)["district"] == "ostensjo"
    later = "\n".join(say(stack, sender, "hvordan søker jeg om trygghetsalarm"))
    assert "Trygghetsalarm" in later
    assert "Østensjø" in later


def test_emergency_first_reply_is_113(stack: Stack) -> None:
    replies = say(stack, f"test-{uuid.uuid4().hex}", "pappa har falt og blør masse fra hodet")
    assert "113" in replies[0]


def test_context_switch_from_need_to_service_to_out_of_scope(stack: Stack) -> None:
    sender = f"test-{uuid.uuid4().hex}"
    need = say(stack, sender, "bestefar er ensom og sitter mye inne")
    # Any bubble: a message the detector is unsure of gets the 113 line first, by design.
    assert any("Seniorsenter" in bubble for bubble in need)
    service = say(stack, sender, "hva koster tt kort")
    assert service[0].startswith("Pris for TT-kort")
    other = say(stack, sender, "hvem vant fotballkampen i går")
    assert "ikke hjelpe med" in other[0]


def test_two_rasa_processes_share_one_conversation(tmp_path: Path) -> None:
    """PostgreSQL keeps the conversation, Redis locks it: turns at once wait for each other."""
    with fresh_database("postgresql", tmp_path) as url:
        upgrade_database(url)
        assert (
            subprocess.run(
                [sys.executable, "-m", "services_catalog", "load", "--database-url", url],
                check=False,
            ).returncode
            == 0
        )
        redis_url = ensure_redis()
        with assistant(url, tmp_path / "logs", redis_url=redis_url) as first:
            second_url = first.start_rasa("rasa-2")
            second = Stack(
                first.environment, first.logs, rasa_port=int(second_url.rsplit(":", 1)[1])
            )
            sender = f"test-{uuid.uuid4().hex}"
            say(first, sender, "hva er et seniorsenter")
            turns = [(first, "vi bor på Holmlia"), (second, "hva koster trygghetsalarm")]
            with LockWatcher(redis_url, sender) as lock, ThreadPoolExecutor(2) as pool:
                for _ in range(12):  # on a busy machine one turn may end before the other starts
                    answered = [pool.submit(say, stack, sender, text) for stack, text in turns]
                    assert all(done.result() for done in answered)
                    if lock.most_tickets >= 2:
                        break
            assert lock.most_tickets >= 2, "the turns never met at the lock"
            # Served one after the other: the second message came after the first turn's replies.
            events = tracker_of(first, sender)["events"]
            kinds = [e["event"] for e in events if e["event"] in ("user", "bot")]
            said = [e["text"] for e in events if e["event"] == "user"]
            assert sorted(said[-2:]) == sorted(text for _, text in turns)
            last_two = [i for i, kind in enumerate(kinds) if kind == "user"][-2:]
            assert "bot" in kinds[last_two[0] : last_two[1]]
            assert slots(first, sender)["district"] == "sondre-nordstrand"
            replies = "\n".join(say(first, sender, "og hjemmesykepleie?"))
            assert "Hjemmesykepleie" in replies
            assert "Søndre Nordstrand" in replies


def test_rasa_masks_national_ids_on_its_own_rest_channel(stack: Stack) -> None:
    """Even a message that bypasses the API's gateway is masked before Rasa stores it."""
    sender = f"test-{uuid.uuid4().hex}"
    number = valid_id(date(1939, 2, 14))
    say(stack, sender, f"fødselsnummeret mitt er {number}, hva koster trygghetsalarm?")
    url = f"{stack.rasa_url}/conversations/{sender}/tracker"
    request = urllib.request.Request(url, headers=stack.rasa_headers)
    with urllib.request.urlopen(request) as response:
        tracker = response.read().decode()
    assert "trygghetsalarm" in tracker
    assert number not in tracker
    assert "[fødselsnummer fjernet]" in json.loads(tracker)["latest_message"]["text"]
