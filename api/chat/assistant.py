"""Talking to Rasa's REST channel: one server per conversation, a bounded number at once."""

import asyncio
import contextlib
import hashlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from api.chat import safety
from api.chat.safety import alert_of
from api.chat.schemas import ButtonOut, ChatMessage, FeedbackTopic
from api.metrics.registry import GatewayMetrics
from api.problems import ApiError
from api.texts import TEXTS
from core.config import Settings
from core.logs import REQUEST_ID, REQUEST_ID_HEADER
from core.secrets import RASA_API_SECRET, bearer, read_or_create_secret

BUSY_RETRY_AFTER = "5"


def assistant_client(settings: Settings, url: str) -> httpx.AsyncClient:
    """A client for one Rasa server's HTTP API, carrying its secret."""
    secret = read_or_create_secret(settings.secrets_dir, RASA_API_SECRET)
    return httpx.AsyncClient(
        base_url=url, timeout=settings.rasa_timeout_seconds, headers=bearer(secret)
    )


def server_for(conversation_id: str, servers: Sequence[str]) -> str:
    """The Rasa server that always handles `conversation_id` (rendezvous hashing).

    Stable across processes and restarts; adding or removing a server moves only the
    conversations that it gains or had.
    """

    def weight(server: str) -> bytes:
        return hashlib.blake2b(f"{server}|{conversation_id}".encode(), digest_size=8).digest()

    return max(servers, key=weight)


class AssistantBusyError(ApiError):
    """No slot towards the assistant came free in time: a fast 503 whose text names 113."""

    def __init__(self) -> None:
        super().__init__(
            503, TEXTS["assistant_busy"]["nb"], headers={"Retry-After": BUSY_RETRY_AFTER}
        )


@dataclass
class RasaServer:
    """One Rasa server, and how many messages it may work on at once."""

    client: httpx.AsyncClient
    slots: asyncio.Semaphore


class AssistantLink:
    """Rasa's HTTP API, with a bound on how many messages each server works on at once.

    A conversation always goes to the same server (`server_for`). A message waits at most
    `assistant_slot_wait_seconds` for a slot, then gets a fast 503 with Retry-After (the web
    chat keeps it as "Ikke sendt ennå"; the Telegram bridge retries).
    """

    def __init__(self, settings: Settings, metrics: GatewayMetrics) -> None:
        self.metrics = metrics
        self.servers = {
            url: RasaServer(
                assistant_client(settings, url),
                asyncio.Semaphore(settings.assistant_max_in_flight),
            )
            for url in settings.rasa_servers
        }
        self._slot_wait_seconds = settings.assistant_slot_wait_seconds
        self.busy_safety_wait_seconds = settings.busy_safety_wait_seconds
        self.busy_checks = BusyChecks(settings.busy_safety_checks_per_second)

    @contextlib.asynccontextmanager
    async def slot(self, conversation_id: str) -> AsyncIterator[httpx.AsyncClient]:
        """A client for the conversation's server, once that server has a slot free."""
        server = self.servers[server_for(conversation_id, list(self.servers))]
        try:
            async with asyncio.timeout(self._slot_wait_seconds):
                await server.slots.acquire()
        except TimeoutError:
            self.metrics.overloaded.inc()
            raise AssistantBusyError from None
        self.metrics.in_flight.inc()
        try:
            yield server.client
        finally:
            self.metrics.in_flight.dec()
            server.slots.release()

    async def aclose(self) -> None:
        for server in self.servers.values():
            await server.client.aclose()


async def ask_assistant(
    assistant: AssistantLink, conversation_id: str, text: str
) -> list[ChatMessage]:
    """The assistant's replies to one message; 503 when it is busy, slow or cannot be reached.

    The request id goes along (`X-Request-ID`); Rasa puts it in the message's metadata, so
    its log lines and the action server's for this message carry it too.
    """
    request_id = REQUEST_ID.get()
    async with assistant.slot(conversation_id) as client:
        try:
            with assistant.metrics.reply_seconds.time():
                response = await client.post(
                    "/webhooks/rest/webhook",
                    json={"sender": conversation_id, "message": text},
                    headers={REQUEST_ID_HEADER: request_id} if request_id else None,
                )
            response.raise_for_status()
            replies: list[dict[str, Any]] = response.json()
        except (httpx.HTTPError, ValueError) as error:  # a time-out is an httpx.HTTPError
            raise ApiError(
                503, TEXTS["assistant_down"]["nb"], headers={"Retry-After": "10"}
            ) from error
    return chat_messages(conversation_id, replies)


def _feedback_topic(reply: dict[str, Any]) -> FeedbackTopic | None:
    """The service, aspect and language a reply's `custom.feedback` names, if well formed."""
    custom = reply.get("custom")
    topic = custom.get("feedback") if isinstance(custom, dict) else None
    try:
        return FeedbackTopic.model_validate(topic) if topic is not None else None
    except ValidationError:
        return None


def chat_messages(conversation_id: str, replies: list[dict[str, Any]]) -> list[ChatMessage]:
    """Rasa's REST replies as the gateway's messages.

    Rasa sends a message's `custom` payload as a reply of its own, right after the text: a
    feedback topic there goes onto the message before it.
    """
    messages: list[ChatMessage] = []
    for reply in replies:
        text = str(reply.get("text") or "")
        if not text:
            topic = _feedback_topic(reply)
            if topic is not None and messages:
                messages[-1].feedback = topic
            continue
        messages.append(
            ChatMessage(
                conversation_id=conversation_id,
                sender="assistant",
                text=text,
                alert=alert_of(text),
                buttons=[
                    ButtonOut(title=str(button["title"]), payload=str(button["payload"]))
                    for button in reply.get("buttons") or []
                    if button.get("title") and button.get("payload")  # a broken one loses nothing
                ],
                feedback=_feedback_topic(reply),
            )
        )
    return messages


class BusyChecks:
    """How many refused messages the gateway may score a second (a token bucket).

    Scoring costs about 20 ms of CPU; under a flood of refused messages, scoring each would
    take the CPU that the assistant and the staff routes need. Up to `per_second` a second
    (and as many at once) are scored; the rest get the busy 503, whose text names 113.
    """

    def __init__(self, per_second: float) -> None:
        self.per_second = per_second
        self._tokens = per_second
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self.per_second, self._tokens + (now - self._at) * self.per_second)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


async def emergency_while_busy(assistant: AssistantLink, text: str) -> bool:
    """Whether the gateway's own check, given a bounded moment, finds `text` not calm.

    For a message refused because the assistant is busy. Bounded twice: at most
    `busy_safety_checks_per_second` such checks (`BusyChecks`), each waiting at most
    `busy_safety_wait_seconds` for the detector's two threads (api/chat/safety.py). Out of
    either, the busy 503 goes out as it is (its text names 113). A detector that fails
    answers as for an emergency (it fails closed).
    """
    if not assistant.busy_checks.take():
        return False
    try:
        async with asyncio.timeout(assistant.busy_safety_wait_seconds):
            return (await safety.assess(text)).level != "calm"
    except TimeoutError:
        return False
