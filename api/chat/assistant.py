"""Talking to Rasa's REST channel, and erasing what it remembers of conversations."""

import time
from typing import Any

import httpx
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.chat.schemas import ButtonOut, ChatMessage
from api.problems import ApiError
from core.config import Settings

ASSISTANT_DOWN = (
    "Assistenten svarer ikke akkurat nå. Prøv igjen om litt, eller ring oss. "
    "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113."
)


async def ask_assistant(
    client: httpx.AsyncClient, conversation_id: str, text: str
) -> list[ChatMessage]:
    """The assistant's replies to one message; 503 when it cannot be reached."""
    try:
        response = await client.post(
            "/webhooks/rest/webhook", json={"sender": conversation_id, "message": text}
        )
        response.raise_for_status()
        replies: list[dict[str, Any]] = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ApiError(503, ASSISTANT_DOWN, headers={"Retry-After": "10"}) from error
    return [
        ChatMessage(
            conversation_id=conversation_id,
            sender="assistant",
            text=str(reply.get("text") or ""),
            buttons=[
                ButtonOut(title=str(button["title"]), payload=str(button["payload"]))
                for button in reply.get("buttons") or []
            ],
        )
        for reply in replies
        if reply.get("text")
    ]


def _on_tracker_store(settings: Settings, session: Session, statement: str, **values: Any) -> int:
    """Run one DELETE on Rasa's tracker store (its SQLite file, or our PostgreSQL)."""

    def run(connection: Any) -> int:
        if not inspect(connection).has_table("events"):
            return 0
        return int(connection.execute(text(statement), values).rowcount or 0)

    if make_url(settings.database_url).get_backend_name() != "sqlite":
        return run(session.connection())
    engine = create_engine(f"sqlite:///{settings.tracker_sqlite_path}")
    try:
        with engine.begin() as connection:
            return run(connection)
    finally:
        engine.dispose()


def erase_assistant_history(settings: Settings, session: Session, conversation_id: str) -> None:
    """Delete the conversation from Rasa's tracker store."""
    _on_tracker_store(
        settings, session, "DELETE FROM events WHERE sender_id = :sender", sender=conversation_id
    )


def purge_assistant_history(settings: Settings, session: Session, days: int) -> int:
    """Delete conversations whose last message is over `days` old; how many events went."""
    cutoff = time.time() - days * 86400
    return _on_tracker_store(
        settings,
        session,
        "DELETE FROM events WHERE sender_id IN (SELECT sender_id FROM events"
        " GROUP BY sender_id HAVING max(timestamp) < :cutoff)",
        cutoff=cutoff,
    )
