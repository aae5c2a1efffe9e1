"""The handoff outbox: no ticket lost, none duplicated, while the API dies and comes back."""

from __future__ import annotations

import itertools
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from actions.handoff import outbox
from actions.handoff.outbox import Delivery, deliver, deliver_due, enqueue, pause_after
from api.accounts.models import Scope
from api.accounts.service import create_client
from api.tickets.models import Ticket
from core.config import ROOT
from core.database import make_engine, make_session_factory
from core.migrations import upgrade_database
from core.outbox import OutboxEntry
from devtools.stack import free_port
from services_catalog.loader import Catalogue
from services_catalog.repository import save_catalogue

HANDOFFS = 500
RESTARTS = 6
DISTRICTS = ["alna", "frogner", "sagene", "grorud", "ullern"]


def payload(number: int) -> dict[str, Any]:
    return {
        "district": DISTRICTS[number % len(DISTRICTS)],
        "for_whom": "self",
        "language": "nb",
        "description": f"Handoff number {number}",
        "contact_method": "phone",
        "contact_phone": "412 34 567",
        "consent": {"text": "Får jeg sende dette?", "given_at": "2026-11-23T10:00:00+00:00"},
        "channel": "web",
        "conversation_id": f"web:outbox-test-conversation-{number:04d}",
        "transcript": [{"sender": "person", "text": "Jeg vil snakke med en person"}],
    }


class FlakyApi:
    """The real API in a process that is killed (SIGKILL) and restarted at random."""

    def __init__(self, database_url: str, logs: Path) -> None:
        self.port = free_port()
        self.environment = {
            **os.environ,
            "DATABASE_URL": database_url,
            "API_PORT": str(self.port),
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "warning",
        }
        self.log = (logs / "api.log").open("ab")
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.killed_at: float | None = None
        self.outages: list[tuple[float, float]] = []  # (killed, started again), time.time()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.killed_at is not None:
            self.outages.append((self.killed_at, time.time()))
            self.killed_at = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api"],
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.restarts += 1

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None
            self.killed_at = time.time()

    def chaos(self, stop: threading.Event, rng: random.Random) -> None:
        while not stop.wait(rng.uniform(0.3, 2.0)):
            if self.process is None:
                self.start()
            else:
                self.kill()
        if self.process is None:
            self.start()


class FailedTries(logging.Handler):
    """Every failed delivery the outbox logs: (when, entry id, try number)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.tries: list[tuple[float, int, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("handoff %s pending") and isinstance(record.args, tuple):
            entry_id, attempt = record.args[:2]
            self.tries.append((record.created, int(entry_id), int(attempt)))  # type: ignore[call-overload]


def test_500_handoffs_survive_an_api_that_dies_and_comes_back(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        save_catalogue(session, catalogue)
        token = create_client(session, "assistant", [Scope.CREATE_TICKETS])
    api = FlakyApi(url, tmp_path)
    delivery = Delivery(api.url, token, timeout_seconds=2.0)
    rng = random.Random(20261123)
    stop_chaos, stop_workers = threading.Event(), threading.Event()

    def worker() -> None:
        with httpx.Client() as client:
            while not stop_workers.is_set():
                deliver_due(sessions, delivery, client)
                time.sleep(0.2)

    failed = FailedTries()
    outbox_log = logging.getLogger(outbox.__name__)
    outbox_log.addHandler(failed)
    chaos = threading.Thread(target=api.chaos, args=(stop_chaos, rng))
    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in [chaos, *workers]:
        thread.start()
    try:
        with httpx.Client() as client:
            for number in range(HANDOFFS):
                key = f"handoff-outbox-test-{number:04d}"
                entry = enqueue(sessions, key, payload(number)["conversation_id"], payload(number))
                deliver(sessions, entry.id, Delivery(api.url, token, 0.5), client)  # as the action
        while api.restarts < RESTARTS:
            time.sleep(0.2)
        stop_chaos.set()
        chaos.join()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with sessions() as session:
                pending = session.scalar(
                    select(func.count()).where(OutboxEntry.delivered_at.is_(None))
                )
            if pending == 0:
                break
            time.sleep(0.5)
    finally:
        stop_chaos.set()
        stop_workers.set()
        for thread in [chaos, *workers]:
            thread.join()
        api.kill()
        outbox_log.removeHandler(failed)

    with sessions() as session:
        tickets = session.execute(select(Ticket.idempotency_key, Ticket.reference)).all()
        entries = session.execute(
            select(OutboxEntry.idempotency_key, OutboxEntry.ticket_reference, OutboxEntry.payload)
        ).all()
        retries = session.scalar(select(func.sum(OutboxEntry.attempts)))
    engine.dispose()
    print(f"\n{HANDOFFS} handoffs, {api.restarts} API starts, {retries} failed tries retried")
    assert len(entries) == HANDOFFS
    by_key = dict(tickets)
    assert len(tickets) == HANDOFFS, "lost or duplicated tickets"
    assert len(by_key) == HANDOFFS
    assert all(by_key[key] == reference for key, reference, _ in entries)
    assert all(stored == {} for _, _, stored in entries), "delivered payloads are kept"
    assert_tries_failed_while_the_api_was_down(failed.tries, api.outages)


def assert_tries_failed_while_the_api_was_down(
    tries: list[tuple[float, int, int]], outages: list[tuple[float, float]]
) -> None:
    """The chaos reached the outbox: some tries met an API process that was not there."""
    assert len(outages) >= RESTARTS - 1
    while_down = [at for at, _, _ in tries if any(down <= at < up for down, up in outages)]
    print(f"{len(tries)} failed tries, {len(while_down)} while the API process was dead")
    assert while_down, "no delivery failed while the API was down"


def test_each_retry_waits_longer_than_the_one_before(tmp_path: Path) -> None:
    """One handoff, an API that never answers: tried at 0, then about 1, 2 and 4 s later."""
    url = f"sqlite:///{tmp_path / 'outbox.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    closed = Delivery(f"http://127.0.0.1:{free_port()}", "token", timeout_seconds=2.0)
    failed = FailedTries()
    outbox_log = logging.getLogger(outbox.__name__)
    outbox_log.addHandler(failed)
    try:
        with httpx.Client() as client:
            entry = enqueue(sessions, "pauses", payload(0)["conversation_id"], payload(0))
            deliver(sessions, entry.id, closed, client)
            deadline = time.monotonic() + 30
            while len(failed.tries) < 4 and time.monotonic() < deadline:
                deliver_due(sessions, closed, client)
                time.sleep(0.05)
    finally:
        outbox_log.removeHandler(failed)
        engine.dispose()
    assert [attempt for _, _, attempt in failed.tries] == [1, 2, 3, 4]
    times = [at for at, _, _ in failed.tries]
    waits = [after - before for before, after in itertools.pairwise(times)]
    for attempt, waited in enumerate(waits, start=1):
        pause = 2.0 ** (attempt - 1)
        assert 0.8 * pause <= waited <= 1.2 * pause + 0.5, (attempt, waits)
    assert waits == sorted(waits)


def test_pauses_grow_and_stop_growing() -> None:
    pauses = [pause_after(attempt) for attempt in range(1, 15)]
    assert 0.8 <= pauses[0] <= 1.2
    growing = pauses[:9]  # 1, 2, 4 … 256 s: each at least 1.6 / 1.2 times the one before
    assert all(after > before for before, after in itertools.pairwise(growing))
    assert all(0.8 * 300 <= pause <= 1.2 * 300 for pause in pauses[9:])  # capped at 5 min
