"""Rasa's event broker: where it writes (the endpoints Rasa gets) and how we read it.

Rasa's SQL broker writes the `events` table the figures are folded from: on SQLite in a file
of its own beside the tracker's, on PostgreSQL in a database of its own on the same server
(Rasa's tracker store already has a table called `events`). In the scaled set-up Rasa's Pika
broker sends the events to RabbitMQ instead, and `api.stats.relay` writes them into that table.
"""

import contextlib
from typing import Any
from urllib.parse import urlsplit

import psycopg
from sqlalchemy import Column, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import make_url

from core.config import Settings
from core.tracker_store import sql_store_endpoint

AMQP_PORT = 5672
SQL_BROKER = "bot.sql_broker.PooledSQLEventBroker"  # Rasa's SQL broker on a kept connection
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
    """The `event_broker` section of Rasa's endpoints: RabbitMQ when set, else SQL."""
    if not settings.event_broker_amqp_url:
        return sql_store_endpoint(settings.event_broker_url, SQL_BROKER)
    url = urlsplit(settings.event_broker_amqp_url)
    return {
        "type": "pika",
        # Rasa puts the user and password into this URL itself (rasa/core/brokers/pika.py).
        "url": f"{url.scheme}://{url.hostname}:{url.port or AMQP_PORT}{url.path}",
        "port": url.port or AMQP_PORT,
        "username": url.username or "guest",
        "password": url.password or "guest",
        "queues": [settings.event_broker_queue],
        "exchange_name": settings.event_broker_queue,
    }


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
