"""The actions for what a person says: a service, a need, a place, an emergency, small talk."""

from __future__ import annotations

from actions.answers import Reply
from actions.recovery import GIVE_UP_AFTER, clarify, give_up, human_button, missed
from actions.replies import answer_service, suggest, take_district
from actions.turn import CatalogueAction, Turn, TurnAction
from actions.understanding import (
    chosen_from_offer,
    current_topic,
    named_place,
    named_services,
    refers_back,
    tells_where_they_live,
)
from core.assistant_texts import say
from services_catalog.places import PlaceStatus
from services_catalog.snapshot import CatalogueSnapshot


def understand(turn: Turn, catalogue: CatalogueSnapshot, about_a_place: bool = False) -> None:
    """Answer every piece of the message: a service, a pick, a need, a place, a follow-up.

    A service or need is answered for the district the message names, so nothing said is
    dropped whatever the classifier's intent; `about_a_place` only says that an unknown place
    should be called unknown.
    """
    place = named_place(turn, catalogue)
    named = named_services(turn, catalogue) or [
        chosen for chosen in (chosen_from_offer(turn, catalogue),) if chosen
    ]
    if named:
        answer_service(turn, catalogue, named[0])
    elif suggest(turn, catalogue):
        return
    elif place.status is not PlaceStatus.not_found:
        take_district(turn, catalogue, place)
    elif (topic := current_topic(turn, catalogue)) is not None:
        answer_service(turn, catalogue, topic)
    elif about_a_place and tells_where_they_live(turn.text):
        turn.say("district_unknown")
    else:
        clarify(turn, catalogue)


class ActionAnswerService(CatalogueAction):
    """`ask_service`: the fact asked for about a service, locally if known."""

    action_name = "action_answer_service"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        understand(turn, catalogue)


class ActionSuggestServices(CatalogueAction):
    """`describe_need`: the few services that fit what the person describes."""

    action_name = "action_suggest_services"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        if not suggest(turn, catalogue):
            understand(turn, catalogue)


class ActionSetDistrict(CatalogueAction):
    """`inform_district`: remember the district (or ask between two); corrections welcome."""

    action_name = "action_set_district"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        understand(turn, catalogue, about_a_place=True)


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
        place = named_place(turn, catalogue)
        if place.status is PlaceStatus.found and tells_where_they_live(turn.text):
            take_district(turn, catalogue, place)  # "nei unnskyld, hun bor på Tøyen"
            return
        topic = current_topic(turn, catalogue)
        if topic is not None and refers_back(turn.text):
            answer_service(turn, catalogue, topic)  # "kan alle få det, eller må man ha …?"
            return
        if missed(turn) >= GIVE_UP_AFTER:
            give_up(turn, catalogue)
        else:
            turn.send(Reply(say("out_of_scope", turn.language), (human_button(turn),)))


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
        topic = current_topic(turn, catalogue)
        if topic is not None:
            answer_service(turn, catalogue, topic)
        elif turn.intent in NOTHING_SAID and missed(turn) >= GIVE_UP_AFTER:
            give_up(turn, catalogue)
        else:
            turn.say(SMALL_TALK.get(turn.intent, "capabilities"))


class ActionClarify(CatalogueAction):
    """`nlu_fallback`: not sure what was meant; never guess."""

    action_name = "action_clarify"

    def respond(self, turn: Turn, catalogue: CatalogueSnapshot) -> None:
        understand(turn, catalogue)
