"""Rasa's SQL tracker store, saving a turn with one count and one insert on a kept connection.

Rasa's own `SQLTrackerStore.save` (rasa/core/tracker_store.py) first loads the conversation's
session again and rebuilds a tracker from it, only to learn which events the event broker has
not had; then, in a second session, it counts the stored events and adds the new ones an ORM
object at a time. This store counts once, inserts the new events in one statement, and gives
the broker exactly those events, after they are stored. The table and its rows are Rasa's.
On SQLite it keeps its connection (`bot.sql_pool`). `core.tracker_store.sql_store_endpoint`
names it in Rasa's endpoints; it runs in Rasa's environment.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import sessionmaker

from bot.sql_pool import kept_connection


def _row(sender_id: str, event: Event) -> dict[str, Any]:
    """One event as Rasa's `SQLTrackerStore.save` stores it."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class PooledSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that saves a turn in one short transaction."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = kept_connection(self.engine)
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._insert = self.SQLEvent.__table__.insert()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events the database does not have yet, then stream them to the broker."""
        with self.session_scope() as session:
            new_events = list(self._additional_events(session, tracker))
            if new_events:
                session.execute(
                    self._insert, [_row(tracker.sender_id, event) for event in new_events]
                )
            session.commit()
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
