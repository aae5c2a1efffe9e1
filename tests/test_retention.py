"""The retention job also forgets the assistant's conversations that went quiet long ago."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from api.tickets.retention import purge_once
from core.config import Settings
from core.database import make_engine, make_session_factory

DAY = 86400.0


def _events_engine(settings: Settings) -> Engine:
    """Where Rasa keeps conversations: its own SQLite file, or our PostgreSQL database."""
    if settings.database_url.startswith("sqlite"):
        return create_engine(f"sqlite:///{settings.tracker_sqlite_path}")
    return make_engine(settings.database_url)


def test_quiet_conversations_are_forgotten_live_ones_kept(
    empty_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=empty_database_url,
        tracker_sqlite_path=str(tmp_path / "tracker.db"),
        retention_days=90,
    )
    now = time.time()
    rows = [
        ("web:old-and-quiet", now - 200 * DAY),
        ("web:old-and-quiet", now - 120 * DAY),
        ("web:long-but-alive", now - 150 * DAY),
        ("web:long-but-alive", now - 2 * DAY),
        ("telegram:42", now - 1 * DAY),
    ]
    events = _events_engine(settings)
    with events.begin() as connection:
        key = "SERIAL" if events.dialect.name == "postgresql" else "INTEGER"
        connection.execute(
            text(f"CREATE TABLE events (id {key} PRIMARY KEY, sender_id TEXT, timestamp FLOAT)")
        )
        for sender, moment in rows:
            connection.execute(
                text("INSERT INTO events (sender_id, timestamp) VALUES (:s, :t)"),
                {"s": sender, "t": moment},
            )
    engine = make_engine(empty_database_url)
    purge_once(make_session_factory(engine), settings)
    engine.dispose()
    with events.connect() as connection:
        left = connection.execute(text("SELECT sender_id FROM events ORDER BY id")).scalars().all()
    events.dispose()
    assert left == ["web:long-but-alive", "web:long-but-alive", "telegram:42"]
