"""A conversation as Rasa stored it, read from its tracker store (not from an action call).

Rasa saves a conversation at the end of each turn, so this holds every turn before the
current one: what the person said and the slots the form filled from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from core.config import Settings
from core.database import make_engine

# Events after which Rasa forgets every slot.
SLOT_RESETS = {"restart", "reset_slots"}


@dataclass(frozen=True)
class StoredConversation:
    events: list[dict[str, Any]]

    @property
    def slots(self) -> dict[str, Any]:
        """The slots as Rasa had them at the end of the last stored turn."""
        slots: dict[str, Any] = {}
        for event in self.events:
            if event.get("event") in SLOT_RESETS:
                slots.clear()
            elif event.get("event") == "slot":
                slots[str(event.get("name"))] = event.get("value")
        return slots

    @property
    def session_events(self) -> list[dict[str, Any]]:
        """The events of the latest session, as Rasa hands them to actions."""
        starts = [i for i, e in enumerate(self.events) if e.get("event") == "session_started"]
        return self.events[starts[-1] :] if starts else self.events


@cache
def _tracker_store(url: str) -> Engine:
    """Rasa's tracker store; our engine set-up for PostgreSQL, Rasa's own file left as it is."""
    return create_engine(url) if make_url(url).get_backend_name() == "sqlite" else make_engine(url)


def read_conversation(settings: Settings, sender_id: str) -> StoredConversation | None:
    """The stored conversation of `sender_id`; None when Rasa has stored nothing for it."""
    sqlite = make_url(settings.database_url).get_backend_name() == "sqlite"
    if sqlite and not Path(settings.tracker_sqlite_path).exists():
        return None
    engine = _tracker_store(settings.tracker_store_url)
    with engine.connect() as connection:
        if not inspect(connection).has_table("events"):
            return None
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
            {"sender": sender_id},
        ).scalars()
        events = [json.loads(row) for row in rows]
    if not any(event.get("event") == "user" for event in events):
        return None
    return StoredConversation(events)
