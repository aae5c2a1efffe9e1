"""The retention job also forgets the assistant's conversations that went quiet long ago."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, text

from api.tickets.retention import purge_once
from core.config import Settings
from core.database import make_engine, make_session_factory
from tests.tracker_store import save_with_rasa, user_said

DAY = 86400.0


def stored_senders(settings: Settings) -> list[str]:
    """Whose events are in Rasa's tracker store, one row per event, in the order stored."""
    events = create_engine(settings.tracker_store_url)
    try:
        with events.connect() as connection:
            rows = connection.execute(text("SELECT sender_id FROM events ORDER BY id"))
            return list(rows.scalars())
    finally:
        events.dispose()


def test_quiet_conversations_are_forgotten_live_ones_kept(
    empty_database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=empty_database_url,
        tracker_sqlite_path=str(tmp_path / "tracker.db"),
        retention_days=90,
    )
    now = time.time()
    save_with_rasa(
        settings,
        {
            "web:old-and-quiet": [
                user_said("hei", now - 200 * DAY),
                user_said("hva koster trygghetsalarm", now - 120 * DAY),
            ],
            "web:long-but-alive": [
                user_said("hei", now - 150 * DAY),
                user_said("takk for sist", now - 2 * DAY),
            ],
            "telegram:42": [user_said("hei", now - 1 * DAY)],
        },
    )
    before = stored_senders(settings)
    assert before.count("web:old-and-quiet") == 2, before  # Rasa stored it: now it must go

    engine = make_engine(empty_database_url)
    purge_once(make_session_factory(engine), settings)
    engine.dispose()

    assert stored_senders(settings) == ["web:long-but-alive", "web:long-but-alive", "telegram:42"]
