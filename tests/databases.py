"""Real databases for tests: a SQLite file, and a fresh database on the local PostgreSQL."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pika
import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.config import Settings, get_settings
from core.database import transaction
from core.migrations import upgrade_database
from devtools.stack import Stack, assistant
from services_catalog.loader import load_catalogue
from services_catalog.repository import save_catalogue

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://root@127.0.0.1:5432/postgres"
)


def _postgres_answers() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def ensure_postgres() -> None:
    """Start the machine's PostgreSQL cluster if it is down; fail loudly if it won't come up."""
    if _postgres_answers():
        return
    for version_dir in glob.glob("/etc/postgresql/*"):
        version = Path(version_dir).name
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _postgres_answers():
            return
        time.sleep(0.5)
    raise RuntimeError(
        f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL} and could not be started; "
        "set TEST_POSTGRES_URL to a server the tests may create databases on."
    )


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database for one test run, dropped afterwards."""
    ensure_postgres()
    name = f"seniorveiviser_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        url = f"{base}/{name}"
        # Rasa's event broker, when a stack ran on it, has a database of its own beside ours.
        broker = make_url(Settings(database_url=url).event_broker_url).database
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            for database in (name, broker):
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A database URL of `kind` ("sqlite" or "postgresql"), empty and private to the caller."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379"]
REDIS_START += ["--save", "", "--appendonly", "no"]


def _redis_answers() -> bool:
    host, port = REDIS_URL.removeprefix("redis://").split("/")[0].rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis() -> str:
    """Start a local Redis if none answers; fail loudly if it won't come up."""
    if not _redis_answers():
        subprocess.run(REDIS_START, check=False, capture_output=True)
        deadline = time.monotonic() + 15
        while not _redis_answers():
            if time.monotonic() > deadline:
                raise RuntimeError(f"Redis does not answer at {REDIS_URL} and could not start")
            time.sleep(0.3)
    return REDIS_URL


RABBITMQ_URL = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def _rabbitmq_answers() -> bool:
    parameters = pika.URLParameters(RABBITMQ_URL)
    parameters.connection_attempts = 1
    parameters.socket_timeout = 2
    try:
        pika.BlockingConnection(parameters).close()
    except pika.exceptions.AMQPError:
        return False
    return True


def ensure_rabbitmq() -> str:
    """Start the machine's RabbitMQ if it is down; fail loudly if it won't come up."""
    if not _rabbitmq_answers():
        subprocess.run(["rabbitmq-server", "-detached"], check=False, capture_output=True)
        deadline = time.monotonic() + 60
        while not _rabbitmq_answers():
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"RabbitMQ does not answer at {RABBITMQ_URL} and could not start"
                )
            time.sleep(1)
    return RABBITMQ_URL


@contextmanager
def running_assistant(
    folder: Path, prepare: Callable[[Session], None] | None = None
) -> Iterator[Stack]:
    """The real processes (`make run`'s) over a fresh SQLite file holding the catalogue.

    `prepare` adds what the test needs (staff, say) in the same transaction.
    """
    model = Path(get_settings().rasa_model)
    if not model.exists():
        raise RuntimeError(f"no trained model at {model}: run `make model` first")
    url = f"sqlite:///{folder / 'stack.db'}"
    upgrade_database(url)
    with transaction(url) as session:
        save_catalogue(session, load_catalogue())
        if prepare is not None:
            prepare(session)
    with assistant(url, folder / "logs") as running:
        yield running
