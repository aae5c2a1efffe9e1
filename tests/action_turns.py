"""Run a custom action on one message, as Rasa runs it, and read what it said."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def run(
    action: Any,
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run `action` on one message; return what it said and the slots it set."""
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    tracker = Tracker("test", slots or {}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    slots_set = {event["name"]: event["value"] for event in events if event["event"] == "slot"}
    return dispatcher.messages, slots_set


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


class Conversation:
    """Several turns in a row: the slots each action sets are there for the next."""

    def __init__(self) -> None:
        self.slots: dict[str, Any] = {}

    def say(
        self, action: Any, text: str, intent: str, entities: list[dict[str, Any]] | None = None
    ) -> list[dict[str, Any]]:
        said, slots_set = run(action, text, intent, dict(self.slots), entities)
        self.slots |= slots_set
        return said
