"""113 first on the gateway's own paths: while staff hold a conversation, and while the
assistant is down. The real app and database; the assistant is away (a closed port).
"""

from __future__ import annotations

from typing import Any

import pytest

from core.language import Language
from core.safety.messages import SAFETY_TEXTS
from tests.staff import Desk, new_conversation_id, username

CHEST = "Jeg har vondt i brystet og får ikke puste"


def send(desk: Desk, conversation: str, text: str) -> Any:
    return desk.client.post(f"/api/chat/conversations/{conversation}/messages", json={"text": text})


def held_conversation(desk: Desk) -> tuple[int, str]:
    """A web conversation whose ticket a staff member has claimed."""
    opened = desk.open_ticket(priority="normal")
    desk.act(username("staff"), opened.id, "claim")
    return opened.id, opened.conversation_id


def test_an_emergency_while_staff_hold_the_chat_gets_113_and_an_urgent_ticket(
    desk: Desk,
) -> None:
    ticket_id, conversation = held_conversation(desk)
    response = send(desk, conversation, CHEST)
    assert response.status_code == 200
    turn = response.json()
    assert turn["forwarded_to_staff"] is True
    first = turn["messages"][0]
    assert first["alert"] == "emergency"
    assert first["text"].startswith("Ring 113")
    assert first["text"] == SAFETY_TEXTS["emergency_staff_held"]["nb"]
    ticket = desk.ticket(ticket_id)
    assert ticket is not None
    assert ticket.priority == "high"
    assert [m.text for m in ticket.messages if m.sender == "person"] == [CHEST]
    shown = desk.client.get(f"/api/staff/tickets/{ticket_id}", headers=desk.auth(username("staff")))
    assert shown.json()["priority"] == "high"


def test_a_calm_message_while_staff_hold_the_chat_only_goes_to_the_ticket(desk: Desk) -> None:
    ticket_id, conversation = held_conversation(desk)
    turn = send(desk, conversation, "Takk, da venter jeg på at dere ringer i morgen.").json()
    assert turn == {"messages": [], "forwarded_to_staff": True}
    ticket = desk.ticket(ticket_id)
    assert ticket is not None
    assert ticket.priority == "normal"
    assert len([m for m in ticket.messages if m.sender == "person"]) == 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("pappa har falt og svarer ikke", "nb"),
        ("Mor pustar ikkje og er heilt blå i andletet", "nn"),
        ("my father collapsed and is not breathing", "en"),
    ],
)
def test_with_the_assistant_down_an_emergency_still_gets_113_in_the_persons_language(
    desk: Desk, text: str, language: Language
) -> None:
    response = send(desk, new_conversation_id(), text)
    assert response.status_code == 200
    messages = response.json()["messages"]
    assert messages[0]["alert"] == "emergency"
    assert messages[0]["text"] == SAFETY_TEXTS["emergency"][language]
    assert "116 117" in messages[1]["text"]


def test_with_the_assistant_down_a_calm_message_is_not_taken_and_can_be_sent_again(
    desk: Desk,
) -> None:
    response = send(desk, new_conversation_id(), "Hva koster trygghetsalarm?")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "113" in response.json()["detail"]
