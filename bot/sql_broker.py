"""Rasa's SQL event broker, writing the same rows on a connection it keeps.

Rasa's own `SQLEventBroker` (rasa/core/brokers/sql.py) opens an ORM session for every event,
and a turn publishes about seven. This broker keeps its connection (`bot.sql_pool`) and
inserts each event with a single Core statement: the same `events` table and rows, for about
a third of the CPU (bench/conversation_bench.py). `core.event_broker.broker_endpoint` names it
in Rasa's endpoints; it runs in Rasa's environment.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.brokers.sql import SQLEventBroker

from bot.sql_pool import kept_connection


class PooledSQLEventBroker(SQLEventBroker):
    """`SQLEventBroker` with a kept connection and one INSERT an event."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = kept_connection(self.engine)
        self._insert = self.SQLBrokerEvent.__table__.insert()

    def publish(self, event: dict[str, Any]) -> None:
        """Store one event as Rasa's broker does: its sender and its JSON."""
        row = {"sender_id": event.get("sender_id"), "data": json.dumps(event)}
        with self.engine.begin() as connection:
            connection.execute(self._insert, row)
