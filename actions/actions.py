"""Custom actions. Each reads the latest message, asks the catalogue, and replies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    Aspect,
    Button,
    Reply,
    detect_aspect,
    district_question,
    intent_payload,
    local_answer,
    service_answer,
    suggestions,
)
from actions.catalogue import CATALOGUE, CatalogueUnavailableError
from actions.texts import say
from core.language import LANGUAGES, Language, detect_language
from services_catalog.places import PlaceMatch, PlaceStatus
from services_catalog.schemas import Service
from services_catalog.search import GUESS_CUTOFF
from services_catalog.snapshot import CatalogueSnapshot

SERVICE_SCORE = 84.0
FOLLOW_UP_MAX_WORDS = 8
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
        self.dispatcher.utter_message(text=reply.text, buttons=buttons or None)

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


def _human_button(turn: Turn) -> Button:
    return Button(say("button_human", turn.language), intent_payload("request_human"))


def _named_services(turn: Turn, catalogue: CatalogueSnapshot) -> list[Service]:
    """Services the message names (a button's entity first), best match first."""
    slug = turn.entity("service")
    if slug in catalogue.services:
        return [catalogue.services[slug]]
    hits = [hit for hit in catalogue.search.search(turn.text) if hit.score >= SERVICE_SCORE]
    return [hit.service for hit in hits]


def _place(turn: Turn, catalogue: CatalogueSnapshot) -> PlaceMatch:
    """The district a button chose, or the place the message names."""
    slug = turn.entity("district")
    if slug in catalogue.districts:
        return PlaceMatch(PlaceStatus.found, (catalogue.districts[slug],), slug, 100.0)
    return catalogue.places.find_in_text(turn.text)


def _known_district(turn: Turn, catalogue: CatalogueSnapshot, place: PlaceMatch) -> str | None:
    """The district of this message if it names one, else the one remembered."""
    if place.status is PlaceStatus.found:
        turn.set("district", place.districts[0].slug)
        return place.districts[0].slug
    remembered = turn.tracker.get_slot("district")
    return remembered if remembered in catalogue.districts else None


def _answer_service(turn: Turn, catalogue: CatalogueSnapshot, service: Service) -> None:
    place = _place(turn, catalogue)
    district_slug = _known_district(turn, catalogue, place)
    aspect_name = turn.entity("aspect") or ""
    aspect = Aspect(aspect_name) if aspect_name in Aspect.__members__ else detect_aspect(turn.text)
    district = catalogue.districts[district_slug] if district_slug else None
    for reply in service_answer(
        service,
        turn.language,
        aspect,
        district,
        ask_for_district=bool(service.district_offers) and place.status is PlaceStatus.not_found,
    ):
        turn.send(reply)
    if place.status is PlaceStatus.ambiguous and place.matched:
        turn.send(district_question(place.matched, list(place.districts), turn.language))
    turn.set("service", service.slug)
    turn.set("fallback_count", 0)


def _current_topic(turn: Turn, catalogue: CatalogueSnapshot) -> Service | None:
    """The service the conversation is about, when this short message asks more about it.

    "hva koster det?", "hvem kan få en sånn?", "må hun søke selv?" name no service: they ask
    about the one just answered. A long message without a service name is something new.
    """
    slug = turn.tracker.get_slot("service")
    if slug not in catalogue.services or len(turn.text.split()) > FOLLOW_UP_MAX_WORDS:
        return None
    if detect_aspect(turn.text) is None:
        return None
    # A word that looks like another service ("tryggleiksalarm") is a new question, not a follow-up.
    hits = catalogue.search.search(turn.text, cutoff=GUESS_CUTOFF, with_needs=False)
    if any(hit.score >= GUESS_CUTOFF and hit.service.slug != slug for hit in hits):
        return None
    return catalogue.services[slug]


def _suggest(turn: Turn, catalogue: CatalogueSnapshot) -> bool:
    """Offer the services for the needs the message describes; False if it describes none."""
    services = catalogue.need_matcher.services_for(catalogue.need_matcher.find(turn.text))
    if not services:
        return False
    place = _place(turn, catalogue)
    _known_district(turn, catalogue, place)
    turn.send(suggestions(services, turn.language))
    turn.set("fallback_count", 0)
    return True


class ActionAnswerService(CatalogueAction):
    """`ask_service`: what a service is, what it costs, how to apply, locally if known."""

    action_name = "action_answer_service"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        named = _named_services(turn, catalogue)
        service = named[0] if named else _current_topic(turn, catalogue)
        if service is not None:
            _answer_service(turn, catalogue, service)
        elif not _suggest(turn, catalogue):
            _clarify(turn, catalogue)


class ActionSuggestServices(CatalogueAction):
    """`describe_need`: the few services that fit what the person describes."""

    action_name = "action_suggest_services"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        if _suggest(turn, catalogue):
            return
        services = _named_services(turn, catalogue)
        if services:
            _answer_service(turn, catalogue, services[0])
        else:
            _clarify(turn, catalogue)


class ActionSetDistrict(CatalogueAction):
    """`inform_district`: remember the district (or ask between two); corrections welcome."""

    action_name = "action_set_district"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        place = _place(turn, catalogue)
        if place.status is PlaceStatus.ambiguous and place.matched:
            turn.send(district_question(place.matched, list(place.districts), turn.language))
            return
        if place.status is PlaceStatus.not_found:
            turn.say("district_unknown")
            return
        district = place.districts[0]
        turn.set("district", district.slug)
        turn.set("fallback_count", 0)
        turn.say("district_set", district=district.name)
        service_slug = turn.tracker.get_slot("service")
        if service_slug in catalogue.services:
            turn.send(local_answer(catalogue.services[service_slug], district, turn.language))


class ActionEmergency(TurnAction):
    """`emergency`: 113 first, before anything else; then the legevakt for what can wait."""

    action_name = "action_emergency"

    def reply(self, turn: Turn) -> None:
        turn.say("emergency")
        turn.say("emergency_urgent")


class ActionOutOfScope(TurnAction):
    """`out_of_scope`: an honest short answer, and the offer of a person."""

    action_name = "action_out_of_scope"

    def reply(self, turn: Turn) -> None:
        turn.send(Reply(say("out_of_scope", turn.language), (_human_button(turn),)))


SMALL_TALK = {
    "greet": "greet",
    "goodbye": "goodbye",
    "thank": "thank",
    "bot_challenge": "bot_challenge",
    "ask_capabilities": "capabilities",
    "affirm": "thank",
    "deny": "rephrase",
}


class ActionSmallTalk(TurnAction):
    """Greetings, thanks, "are you a robot?", "what can you do?"."""

    action_name = "action_small_talk"

    def reply(self, turn: Turn) -> None:
        turn.say(SMALL_TALK.get(turn.intent, "capabilities"))


def _clarify(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """Two-stage fallback: confirm a likely guess, then ask to rephrase, then offer a person."""
    count = int(turn.tracker.get_slot("fallback_count") or 0) + 1
    turn.set("fallback_count", count)
    guess = catalogue.search.search(turn.text, cutoff=GUESS_CUTOFF, with_needs=False)
    if count == 1 and guess:
        service = guess[0].service
        yes = intent_payload("ask_service", service=service.slug)
        turn.send(
            Reply(
                say("clarify_service", turn.language, name=service.name),
                (
                    Button(say("button_yes", turn.language), yes),
                    Button(say("button_no", turn.language), intent_payload("deny")),
                ),
            )
        )
    elif count <= 2:
        turn.say("rephrase")
    else:
        turn.send(Reply(say("give_up", turn.language), (_human_button(turn),)))


class ActionClarify(CatalogueAction):
    """`nlu_fallback`: not sure what was meant; never guess."""

    action_name = "action_clarify"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        topic = _current_topic(turn, catalogue)
        if topic is not None:
            _answer_service(turn, catalogue, topic)  # a follow-up the classifier did not know
        else:
            _clarify(turn, catalogue)
