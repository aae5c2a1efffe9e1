"""The conversation kept on the server: `GET /api/chat/conversations/{id}/transcript`."""

from __future__ import annotations

import time
from typing import Any

import pytest

from api.accounts.models import Role
from tests.staff import Desk, bearer, new_conversation_id, username
from tests.tracker_store import save_with_rasa, user_said

STAFF = username(Role.STAFF)
PAYLOAD = '/ask_service{"service": "hjemmesykepleie"}'


@pytest.fixture(autouse=True)
def _fresh_tickets(desk: Desk) -> None:
    desk.reset()


def assistant_said(text: str, timestamp: float, buttons: list[dict[str, str]] | None = None) -> Any:
    """One of the assistant's replies as Rasa's event JSON (`BotUttered`)."""
    return {"event": "bot", "text": text, "timestamp": timestamp, "data": {"buttons": buttons}}


def transcript(desk: Desk, conversation_id: str, **headers: str) -> Any:
    return desk.client.get(f"/api/chat/conversations/{conversation_id}/transcript", headers=headers)


def lines(desk: Desk, conversation_id: str) -> list[tuple[str, str]]:
    response = transcript(desk, conversation_id)
    assert response.status_code == 200, response.text
    return [(m["sender"], m["text"]) for m in response.json()["messages"]]


def test_both_sides_oldest_first_with_a_buttons_title_and_the_staff_exchange(desk: Desk) -> None:
    opened = desk.open_ticket(contact_method="chat", contact_phone=None)
    cid = opened.conversation_id
    earlier = time.time() - 600
    save_with_rasa(
        desk.settings,
        {
            cid: [
                user_said("Mor trenger hjelp med medisinene", earlier),
                assistant_said(
                    "Dette kan passe:",
                    earlier + 1,
                    [{"title": "Hjemmesykepleie", "payload": PAYLOAD}],
                ),
                user_said(PAYLOAD, earlier + 2),
                assistant_said("Hjemmesykepleie er gratis.", earlier + 3),
            ],
            new_conversation_id(): [user_said("Noen andres samtale", earlier)],
        },
    )
    desk.act(STAFF, opened.id, "claim")
    desk.act(STAFF, opened.id, "replies", "Hei! Vi ringer i morgen.")
    forwarded = desk.client.post(
        f"/api/chat/conversations/{cid}/messages", json={"text": "Takk, det passer fint."}
    )
    assert forwarded.json()["forwarded_to_staff"] is True
    desk.act(STAFF, opened.id, "resolve")

    assert lines(desk, cid) == [
        ("person", "Mor trenger hjelp med medisinene"),
        ("assistant", "Dette kan passe:"),
        ("person", "Hjemmesykepleie"),
        ("assistant", "Hjemmesykepleie er gratis."),
        ("notice", "En ansatt i bydel Frogner har tatt saken. Svaret kommer her."),
        ("staff", "Hei! Vi ringer i morgen."),
        ("person", "Takk, det passer fint."),
        (
            "notice",
            "Saken er avsluttet. Trenger du mer hjelp, kan du spørre meg igjen her, "
            "eller be om å få snakke med bydelen på nytt.",
        ),
    ]
    messages = transcript(desk, cid).json()["messages"]
    assert messages[1]["buttons"] == [{"title": "Hjemmesykepleie", "payload": PAYLOAD}]
    staff = messages[5]
    assert staff["district"] == "frogner"
    assert staff["sent_at"] is not None
    # Shown on the page: the reply counts as delivered, and polling does not bring it twice.
    detail = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert all(m["delivered_at"] for m in detail["messages"] if m["sender"] == "staff")

    # "Slett samtalen": nothing is left to show.
    assert desk.client.delete(f"/api/chat/conversations/{cid}").status_code == 204
    assert lines(desk, cid) == []


def test_a_conversation_never_seen_is_empty_and_a_bad_id_is_422(desk: Desk) -> None:
    assert lines(desk, new_conversation_id()) == []
    assert transcript(desk, "web:short").status_code == 422


def test_a_telegram_transcript_needs_the_bridges_credential(desk: Desk) -> None:
    opened = desk.open_ticket(channel="telegram", contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "replies", "Hei fra bydelen")
    assert transcript(desk, opened.conversation_id).status_code == 401
    allowed = transcript(desk, opened.conversation_id, **bearer(desk.telegram_token))
    assert [m["text"] for m in allowed.json()["messages"]] == ["Hei fra bydelen"]
    # Reading it is not delivering it: the bridge still sends the reply to the chat.
    outbox = desk.client.get("/api/channels/telegram/outbox", headers=bearer(desk.telegram_token))
    assert [m["text"] for m in outbox.json()["messages"]] == ["Hei fra bydelen"]
