"""The handoff form's actions, run as Rasa runs them, over each database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.catalogue import CatalogueAccess
from actions.handoff import form, submit
from core.config import Settings
from core.database import make_engine, make_session_factory
from core.outbox import OutboxEntry
from devtools.stack import free_port
from tests.tracker_store import store_conversation

CONVERSATION = "web:handoff-action-test-0001"


@pytest.fixture(autouse=True)
def catalogue_in_database(loaded_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    access = CatalogueAccess(loaded_database_url)
    monkeypatch.setattr(form, "CATALOGUE", access)
    monkeypatch.setattr(submit, "CATALOGUE", access)


def tracker(text: str, slots: dict[str, Any], events: list[dict[str, Any]] | None = None) -> Any:
    message = {"text": text, "intent": {"name": "request_human"}, "entities": []}
    return Tracker(CONVERSATION, slots, message, events or [], False, None, {}, "action_listen")


def run(action: Any, text: str, slots: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(text, slots), {}))
    said = "\n".join(message.get("text") or "" for message in dispatcher.messages)
    return said, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_the_questions_follow_the_answers() -> None:
    assert form.required_slots(tracker("", {})) == [
        "handoff_for",
        "handoff_district",
        "handoff_contact",
        "handoff_description",
        "handoff_consent",
    ]
    relative_by_phone = tracker("", {"handoff_for": "relative", "handoff_contact": "phone"})
    required = form.required_slots(relative_by_phone)
    assert "handoff_senior_agrees" in required
    assert "handoff_phone" in required
    assert form.required_slots(tracker("", {"handoff_cancelled": True})) == []


def test_asking_for_a_person_reuses_the_known_district() -> None:
    said, slots = run(form.ActionRequestHuman(), "kan jeg snakke med noen", {"district": "sagene"})
    assert "sende en melding til bydelen" in said
    assert slots["handoff_district"] == "sagene"
    assert slots["handoff_for"] is None


def test_a_place_is_read_as_its_district_and_a_straddling_one_is_asked_about() -> None:
    validator = form.ValidateHandoffForm()
    dispatcher = CollectingDispatcher()
    found = validator.validate_handoff_district("på Holmlia", dispatcher, tracker("", {}), {})
    assert found == {"handoff_district": "sondre-nordstrand", "district": "sondre-nordstrand"}
    asked = validator.validate_handoff_district("Torshov", dispatcher, tracker("", {}), {})
    assert asked == {"handoff_district": None}
    assert {b["title"] for b in dispatcher.messages[-1]["buttons"]} == {"Sagene", "Grünerløkka"}


def test_cancelling_stops_the_form_and_says_nothing_is_sent() -> None:
    validator = form.ValidateHandoffForm()
    cancelled = validator.validate_handoff_description(
        "avbryt", CollectingDispatcher(), tracker("", {}), {}
    )
    assert cancelled == {"handoff_description": None, "handoff_cancelled": True}
    said, slots = run(form.ActionSubmitHandoff(), "avbryt", {"handoff_cancelled": True})
    assert "jeg sender ingenting" in said
    assert "02180" in said
    assert "ikke fått bekreftet" in said
    assert slots["handoff_cancelled"] is None


def test_with_the_api_down_the_handoff_waits_in_the_outbox(
    loaded_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=loaded_database_url,
        api_port=free_port(),
        secrets_dir=tmp_path,
        tracker_sqlite_path=str(tmp_path / "tracker.db"),
    )
    monkeypatch.setattr(submit, "get_settings", lambda: settings)
    slots = {
        "handoff_for": "self",
        "handoff_district": "alna",
        "handoff_contact": "phone",
        "handoff_phone": "412 34 567",
        "handoff_description": "Trenger hjelp med å søke om hjemmesykepleie",
        "handoff_consent": "yes",
    }
    store_conversation(settings, CONVERSATION, "Jeg vil snakke med en person", slots)
    events = [{"event": "user", "text": "Ja", "timestamp": 1.0}]
    dispatcher = CollectingDispatcher()
    asyncio.run(form.ActionSubmitHandoff().run(dispatcher, tracker("Ja", slots, events), {}))
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "fikk ikke sendt den til bydel Alna ennå" in said
    assert "De ringer deg på 412 34 567" in said
    engine = make_engine(loaded_database_url)
    with make_session_factory(engine)() as session:
        entry = session.scalars(
            select(OutboxEntry).where(OutboxEntry.conversation_id == CONVERSATION)
        ).one()
        assert entry.delivered_at is None
        assert entry.attempts == 1
        assert entry.payload["district"] == "alna"
        session.delete(entry)
        session.commit()
    engine.dispose()
