"""The handoff form: who it is for, district, how to reach them, what it is about, consent."""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.answers import Reply
from actions.catalogue import CATALOGUE, CatalogueUnavailableError
from actions.handoff import answers
from actions.handoff.submit import district_label, say_switchboard, submit_handoff
from actions.replies import say_numbers
from actions.turn import Events, Turn
from actions.understanding import asks_for_a_number
from core.assistant_texts import say
from core.buttons import Button
from core.channels import CONVERSATION_ID, WEB
from services_catalog.places import PlaceStatus

FORM_SLOTS = (
    "handoff_for",
    "handoff_senior_agrees",
    "handoff_district",
    "handoff_contact",
    "handoff_phone",
    "handoff_description",
    "handoff_consent",
)
Slots = dict[str, Any]


def required_slots(tracker: Tracker) -> list[str]:
    """The questions this person needs, in order; none once they cancel."""
    if tracker.get_slot("handoff_cancelled"):
        return []
    slots = ["handoff_for"]
    if tracker.get_slot("handoff_for") == "relative":
        slots.append("handoff_senior_agrees")
    slots += ["handoff_district", "handoff_contact"]
    if tracker.get_slot("handoff_contact") == "phone":
        slots.append("handoff_phone")
    return [*slots, "handoff_description", "handoff_consent"]


class ActionRequestHuman(Action):
    """`request_human`: start the handoff form, reusing the district already known."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: dict[str, Any]
    ) -> Events:
        turn = Turn(tracker, dispatcher)
        turn.warn_if_maybe_emergency()
        if asks_for_a_number(turn.text):  # the numbers first, then the offer to be contacted
            try:
                say_numbers(turn, CATALOGUE.snapshot())
            except CatalogueUnavailableError:
                turn.say("catalogue_down")
        turn.say("handoff_intro")
        events: Events = [*turn.events, SlotSet("handoff_cancelled", None)]
        events += [SlotSet(slot, None) for slot in FORM_SLOTS]
        district = tracker.get_slot("district")
        if district:
            events.append(SlotSet("handoff_district", district))
        return events


class ValidateHandoffForm(FormValidationAction):
    """Reads each answer; an answer it cannot read is asked again, 'avbryt' stops the form."""

    def name(self) -> str:
        return "validate_handoff_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        Turn(tracker, dispatcher).warn_if_maybe_emergency()
        events: Events = await super().run(dispatcher, tracker, domain)
        return events

    async def required_slots(
        self,
        _domain_slots: list[str],
        _dispatcher: CollectingDispatcher,
        tracker: Tracker,
        _domain: dict[str, Any],
    ) -> list[str]:
        return required_slots(tracker)

    async def next_requested_slot(
        self, _dispatcher: CollectingDispatcher, tracker: Tracker, _domain: dict[str, Any]
    ) -> EventType:
        missing = (slot for slot in required_slots(tracker) if tracker.get_slot(slot) is None)
        return SlotSet(REQUESTED_SLOT, next(missing, None))

    @staticmethod
    def _cancelled(slot: str, value: Any) -> Slots | None:
        if isinstance(value, str) and answers.wants_to_cancel(value):
            return {slot: None, "handoff_cancelled": True}
        return None

    def _choice(
        self, slot: str, value: Any, kinds: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Slots:
        cancelled = self._cancelled(slot, value)
        if cancelled is not None:
            return cancelled
        choice = answers.choose(str(value or ""), kinds)
        if choice is None:
            dispatcher.utter_message(text=say("choose_button", Turn(tracker, dispatcher).language))
        return {slot: choice}

    def validate_handoff_for(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        return self._choice("handoff_for", value, answers.FOR_WHOM, dispatcher, tracker)

    def validate_handoff_senior_agrees(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        return self._choice("handoff_senior_agrees", value, answers.AGREES, dispatcher, tracker)

    def validate_handoff_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        return self._choice("handoff_contact", value, answers.CONTACT, dispatcher, tracker)

    def validate_handoff_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        return self._choice("handoff_consent", value, answers.CONSENT, dispatcher, tracker)

    def validate_handoff_district(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        cancelled = self._cancelled("handoff_district", value)
        if cancelled is not None:
            return cancelled
        turn = Turn(tracker, dispatcher)
        try:
            catalogue = CATALOGUE.snapshot()
        except CatalogueUnavailableError:
            turn.say("catalogue_down")
            return {"handoff_district": None}
        text = str(value or "")
        if text in catalogue.districts:
            return {"handoff_district": text, "district": text}
        place = catalogue.places.find_in_text(text)
        if place.status is PlaceStatus.found:
            slug = place.districts[0].slug
            return {"handoff_district": slug, "district": slug}
        if place.status is PlaceStatus.ambiguous and place.matched:
            names = [district.name for district in place.districts]
            question = say(
                "district_ambiguous", turn.language, place=place.matched, names=" / ".join(names)
            )
            turn.send(Reply(question, tuple(Button(name, name) for name in names)))
        else:
            turn.say("district_unknown")
        return {"handoff_district": None}

    def validate_handoff_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        cancelled = self._cancelled("handoff_phone", value)
        if cancelled is not None:
            return cancelled
        phone = answers.norwegian_phone(str(value or ""))
        if phone is None:
            dispatcher.utter_message(text=say("bad_phone", Turn(tracker, dispatcher).language))
        return {"handoff_phone": phone}

    def validate_handoff_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: Any
    ) -> Slots:
        cancelled = self._cancelled("handoff_description", value)
        if cancelled is not None:
            return cancelled
        text = str(value or "").strip()
        if len(text) > answers.MAX_DESCRIPTION:
            dispatcher.utter_message(
                text=say("description_too_long", Turn(tracker, dispatcher).language)
            )
            return {"handoff_description": None}
        return {"handoff_description": text or None}


class AskAction(Action, ABC):
    """Asks for one slot of the handoff form, with buttons where there are choices."""

    buttons: tuple[str, ...] = ()

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def text(self, turn: Turn) -> str:
        return say(f"ask_{self.slot}", turn.language)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: dict[str, Any]
    ) -> Events:
        turn = Turn(tracker, dispatcher)
        titles = [say(key, turn.language) for key in self.buttons]
        turn.send(Reply(self.text(turn), tuple(Button(title, title) for title in titles)))
        return turn.events


class AskHandoffFor(AskAction):
    slot = "handoff_for"
    buttons = ("button_for_self", "button_for_relative")


class AskHandoffSeniorAgrees(AskAction):
    slot = "handoff_senior_agrees"
    buttons = ("button_yes", "button_no", "button_unsure")


class AskHandoffDistrict(AskAction):
    slot = "handoff_district"


class AskHandoffContact(AskAction):
    slot = "handoff_contact"
    buttons = ("button_contact_phone", "button_contact_chat")


class AskHandoffPhone(AskAction):
    slot = "handoff_phone"


class AskHandoffDescription(AskAction):
    slot = "handoff_description"


class AskHandoffConsent(AskAction):
    slot = "handoff_consent"
    buttons = ("button_send", "button_dont_send")

    def text(self, turn: Turn) -> str:
        district = district_label(turn.tracker.get_slot("handoff_district"), turn.language)
        return say("ask_handoff_consent", turn.language, district=district)


def conversation_id(sender_id: str) -> str:
    """The channel conversation id; a bare REST sender (tests, evaluation) counts as web."""
    if re.fullmatch(CONVERSATION_ID, sender_id):
        return sender_id
    return WEB.prefix + hashlib.sha256(sender_id.encode("utf-8")).hexdigest()[:32]


class ActionSubmitHandoff(Action):
    """After the form: send the ticket (through the outbox) or confirm that nothing is sent."""

    def name(self) -> str:
        return "action_submit_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, _domain: dict[str, Any]
    ) -> Events:
        turn = Turn(tracker, dispatcher)
        events = [*turn.events, SlotSet("handoff_cancelled", None)]
        events += [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("handoff_consent") != "yes" or tracker.get_slot("handoff_cancelled"):
            say_switchboard(turn, "handoff_cancelled")
            return events
        reference = await submit_handoff(turn, conversation_id(tracker.sender_id))
        events.append(SlotSet("handoff_reference", reference))
        return events
