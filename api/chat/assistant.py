"""Talking to Rasa's REST channel, and erasing what it remembers of conversations."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api.chat.safety import alert_of
from api.chat.schemas import ButtonOut, ChatMessage
from api.metrics.registry import GatewayMetrics
from api.problems import ApiError
from core.config import Settings
from core.database import fold_wal, keep_private, secure_delete
from core.secrets import RASA_API_SECRET, bearer, read_or_create_secret

ASSISTANT_DOWN = (
    "Assistenten svarer ikke akkurat nå. Prøv igjen om litt, eller ring oss. "
    "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113."
)
ASSISTANT_BUSY = (
    "Assistenten har mange samtaler akkurat nå. Prøv igjen om noen sekunder. "
    "Haster det, ring legevakten på 116 117. Er det livstruende, ring 113."
)
BUSY_RETRY_AFTER = "5"


def assistant_client(settings: Settings) -> httpx.AsyncClient:
    """A client for Rasa's HTTP API, carrying its secret."""
    secret = read_or_create_secret(settings.secrets_dir, RASA_API_SECRET)
    return httpx.AsyncClient(
        base_url=settings.rasa_url, timeout=settings.rasa_timeout_seconds, headers=bearer(secret)
    )


class AssistantBusyError(ApiError):
    """No slot towards the assistant came free in time: a fast 503 whose text names 113."""

    def __init__(self) -> None:
        super().__init__(503, ASSISTANT_BUSY, headers={"Retry-After": BUSY_RETRY_AFTER})


class AssistantLink:
    """Rasa's HTTP API, with a bound on how many messages it works on at once.

    A message waits at most `assistant_slot_wait_seconds` for a slot, then gets a fast 503
    with Retry-After (the web chat keeps it as "Ikke sendt ennå"; the Telegram bridge retries).
    """

    def __init__(self, settings: Settings, metrics: GatewayMetrics) -> None:
        self.client = assistant_client(settings)
        self.metrics = metrics
        self._slots = asyncio.Semaphore(settings.assistant_max_in_flight)
        self._slot_wait_seconds = settings.assistant_slot_wait_seconds

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(self._slot_wait_seconds):
                await self._slots.acquire()
        except TimeoutError:
            self.metrics.overloaded.inc()
            raise AssistantBusyError from None
        self.metrics.in_flight.inc()
        try:
            yield
        finally:
            self.metrics.in_flight.dec()
            self._slots.release()

    async def aclose(self) -> None:
        await self.client.aclose()


async def ask_assistant(
    assistant: AssistantLink, conversation_id: str, text: str
) -> list[ChatMessage]:
    """The assistant's replies to one message; 503 when it is busy or cannot be reached."""
    async with assistant.slot():
        try:
            with assistant.metrics.reply_seconds.time():
                response = await assistant.client.post(
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
            alert=alert_of(str(reply.get("text") or "")),
            buttons=[
                ButtonOut(title=str(button["title"]), payload=str(button["payload"]))
                for button in reply.get("buttons") or []
                if button.get("title") and button.get("payload")  # a broken one loses nothing
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
    keep_private(Path(settings.tracker_sqlite_path))
    engine = create_engine(settings.tracker_store_url)
    event.listen(engine, "connect", secure_delete)
    try:
        with engine.begin() as connection:
            deleted = run(connection)
        fold_wal(engine)
        return deleted
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
