"""Start the action server and Rasa as child processes on free loopback ports.

Used by `make eval`, the conversation tests and the benchmarks, so that each runs the
real processes `make run` starts, on a database of its choosing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from api.accounts.service import ensure_standard_clients
from core.config import ROOT
from core.database import transaction
from core.secrets import RASA_API_SECRET, bearer, read_or_create_secret


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, wait a little, then kill."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(
    url: str,
    process: subprocess.Popen[bytes],
    seconds: float,
    headers: dict[str, str] | None = None,
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


@dataclass
class Stack:
    """The running assistant: where Rasa listens, and how to restart it."""

    environment: dict[str, str]
    logs: Path
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def secrets_dir(self) -> Path:
        return Path(self.environment["SECRETS_DIR"])

    def token(self, client: str) -> str:
        """A machine client's token (assistant, telegram), as `make run` would write it."""
        return (self.secrets_dir / f"{client}.token").read_text("utf-8").strip()

    @property
    def rasa_headers(self) -> dict[str, str]:
        """What a caller of Rasa's HTTP API sends (the gateway sends the same)."""
        return bearer(read_or_create_secret(self.secrets_dir, RASA_API_SECRET))

    def _start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        return process

    def start_actions(self, name: str = "actions", port: int | None = None) -> int:
        """Start an action server (another one for another Rasa server); its port."""
        port = port or (self.actions_port if name == "actions" else free_port())
        previous = self.environment["ACTIONS_PORT"]
        self.environment["ACTIONS_PORT"] = str(port)
        try:
            process = self._start(name, [sys.executable, "-m", "actions.server"])
        finally:
            self.environment["ACTIONS_PORT"] = previous
        wait_until_up(f"http://127.0.0.1:{port}/health", process, 60)
        return port

    def start_rasa(
        self, name: str = "rasa", port: int | None = None, actions_port: int | None = None
    ) -> str:
        """Start a Rasa process (another one serves the same conversations); its URL.

        It calls the action server on `actions_port` (by default the first one).
        """
        port = port or (self.rasa_port if name == "rasa" else free_port())
        previous = dict(self.environment)
        self.environment["RASA_PORT"] = str(port)
        self.environment["ACTIONS_PORT"] = str(actions_port or self.actions_port)
        try:
            process = self._start(name, [sys.executable, "-m", "bot.launch"])
        finally:
            self.environment.update(previous)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/status", process, 240, self.rasa_headers)
        return url

    def start_api(self) -> None:
        process = self._start("api", [sys.executable, "-m", "api"])
        wait_until_up(f"{self.api_url}/healthz", process, 60)

    def start_outbox(self) -> None:
        self._start("outbox", [sys.executable, "-m", "actions.handoff"])

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            stop_process(process)

    def restart_rasa(self) -> None:
        self.stop("rasa")
        self.start_rasa()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def make_client_tokens(database_url: str, secrets_dir: Path) -> None:
    """The assistant's and the Telegram bridge's credentials, as `make run` makes them."""
    with transaction(database_url) as session:
        ensure_standard_clients(session, secrets_dir)


@contextmanager
def assistant(
    database_url: str,
    logs: Path,
    redis_url: str | None = None,
    api: bool = True,
    *,
    rasa_servers: int = 1,
    action_servers: int = 1,
    outbox: bool | None = None,
    extra_environment: dict[str, str] | None = None,
) -> Iterator[Stack]:
    """Actions and Rasa (and the API with its outbox worker) on free ports over `database_url`.

    The catalogue must be loaded there. Scaled (README, "Scaled set-up"): `rasa_servers`
    Rasa servers ("rasa", "rasa-2", ...) share the tracker store, with Redis (`redis_url`) as
    their lock store, and the API routes each conversation to its own (`RASA_URLS`); with
    `action_servers` > 1 each Rasa server calls one of them ("actions", "actions-2", ...) in
    turn. `outbox` (by default as `api`) starts the outbox worker; `extra_environment` adds to
    or overrides the processes' environment.
    """
    logs.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    if redis_url:
        environment["REDIS_URL"] = redis_url
    stack = Stack(environment, logs)
    environment["RASA_PORT"] = str(stack.rasa_port)
    environment["ACTIONS_PORT"] = str(stack.actions_port)
    environment["API_PORT"] = str(stack.api_port)
    environment["TRACKER_SQLITE_PATH"] = str(logs / "rasa-tracker.db")
    environment["SECRETS_DIR"] = str(logs / "secrets")
    environment["OUTBOX_INTERVAL_SECONDS"] = "0.5"
    environment["RASA_TELEMETRY_ENABLED"] = "false"
    environment.update(extra_environment or {})
    make_client_tokens(database_url, stack.secrets_dir)
    try:
        stack.start_actions()
        actions = [stack.actions_port]
        actions += [stack.start_actions(f"actions-{n}") for n in range(2, action_servers + 1)]
        if rasa_servers > 1:
            others = [
                stack.start_rasa(f"rasa-{n}", actions_port=actions[(n - 1) % len(actions)])
                for n in range(2, rasa_servers + 1)
            ]
            environment["RASA_URLS"] = ",".join([stack.rasa_url, *others])
        if api:
            stack.start_api()
        if outbox if outbox is not None else api:  # by default with the API
            stack.start_outbox()
        stack.start_rasa()
        yield stack
    finally:
        stack.stop_all()
