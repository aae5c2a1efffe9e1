"""Turning a finished handoff form into a ticket, and telling the person the truth about it."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from functools import cache
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from actions.catalogue import CATALOGUE, CatalogueUnavailableError, switchboard
from actions.handoff.outbox import Delivery, deliver, enqueue, lease_seconds
from actions.turn import Turn
from core.assistant_texts import say
from core.channels import WEB, channel_name, channel_of
from core.clock import utc_now
from core.config import get_settings
from core.database import make_engine, make_session_factory
from core.handoff import Consent, Handoff, Priority, TranscriptLineIn
from core.language import Language
from core.office_hours import describe_expectation, expect_answer
from core.privacy import mask_national_ids
from core.tracker_store import StoredConversation, read_conversation

log = logging.getLogger(__name__)
TRANSCRIPT_LINES = 60
FIRST_TRY_SECONDS = 3.0


@cache
def _sessions(database_url: str) -> sessionmaker[Session]:
    return make_session_factory(make_engine(database_url))


def district_label(slug: str | None, language: Language) -> str:
    """'bydel Frogner', or 'bydelen din' when the district is not known."""
    try:
        district = CATALOGUE.snapshot().districts.get(slug or "")
    except CatalogueUnavailableError:
        district = None
    if district is None:
        return say("your_district", language)
    return say("district_label", language, name=district.name)


def say_switchboard(turn: Turn, key: str) -> None:
    """Say `key` with Oslo kommune's switchboard number, and whether it is confirmed."""
    try:
        city = switchboard(CATALOGUE.snapshot())
    except CatalogueUnavailableError:
        city = None
    if city is None or not city.phone:
        turn.say(key, switchboard=say("your_district", turn.language))
        return
    turn.say(key, switchboard=say("switchboard_label", turn.language, phone=city.phone))
    if city.certainty.value != "confirmed":
        turn.say("unconfirmed_number")


def transcript(events: list[dict[str, Any]]) -> list[TranscriptLineIn]:
    """The conversation's last lines, person and assistant, with ID numbers masked."""
    lines = [
        TranscriptLineIn(
            sender="person" if event["event"] == "user" else "assistant",
            text=mask_national_ids(str(event["text"]))[:4000],
        )
        for event in events
        if event.get("event") in ("user", "bot") and event.get("text")
    ]
    return lines[-TRANSCRIPT_LINES:]


def idempotency_key(conversation_id: str, events: list[dict[str, Any]]) -> str:
    """Same conversation and same consent message: same key, so a re-run sends nothing new."""
    consent: dict[str, Any] = next((e for e in reversed(events) if e.get("event") == "user"), {})
    seed = f"{conversation_id}|{consent.get('timestamp')}|{len(events)}"
    return "handoff-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40]


def handoff(
    turn: Turn, stored: StoredConversation, conversation_id: str, consent_text: str
) -> Handoff:
    """The handoff, from what the person said in earlier turns as Rasa stored them."""
    slot = stored.slots.get
    events = stored.session_events
    urgent = any(
        (e.get("parse_data") or {}).get("intent", {}).get("name") == "emergency"
        for e in events
        if e.get("event") == "user"
    )
    return Handoff(
        district=slot("handoff_district"),
        for_whom=slot("handoff_for"),
        senior_agrees=slot("handoff_senior_agrees"),
        language=turn.language,
        service=slot("service"),
        description=mask_national_ids(slot("handoff_description") or ""),
        contact_method=slot("handoff_contact"),
        contact_phone=slot("handoff_phone"),
        consent=Consent(text=consent_text, given_at=utc_now()),
        channel=channel_name(conversation_id),
        conversation_id=conversation_id,
        transcript=transcript(events),
        priority=Priority.HIGH if urgent else Priority.NORMAL,
    )


async def submit_handoff(turn: Turn, conversation_id: str) -> str | None:
    """Store the ticket in the outbox, try to deliver it now, and say how it went.

    Nothing is sent for a conversation Rasa has not stored: a call that did not come from
    a real conversation.
    """
    settings = get_settings()
    stored = await asyncio.to_thread(read_conversation, settings, turn.tracker.sender_id)
    if stored is None:
        log.warning("handoff refused: the conversation is not in the tracker store")
        say_switchboard(turn, "handoff_cancelled")
        return None
    slot = stored.slots.get
    district_name = district_label(slot("handoff_district"), turn.language)
    consent_text = say("ask_handoff_consent", turn.language, district=district_name)
    sessions = _sessions(settings.database_url)
    key = idempotency_key(conversation_id, turn.tracker.events)
    payload = handoff(turn, stored, conversation_id, consent_text).model_dump(mode="json")
    delivery = Delivery(settings.api_url, settings.client_token("assistant"), FIRST_TRY_SECONDS)
    held = lease_seconds(delivery)  # the workers wait while this action tries at once
    entry = await asyncio.to_thread(enqueue, sessions, key, conversation_id, payload, held)
    with httpx.Client() as client:
        reference = await asyncio.to_thread(deliver, sessions, entry.id, delivery, client, True)
    if reference:
        turn.say("handoff_sent", district=district_name, reference=reference)
    else:
        turn.say("handoff_pending", district=district_name)
    hours = settings.office_hours
    turn.dispatcher.utter_message(
        text=describe_expectation(expect_answer(utc_now(), hours), turn.language)
    )
    if slot("handoff_contact") == "phone":
        turn.say("handoff_by_phone", phone=slot("handoff_phone") or "")
    else:  # where staff will answer; a bare REST sender (tests, evaluation) counts as web
        turn.say((channel_of(turn.tracker.sender_id) or WEB).handoff_reply)
    turn.say("handoff_urgent")
    return reference
