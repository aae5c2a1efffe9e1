"""Rasa's SQL event broker: where it writes (the endpoints Rasa gets) and how we read it.

On SQLite the broker has a file of its own beside the tracker's; on PostgreSQL a database of
its own on the same server (Rasa's tracker store already has a table called `events`).
"""

import contextlib
from typing import Any

import psycopg
from sqlalchemy import Column, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import make_url

from core.config import Settings
from core.tracker_store import sql_store_endpoint

metadata = MetaData()
# The table Rasa's SQLEventBroker creates and writes (rasa/core/brokers/sql.py).
broker_events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)


def broker_endpoint(settings: Settings) -> dict[str, Any]:
    """The `event_broker` section of Rasa's endpoints."""
    return sql_store_endpoint(settings.event_broker_url)


def ensure_broker_database(settings: Settings) -> None:
    """Create the broker's own PostgreSQL database (and its table) when missing."""
    url = make_url(settings.event_broker_url)
    if url.get_backend_name() != "postgresql":
        return
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
        ).fetchone()
        if exists is None:
            # Another Rasa server, starting at the same moment, may make it first.
            with contextlib.suppress(
                psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation
            ):
                connection.execute(f'CREATE DATABASE "{url.database}"')
