"""A conversation as the person saw it, oldest first, so a channel need not keep the text.

The turns with the assistant come from Rasa's tracker store (its SQLite file, or our
PostgreSQL); the messages to and from district staff come from the conversation's tickets.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from api.chat.safety import alert_of
from api.chat.schemas import ButtonOut, ChatMessage, Sender
from api.tickets import service as tickets
from core import tracker_store
from core.config import Settings

_TICKET_SENDERS: dict[str, Sender] = {"person": "person", "staff": "staff", "notice": "notice"}


def _at(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def assistant_turns(
    settings: Settings, session: Session, conversation_id: str
) -> list[ChatMessage]:
    """What the person said to the assistant and its replies; a button shows as its title."""
    turns: list[ChatMessage] = []
    sender: Sender
    titles: dict[str, str] = {}  # a button's payload -> its title, from the replies so far
    for event in tracker_store.read_events(settings, conversation_id, session):
        said = str(event.get("text") or "").strip()
        if event.get("event") not in ("user", "bot") or not said:
            continue
        if event["event"] == "bot":
            buttons = [
                ButtonOut(title=str(b["title"]), payload=str(b["payload"]))
                for b in (event.get("data") or {}).get("buttons") or []
                if b.get("title") and b.get("payload")
            ]
            titles.update({button.payload: button.title for button in buttons})
            sender = "assistant"
        elif said.startswith("/"):
            if said not in titles:
                continue  # a payload sent without a button (a channel's own): nothing to show
            said, buttons, sender = titles[said], [], "person"
        else:
            buttons, sender = [], "person"
        turns.append(
            ChatMessage(
                conversation_id=conversation_id,
                sender=sender,
                text=said,
                buttons=buttons,
                sent_at=_at(event.get("timestamp")),
                alert=alert_of(said) if sender == "assistant" else None,
            )
        )
    return turns


def staff_exchange(session: Session, conversation_id: str) -> list[ChatMessage]:
    """Messages to and from district staff, with the status notices, oldest first."""
    return [
        ChatMessage(
            id=message.id,
            conversation_id=conversation_id,
            sender=_TICKET_SENDERS[message.sender],
            text=message.text,
            district=ticket.district_slug if message.sender != "person" else None,
            sent_at=message.created_at,
        )
        for message, ticket in tickets.conversation_messages(session, conversation_id)
        if message.sender in _TICKET_SENDERS
    ]


def conversation_transcript(
    settings: Settings, session: Session, conversation_id: str
) -> list[ChatMessage]:
    """Both sides of the conversation, merged by time, oldest first."""
    turns = assistant_turns(settings, session, conversation_id)
    turns += staff_exchange(session, conversation_id)
    never = datetime.min.replace(tzinfo=UTC)
    # Stable: equal times keep each source's own order.
    return sorted(turns, key=lambda message: message.sent_at or never)
