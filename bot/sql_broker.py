"""Rasa's SQL event broker, writing the same rows on a connection it keeps.

Rasa's own `SQLEventBroker` (rasa/core/brokers/sql.py) opens an ORM session for every event;
on SQLite, SQLAlchemy 1.4 opens a new database connection for each (NullPool), and a turn
publishes about seven events. This broker keeps one pooled connection and inserts each event
with a single Core statement: the same `events` table and rows, for about a third of the CPU
(bench/conversation_bench.py). `core.event_broker.broker_endpoint` names it in Rasa's
endpoints; it runs in Rasa's environment.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy
from rasa.core.brokers.sql import SQLEventBroker
from sqlalchemy.pool import QueuePool


def _quick_sqlite(connection: Any, _record: Any) -> None:
    """Write-ahead log, synced at checkpoints: a commit survives a crash of Rasa."""
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


class PooledSQLEventBroker(SQLEventBroker):
    """`SQLEventBroker` with a kept connection and one INSERT an event."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(
                url,
                poolclass=QueuePool,
                pool_size=1,
                connect_args={"check_same_thread": False},
            )
            sqlalchemy.event.listen(self.engine, "connect", _quick_sqlite)
        self._insert = self.SQLBrokerEvent.__table__.insert()

    def publish(self, event: dict[str, Any]) -> None:
        """Store one event as Rasa's broker does: its sender and its JSON."""
        row = {"sender_id": event.get("sender_id"), "data": json.dumps(event)}
        with self.engine.begin() as connection:
            connection.execute(self._insert, row)
