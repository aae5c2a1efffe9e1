"""Custom actions. Each reads the latest message, asks the catalogue, and replies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import (
    LOCAL_ASPECTS,
    Answer,
    Button,
    Reply,
    asks_about,
    contact_line,
    detect_aspect,
    district_question,
    intent_payload,
    local_answer,
    service_answer,
    suggestions,
)
from actions.catalogue import CATALOGUE, CatalogueUnavailableError
from core.assistant_texts import say
from core.language import LANGUAGES, Language, detect_language
from core.text import fold
from services_catalog.places import PlaceMatch, PlaceStatus
from services_catalog.schemas import Contact, FactKind, Service
from services_catalog.search import GUESS_CUTOFF
from services_catalog.snapshot import CatalogueSnapshot

SERVICE_SCORE = 84.0
FOLLOW_UP_MAX_WORDS = 10
GIVE_UP_AFTER = 3  # the third turn not understood offers a person and a number
# Folded words that pick among services just offered: "den andre", "nummer to", "the last".
ORDINALS = {
    **dict.fromkeys(("forste", "fyrste", "first", "1"), 0),
    **dict.fromkeys(("andre", "second", "2"), 1),
    **dict.fromkeys(("tredje", "third", "3"), 2),
    **dict.fromkeys(("fjerde", "fourth", "4"), 3),
    **dict.fromkeys(("siste", "last"), -1),
}
OTHER_WORDS = frozenset(("andre", "other", "annen", "annan", "anna"))
# Folded word starts that tell where someone lives: "hun bor på", "eg bur i", "moved to".
# Folded words that point back to the service just discussed.
REFERENCE_WORDS = frozenset(
    ("det", "den", "dette", "denne", "sann", "slik", "it", "that", "this", "one", "them")
)
NUMBER_STEMS = ("telefon", "tlf", "nummer", "phone", "number", "ringe")
RESIDENCE_STEMS = ("bor", "bur", "bodd", "live", "flytt", "moved", "bydel", "adress")
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


def _human_button(turn: Turn) -> Button:
    return Button(say("button_human", turn.language), intent_payload("request_human"))


def switchboard(catalogue: CatalogueSnapshot) -> Contact | None:
    """Oslo kommune's switchboard, the number every district can be reached through."""
    contacts = catalogue.catalogue.city_contacts
    return next((c for c in contacts if c.key == "switchboard" and c.phone), None)


def asks_for_a_number(text: str) -> bool:
    """Whether the message asks for a phone number ("hva er telefonnummeret til bydelen?")."""
    return any(word.startswith(NUMBER_STEMS) for word in fold(text).split())


def say_numbers(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """The numbers the catalogue knows for the person's district, each with how sure it is."""
    district = catalogue.districts.get(turn.tracker.get_slot("district") or "")
    answer = Answer(turn.language)
    answer.add(say("numbers_known", turn.language))
    for contact in district.contacts if district else ():
        if contact.phone:
            answer.add(contact_line(contact), contact.certainty)
    city = switchboard(catalogue)
    if city is not None and city.phone:
        answer.add(say("district_via_switchboard", turn.language, phone=city.phone), city.certainty)
    for reply in answer.replies():
        turn.send(reply)


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


def _asked_aspect(turn: Turn) -> FactKind | None:
    """The fact asked for: a button's aspect, else the words of the message; None: what it is."""
    chosen = turn.entity("aspect")
    if chosen is not None:
        return FactKind(chosen) if chosen in FactKind.__members__ else None
    return detect_aspect(turn.text)


def _answer_service(turn: Turn, catalogue: CatalogueSnapshot, service: Service) -> None:
    """Answer what was asked about `service`, for the district when one is known."""
    place = _place(turn, catalogue)
    district_slug = _known_district(turn, catalogue, place)
    aspect = _asked_aspect(turn)
    # The district's details come with where and how to ask, or when a district was just named;
    # once said for this service and district, only a new place or "where?" says them again.
    told = turn.tracker.get_slot("local_told") == f"{service.slug}|{district_slug}"
    local = (
        place.status is PlaceStatus.found
        or aspect is FactKind.where_to_ask
        or (aspect in LOCAL_ASPECTS and not told)
    )
    district = catalogue.districts[district_slug] if district_slug and local else None
    if district is not None:
        turn.set("local_told", f"{service.slug}|{district.slug}")
    for reply in service_answer(
        service,
        turn.language,
        aspect,
        district,
        ask_for_district=bool(service.district_offers) and not district_slug,
        switchboard=switchboard(catalogue),
    ):
        turn.send(reply)
    if place.status is PlaceStatus.ambiguous and place.matched:
        turn.send(district_question(place.matched, list(place.districts), turn.language))
    turn.set("service", service.slug)
    turn.set("fallback_count", 0)


def _is_short(turn: Turn) -> bool:
    return len(turn.text.split()) <= FOLLOW_UP_MAX_WORDS


def _current_topic(turn: Turn, catalogue: CatalogueSnapshot) -> Service | None:
    """The service the conversation is about, when this short message asks more about it.

    "hva koster det?", "hvem kan få en sånn?", "må hun søke selv?" name no service: they ask
    about the one just answered. A long message without a service name is something new.
    """
    slug = turn.tracker.get_slot("service")
    if slug not in catalogue.services or not _is_short(turn):
        return None
    if detect_aspect(turn.text) is None and not asks_about(turn.text):
        return None
    # A word that looks like another service ("tryggleiksalarm") is a new question, not a follow-up.
    hits = catalogue.search.search(turn.text, cutoff=GUESS_CUTOFF, with_needs=False)
    if any(hit.score >= GUESS_CUTOFF and hit.service.slug != slug for hit in hits):
        return None
    return catalogue.services[slug]


def _chosen_from_offer(turn: Turn, catalogue: CatalogueSnapshot) -> Service | None:
    """A pick among the services just offered: "den andre", "nummer to", "ikke den, den andre"."""
    offered = [s for s in turn.tracker.get_slot("offered") or [] if s in catalogue.services]
    if not offered or not _is_short(turn):
        return None
    words = fold(turn.text).split()
    current = turn.tracker.get_slot("service")
    if len(offered) == 2 and current in offered and any(w in OTHER_WORDS for w in words):
        return catalogue.services[offered[1 - offered.index(current)]]
    for word in words:
        index = ORDINALS.get(word)
        if index is not None and -len(offered) <= index < len(offered):
            return catalogue.services[offered[index]]
    return None


def _say_new_district(turn: Turn, place: PlaceMatch) -> None:
    """Name the district this message gave, so the person sees it was understood."""
    if place.status is PlaceStatus.found:
        turn.say("district_set", district=place.districts[0].name)


def _suggest(turn: Turn, catalogue: CatalogueSnapshot) -> bool:
    """Offer the services for the needs the message describes; False if it describes none."""
    services = catalogue.need_matcher.services_for(catalogue.need_matcher.find(turn.text))
    if not services:
        return False
    if len(services) == 1:
        _answer_service(turn, catalogue, services[0])
        return True
    place = _place(turn, catalogue)
    _known_district(turn, catalogue, place)
    _say_new_district(turn, place)
    turn.send(suggestions(services, turn.language))
    turn.set("offered", [service.slug for service in services])
    turn.set("fallback_count", 0)
    return True


def _take_district(turn: Turn, catalogue: CatalogueSnapshot, place: PlaceMatch) -> None:
    """A place named (or corrected): use its district, and answer the topic there."""
    if place.status is PlaceStatus.ambiguous and place.matched:
        turn.send(district_question(place.matched, list(place.districts), turn.language))
        return
    district = place.districts[0]
    turn.set("district", district.slug)
    turn.set("fallback_count", 0)
    service_slug = turn.tracker.get_slot("service")
    if service_slug not in catalogue.services:
        turn.say("district_set", district=district.name)
        return
    service = catalogue.services[service_slug]
    if detect_aspect(turn.text) is not None:
        _answer_service(turn, catalogue, service)  # "kva kostar det? eg bur på Sagene"
        return
    turn.say("district_set", district=district.name)
    for reply in local_answer(service, district, turn.language, switchboard(catalogue)):
        turn.send(reply)
    turn.set("local_told", f"{service.slug}|{district.slug}")


def _refers_back(text: str) -> bool:
    """Whether the message points back to what was just said: "det", "en sånn", "that"."""
    return any(word in REFERENCE_WORDS for word in fold(text).split())


def _tells_where_they_live(text: str) -> bool:
    words = fold(text).split()
    return any(word.startswith(stem) for word in words for stem in RESIDENCE_STEMS)


def _understand(turn: Turn, catalogue: CatalogueSnapshot, about_a_place: bool = False) -> None:
    """Answer every piece of the message: a service, a pick, a need, a place, a follow-up.

    A service or need is answered for the district the message names, so nothing said is
    dropped whatever the classifier's intent; `about_a_place` only says that an unknown place
    should be called unknown.
    """
    place = _place(turn, catalogue)
    named = _named_services(turn, catalogue) or [
        chosen for chosen in (_chosen_from_offer(turn, catalogue),) if chosen
    ]
    if named:
        _answer_service(turn, catalogue, named[0])
    elif _suggest(turn, catalogue):
        return
    elif place.status is not PlaceStatus.not_found:
        _take_district(turn, catalogue, place)
    elif (topic := _current_topic(turn, catalogue)) is not None:
        _answer_service(turn, catalogue, topic)
    elif about_a_place and _tells_where_they_live(turn.text):
        turn.say("district_unknown")
    else:
        _clarify(turn, catalogue)


class ActionAnswerService(CatalogueAction):
    """`ask_service`: the fact asked for about a service, locally if known."""

    action_name = "action_answer_service"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        _understand(turn, catalogue)


class ActionSuggestServices(CatalogueAction):
    """`describe_need`: the few services that fit what the person describes."""

    action_name = "action_suggest_services"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        if not _suggest(turn, catalogue):
            _understand(turn, catalogue)


class ActionSetDistrict(CatalogueAction):
    """`inform_district`: remember the district (or ask between two); corrections welcome."""

    action_name = "action_set_district"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        _understand(turn, catalogue, about_a_place=True)


class ActionEmergency(TurnAction):
    """`emergency`: 113 first, before anything else; then the legevakt for what can wait."""

    action_name = "action_emergency"

    def reply(self, turn: Turn) -> None:
        turn.say("emergency")
        turn.say("emergency_urgent")


class ActionOutOfScope(CatalogueAction):
    """`out_of_scope`: an honest short answer and the offer of a person; a number if it repeats."""

    action_name = "action_out_of_scope"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        place = _place(turn, catalogue)
        if place.status is PlaceStatus.found and _tells_where_they_live(turn.text):
            _take_district(turn, catalogue, place)  # "nei unnskyld, hun bor på Tøyen"
            return
        topic = _current_topic(turn, catalogue)
        if topic is not None and _refers_back(turn.text):
            _answer_service(turn, catalogue, topic)  # "kan alle få det, eller må man ha …?"
            return
        if _missed(turn) >= GIVE_UP_AFTER:
            _give_up(turn, catalogue)
        else:
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

# Intents that answer nothing when no question is open: they count as turns not understood.
NOTHING_SAID = frozenset({"affirm", "deny"})


class ActionSmallTalk(CatalogueAction):
    """Greetings, thanks, "are you a robot?", "what can you do?"; a follow-up still counts.

    "takk, og hva med prisen?" asks about the service just discussed; a "yes", a "no" or a
    sigh with no question open says nothing: a turn not understood, so the third offers a person.
    """

    action_name = "action_small_talk"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        topic = _current_topic(turn, catalogue)
        if topic is not None:
            _answer_service(turn, catalogue, topic)
        elif turn.intent in NOTHING_SAID and _missed(turn) >= GIVE_UP_AFTER:
            _give_up(turn, catalogue)
        else:
            turn.say(SMALL_TALK.get(turn.intent, "capabilities"))


def _missed(turn: Turn) -> int:
    """Count one more turn not understood; return how many in a row."""
    count = int(turn.tracker.get_slot("fallback_count") or 0) + 1
    turn.set("fallback_count", count)
    return count


def _give_up(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """After turns not understood: a person, and a number to call, never another "say again"."""
    city = switchboard(catalogue)
    if city is None or not city.phone:
        turn.send(Reply(say("give_up", turn.language), (_human_button(turn),)))
        return
    text = f"{say('give_up', turn.language)} {say('give_up_call', turn.language, phone=city.phone)}"
    turn.send(Reply(text, (_human_button(turn),)))


def _clarify(turn: Turn, catalogue: CatalogueSnapshot) -> None:
    """Confirm a likely guess, then ask to rephrase, then offer a person and a number."""
    count = _missed(turn)
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
    elif count < GIVE_UP_AFTER:
        turn.say("rephrase")
    else:
        _give_up(turn, catalogue)


class ActionClarify(CatalogueAction):
    """`nlu_fallback`: not sure what was meant; never guess."""

    action_name = "action_clarify"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        _understand(turn, catalogue)
