"""A conversation written into Rasa's tracker store, as Rasa stores one."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine

from core.config import Settings

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def store_conversation(
    settings: Settings, sender_id: str, text: str, slots: dict[str, Any]
) -> None:
    """One stored turn: the person said `text`, and the slots were filled."""
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "timestamp": 1.0}]
    events += [{"event": "slot", "name": n, "value": v, "timestamp": 2.0} for n, v in slots.items()]
    engine = create_engine(settings.tracker_store_url)
    try:
        EVENTS.create(engine, checkfirst=True)
        with engine.begin() as connection:
            connection.execute(
                EVENTS.insert(),
                [
                    {"sender_id": sender_id, "type_name": e["event"], "data": json.dumps(e)}
                    for e in events
                ],
            )
    finally:
        engine.dispose()
