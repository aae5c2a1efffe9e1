"""Rasa's SQL tracker store (its `events` table): reading and erasing conversations.

Rasa writes it; the action server reads a conversation back, the API shows and erases them.
With SQLite it is Rasa's own file (`Settings.tracker_sqlite_path`); with PostgreSQL it is a
table in our database, reached through the caller's session when there is one, so an erasure
commits with the caller's other changes. Reading never creates the file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.config import Settings
from core.database import fold_wal, keep_private, make_engine, secure_delete

# Rasa's SQL tracker store, saving a turn in one short transaction.
SQL_TRACKER_STORE = "bot.sql_tracker_store.PooledSQLTrackerStore"
# Events after which Rasa forgets every slot.
SLOT_RESETS = {"restart", "reset_slots"}
_READ = text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
_ERASE = "DELETE FROM events WHERE sender_id = :sender"
_PURGE = (
    "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events"
    " GROUP BY sender_id HAVING max(timestamp) < :cutoff)"
)


@dataclass(frozen=True)
class StoredConversation:
    """A conversation as Rasa stored it: every turn before the current one."""

    events: list[dict[str, Any]]

    @property
    def slots(self) -> dict[str, Any]:
        """The slots as Rasa had them at the end of the last stored turn."""
        slots: dict[str, Any] = {}
        for stored in self.events:
            if stored.get("event") in SLOT_RESETS:
                slots.clear()
            elif stored.get("event") == "slot":
                slots[str(stored.get("name"))] = stored.get("value")
        return slots

    @property
    def session_events(self) -> list[dict[str, Any]]:
        """The events of the latest session, as Rasa hands them to actions."""
        starts = [i for i, e in enumerate(self.events) if e.get("event") == "session_started"]
        return self.events[starts[-1] :] if starts else self.events


def _on_sqlite(settings: Settings) -> bool:
    return make_url(settings.database_url).get_backend_name() == "sqlite"


@cache
def _own_engine(url: str) -> Engine:
    """Our engine set-up for the PostgreSQL store, for a process without a session (actions)."""
    return make_engine(url)


@contextmanager
def _reading(settings: Settings, session: Session | None) -> Iterator[Connection | None]:
    """A connection to the store; None when Rasa has not made its SQLite file yet."""
    if not _on_sqlite(settings):
        if session is not None:
            yield session.connection()
        else:
            with _own_engine(settings.tracker_store_url).connect() as connection:
                yield connection
        return
    if not Path(settings.tracker_sqlite_path).exists():
        yield None  # Rasa has stored nothing yet; reading must not create its file
        return
    engine = create_engine(settings.tracker_store_url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def read_events(
    settings: Settings, sender_id: str, session: Session | None = None
) -> list[dict[str, Any]]:
    """The conversation's events in Rasa's JSON form, oldest first; [] when none is stored."""
    with _reading(settings, session) as connection:
        if connection is None or not inspect(connection).has_table("events"):
            return []
        rows = connection.execute(_READ, {"sender": sender_id}).scalars()
        return [json.loads(row) for row in rows]


def read_conversation(settings: Settings, sender_id: str) -> StoredConversation | None:
    """The stored conversation of `sender_id`; None when the person has said nothing in it."""
    events = read_events(settings, sender_id)
    if not any(stored.get("event") == "user" for stored in events):
        return None
    return StoredConversation(events)


def _delete(settings: Settings, session: Session, statement: str, **values: Any) -> int:
    """Run one DELETE on the store (its SQLite file, or our PostgreSQL); events deleted."""

    def run(connection: Connection) -> int:
        if not inspect(connection).has_table("events"):
            return 0
        return int(connection.execute(text(statement), values).rowcount or 0)

    if not _on_sqlite(settings):
        return run(session.connection())
    keep_private(Path(settings.tracker_sqlite_path))
    engine = create_engine(settings.tracker_store_url)
    event.listen(engine, "connect", secure_delete)
    try:
        with engine.begin() as connection:
            deleted = run(connection)
        fold_wal(engine)
        return deleted
    finally:
        engine.dispose()


def erase_conversation(settings: Settings, session: Session, sender_id: str) -> None:
    """Delete the conversation from the store (on PostgreSQL when `session` commits)."""
    _delete(settings, session, _ERASE, sender=sender_id)


def purge_quiet_conversations(settings: Settings, session: Session, days: int) -> int:
    """Delete conversations whose last message is over `days` old; how many events went."""
    return _delete(settings, session, _PURGE, cutoff=time.time() - days * 86400)


def sql_store_endpoint(url: str, store_type: str = SQL_TRACKER_STORE) -> dict[str, Any]:
    """Rasa's SQL store section (tracker store, or the event broker's `type`) for a URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {"type": store_type, "dialect": "sqlite", "db": parsed.database}
    endpoint: dict[str, Any] = {
        "type": store_type,
        "dialect": "postgresql",
        "url": parsed.host or "localhost",
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
    }
    return {key: value for key, value in endpoint.items() if value is not None}
