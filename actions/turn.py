"""One turn seen from an action, and the base classes of the actions that answer it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import Reply
from actions.catalogue import CATALOGUE, CatalogueUnavailableError
from core.assistant_texts import say
from core.language import LANGUAGES, Language, detect_language
from services_catalog.snapshot import CatalogueSnapshot

Events = list[EventType]


class Turn:
    """One turn seen from an action: the message, the language, what is already known."""

    def __init__(self, tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        self.tracker = tracker
        self.dispatcher = dispatcher
        self.message: dict[str, Any] = tracker.latest_message or {}
        self.text: str = self.message.get("text") or ""
        previous = tracker.get_slot("language")
        default: Language = previous if previous in LANGUAGES else "nb"
        # A button's payload (/intent{...}) says nothing about the person's language.
        is_payload = self.text.startswith("/")
        self.language = default if is_payload else detect_language(self.text, default)
        self.events: Events = []
        if self.language != previous:
            self.events.append(SlotSet("language", self.language))

    def entity(self, name: str) -> str | None:
        for entity in self.message.get("entities") or []:
            if entity.get("entity") == name and isinstance(entity.get("value"), str):
                return str(entity["value"])
        return None

    @property
    def intent(self) -> str:
        return str((self.message.get("intent") or {}).get("name") or "")

    def warn_if_maybe_emergency(self) -> None:
        """Fail safe: when the message might describe an emergency, 113 comes first."""
        signal = self.message.get("emergency_signal") or {}
        if signal.get("level") == "maybe" and self.intent != "emergency":
            self.say("emergency_maybe")

    def say(self, key: str, **values: str) -> None:
        self.dispatcher.utter_message(text=say(key, self.language, **values))

    def send(self, reply: Reply) -> None:
        buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        self.dispatcher.utter_message(
            text=reply.text, buttons=buttons or None, json_message=reply.custom
        )

    def set(self, slot: str, value: Any) -> None:
        """Set a slot; nothing is stored when it already holds the value."""
        if self.tracker.get_slot(slot) != value:
            self.events.append(SlotSet(slot, value))


class TurnAction(Action, ABC):
    """An action that reads one turn and replies; subclasses say what."""

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: dict[str, Any]
    ) -> Events:
        turn = Turn(tracker, dispatcher)
        turn.warn_if_maybe_emergency()
        self.reply(turn)
        return turn.events

    @abstractmethod
    def reply(self, turn: Turn) -> None:
        """Say what this action says."""


class CatalogueAction(TurnAction, ABC):
    """An action that needs the catalogue; says so plainly when it cannot be read."""

    def reply(self, turn: Turn) -> None:
        try:
            catalogue = CATALOGUE.snapshot()
        except CatalogueUnavailableError:
            turn.say("catalogue_down")
            return
        self.respond(turn, catalogue)

    @abstractmethod
    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        """Say what this action says, from the catalogue."""
