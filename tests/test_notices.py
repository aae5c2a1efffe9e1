"""The person is told when the district takes the case and when it is closed (web and Telegram)."""

from __future__ import annotations

import pytest

from api.accounts.models import Role
from api.texts import TEXTS
from tests.staff import Desk, bearer, username

STAFF = username(Role.STAFF)
LEAD = username(Role.LEAD)
CLAIMED = "En ansatt i bydel Frogner har tatt saken. Svaret kommer her."


@pytest.fixture(autouse=True)
def _fresh_tickets(desk: Desk) -> None:
    desk.reset()


def polled(desk: Desk, conversation_id: str, after: int = 0) -> list[tuple[str, str]]:
    response = desk.client.get(f"/api/chat/conversations/{conversation_id}/messages?after={after}")
    assert response.status_code == 200, response.text
    return [(m["sender"], m["text"]) for m in response.json()["messages"]]


def test_the_web_chat_hears_claimed_then_resolved(desk: Desk) -> None:
    opened = desk.open_ticket(contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "claim")
    assert polled(desk, opened.conversation_id) == [("notice", CLAIMED)]

    # Claiming again, or a lead taking over a held case, tells the person nothing new.
    desk.act(STAFF, opened.id, "claim")
    desk.act(LEAD, opened.id, "claim")
    desk.act(LEAD, opened.id, "resolve")
    messages = desk.client.get(f"/api/chat/conversations/{opened.conversation_id}/messages")
    assert [(m["sender"], m["text"], m["district"]) for m in messages.json()["messages"]] == [
        ("notice", CLAIMED, "frogner"),
        ("notice", TEXTS["resolved_notice"]["nb"], "frogner"),
    ]
    assert TEXTS["resolved_notice"]["nb"].startswith("Saken er avsluttet.")
    # Staff see what the person was told, in the ticket's messages.
    detail = desk.client.get(f"/api/staff/tickets/{opened.id}", headers=desk.auth(STAFF)).json()
    assert [m["sender"] for m in detail["messages"]] == ["notice", "notice"]
    assert all(m["delivered_at"] for m in detail["messages"])


def test_a_reopened_case_claimed_again_is_told_again(desk: Desk) -> None:
    opened = desk.open_ticket()
    desk.act(STAFF, opened.id, "claim")
    desk.act(STAFF, opened.id, "resolve")
    desk.act(LEAD, opened.id, "reopen")
    desk.act(STAFF, opened.id, "claim")
    assert [text for _, text in polled(desk, opened.conversation_id)] == [
        CLAIMED,
        TEXTS["resolved_notice"]["nb"],
        CLAIMED,
    ]


def test_the_telegram_outbox_carries_the_notices(desk: Desk) -> None:
    opened = desk.open_ticket(channel="telegram", contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "claim")
    desk.act(STAFF, opened.id, "replies", "Hei fra bydelen")
    desk.act(STAFF, opened.id, "resolve")
    telegram = bearer(desk.telegram_token)
    outbox = desk.client.get("/api/channels/telegram/outbox", headers=telegram).json()["messages"]
    assert [(m["conversation_id"], m["sender"], m["text"]) for m in outbox] == [
        (opened.conversation_id, "notice", CLAIMED),
        (opened.conversation_id, "staff", "Hei fra bydelen"),
        (opened.conversation_id, "notice", TEXTS["resolved_notice"]["nb"]),
    ]


def test_a_person_who_wrote_nynorsk_is_told_in_nynorsk(desk: Desk) -> None:
    opened = desk.open_ticket(language="nn", contact_method="chat", contact_phone=None)
    desk.act(STAFF, opened.id, "claim")
    desk.act(STAFF, opened.id, "resolve")
    assert [text for _, text in polled(desk, opened.conversation_id)] == [
        "Ein tilsett i bydel Frogner har teke saka. Svaret kjem her.",
        TEXTS["resolved_notice"]["nn"],
    ]
