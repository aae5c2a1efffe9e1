"""Conversations written into Rasa's tracker store by Rasa itself.

Rasa's own `SQLTrackerStore` (in the Rasa virtual environment, configured as `bot.launch`
configures it) creates the table and stores the events, so a test that reads or purges
the store meets Rasa's real schema and serialisation, and breaks when Rasa changes them.
"""

from __future__ import annotations

from typing import Any

from bot.launch import tracker_store
from core.config import Settings
from tests.rasa_process import run_with_rasa

SAVE_WITH_RASA = """
import asyncio, json, sys
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

config, conversations = json.load(sys.stdin)
store = TrackerStore.create(EndpointConfig.from_dict(config), Domain.empty())

async def save() -> None:
    for sender_id, events in conversations.items():
        tracker = await store.retrieve(sender_id) or DialogueStateTracker(sender_id, [])
        for event in events:
            tracker.update(Event.from_parameters(event))
        await store.save(tracker)

asyncio.run(save())
"""


def save_with_rasa(settings: Settings, conversations: dict[str, list[dict[str, Any]]]) -> None:
    """Append each conversation's events (Rasa's JSON form) through Rasa's tracker store."""
    payload = [tracker_store(settings), conversations]
    run_with_rasa(SAVE_WITH_RASA, payload, "Rasa could not store the conversations")


def user_said(text: str, timestamp: float) -> dict[str, Any]:
    """A person's message as Rasa's event JSON (`UserUttered`)."""
    parsed = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 1.0}, "entities": []}
    return {"event": "user", "text": text, "timestamp": timestamp, "parse_data": parsed}


def store_conversation(
    settings: Settings, sender_id: str, text: str, slots: dict[str, Any]
) -> None:
    """One stored turn: the person said `text`, and the slots were filled."""
    events = [user_said(text, 1.0)]
    events += [{"event": "slot", "name": n, "value": v, "timestamp": 2.0} for n, v in slots.items()]
    save_with_rasa(settings, {sender_id: events})
