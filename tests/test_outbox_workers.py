"""Two outbox workers on one database never try the same handoff twice within its pause."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse

from actions.handoff.outbox import enqueue
from core.config import ROOT
from core.database import make_engine, make_session_factory
from devtools.stack import stop_process
from tests.servers import serve
from tests.test_outbox import payload

HANDOFFS = 20
TRIES_EACH = 3
SHORTEST_PAUSE = 0.8  # pause_after(1) is 1 s with at most 20 % jitter


class RefusingApi:
    """An API that is overloaded: it answers every ticket with 503, and notes each try."""

    def __init__(self) -> None:
        self.tries: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/api/tickets")
        def tickets(idempotency_key: Annotated[str, Header()]) -> JSONResponse:
            with self.lock:
                self.tries.setdefault(idempotency_key, []).append(time.monotonic())
            return JSONResponse({"status": 503, "detail": "Opptatt."}, 503)

        return app

    def tried_enough(self) -> bool:
        with self.lock:
            counts = [len(times) for times in self.tries.values()]
        return len(counts) == HANDOFFS and min(counts) >= TRIES_EACH


@contextmanager
def outbox_worker(database_url: str, api_url: str, workdir: Path) -> Iterator[None]:
    """`python -m actions.handoff`, polling every 50 ms so that two workers overlap."""
    host, port = api_url.removeprefix("http://").split(":")
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "API_HOST": host,
        "API_PORT": port,
        "ASSISTANT_TOKEN": "worker-token",
        "OUTBOX_INTERVAL_SECONDS": "0.05",
    }
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / "worker.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "actions.handoff"],
            cwd=workdir,  # no developer's .env
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield
    finally:
        stop_process(process)


def test_two_workers_never_try_one_handoff_twice_within_its_pause(
    empty_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(empty_database_url)
    sessions = make_session_factory(engine)
    api = RefusingApi()
    with serve(api.app()) as url, ExitStack() as workers:
        for number in range(HANDOFFS):
            enqueue(sessions, f"two-workers-{number:02d}", f"web:two-{number}", payload(number))
        for name in ("first", "second"):
            workers.enter_context(outbox_worker(empty_database_url, url, tmp_path / name))
        deadline = time.monotonic() + 90
        while not api.tried_enough():
            assert time.monotonic() < deadline, f"tries so far: {api.tries}"
            time.sleep(0.1)
    engine.dispose()
    with api.lock:
        gaps = {
            key: [after - before for before, after in itertools.pairwise(times)]
            for key, times in api.tries.items()
        }
    too_soon = {key: [g for g in each if g < SHORTEST_PAUSE] for key, each in gaps.items()}
    assert not any(too_soon.values()), f"tried again too soon (s): {too_soon}"
