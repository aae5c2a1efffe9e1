"""A conversation as the person saw it, oldest first, so a channel need not keep the text.

The turns with the assistant come from Rasa's tracker store (its SQLite file, or our
PostgreSQL); the messages to and from district staff come from the conversation's tickets.
"""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.orm import Session

from api.chat.safety import alert_of
from api.chat.schemas import ButtonOut, ChatMessage, Sender
from api.tickets import service as tickets
from core.config import Settings

_TICKET_SENDERS: dict[str, Sender] = {"person": "person", "staff": "staff", "notice": "notice"}
_EVENTS = text(
    "SELECT type_name, timestamp, data FROM events"
    " WHERE sender_id = :sender AND type_name IN ('user', 'bot') ORDER BY id"
)


def _rasa_events(settings: Settings, session: Session, conversation_id: str) -> list[Any]:
    """The conversation's `user` and `bot` events in Rasa's tracker store, in order."""

    def read(connection: Connection) -> list[Any]:
        if not inspect(connection).has_table("events"):
            return []
        return list(connection.execute(_EVENTS, {"sender": conversation_id}))

    if make_url(settings.database_url).get_backend_name() != "sqlite":
        return read(session.connection())
    if not Path(settings.tracker_sqlite_path).exists():
        return []  # Rasa has stored nothing yet; reading must not create its file
    engine = create_engine(settings.tracker_store_url)
    try:
        with engine.connect() as connection:
            return read(connection)
    finally:
        engine.dispose()


def _at(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp, UTC) if timestamp else None


def assistant_turns(
    settings: Settings, session: Session, conversation_id: str
) -> list[ChatMessage]:
    """What the person said to the assistant and its replies; a button shows as its title."""
    turns: list[ChatMessage] = []
    sender: Sender
    titles: dict[str, str] = {}  # a button's payload -> its title, from the replies so far
    for type_name, timestamp, raw in _rasa_events(settings, session, conversation_id):
        data: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        said = str(data.get("text") or "").strip()
        if not said:
            continue
        if type_name == "bot":
            buttons = [
                ButtonOut(title=str(b["title"]), payload=str(b["payload"]))
                for b in (data.get("data") or {}).get("buttons") or []
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
                sent_at=_at(timestamp),
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
