"""Real databases for tests: a SQLite file, and a fresh database on the local PostgreSQL."""

from __future__ import annotations

import glob
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

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
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """A database URL of `kind` ("sqlite" or "postgresql"), empty and private to the caller."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
    else:
        with fresh_postgres_database() as url:
            yield url
