"""The bridge's client for our API's chat gateway (docs/chat-api.md is the contract)."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Self

import httpx

from core.buttons import Button
from core.channels import TELEGRAM

log = logging.getLogger(__name__)

CHANNEL = TELEGRAM.name
# The person's message cannot be taken as it is (empty, too long): retrying won't help.
REJECTED = (400, 413, 422)
_PERSON = re.compile(f"{TELEGRAM.prefix}-?[0-9]+")
_REDACTED = f"{TELEGRAM.prefix}…"


class UnavailableError(Exception):
    """The API or the assistant behind it did not take the message: try again later."""


class RejectedError(Exception):
    """The API refused the message for good (for instance too long); `detail` says why."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"{status}: {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Feedback:
    """What an answer is about: a "Var dette til hjelp?" answer is counted under it."""

    service: str
    aspect: str
    language: str

    @classmethod
    def from_json(cls, data: object) -> Feedback | None:
        if not isinstance(data, dict):
            return None
        fields = [data.get(name) for name in ("service", "aspect", "language")]
        strings = [value for value in fields if isinstance(value, str) and value]
        return cls(*strings) if len(strings) == len(fields) else None


@dataclass(frozen=True)
class Message:
    text: str
    sender: str = "assistant"
    id: int | None = None
    conversation_id: str | None = None
    district: str | None = None
    buttons: tuple[Button, ...] = ()
    alert: str | None = None  # "emergency": tells the person to call 113
    feedback: Feedback | None = None  # ask whether this answer helped

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        buttons = tuple(
            Button(str(b.get("title") or b.get("payload") or ""), str(b.get("payload") or ""))
            for b in data.get("buttons") or ()
            if isinstance(b, dict) and b.get("payload")
        )
        raw_id = data.get("id")
        return cls(
            text=str(data.get("text") or ""),
            sender=str(data.get("sender") or "assistant"),
            id=raw_id if isinstance(raw_id, int) else None,
            conversation_id=data.get("conversation_id"),
            district=data.get("district"),
            buttons=buttons,
            alert=data.get("alert") if isinstance(data.get("alert"), str) else None,
            feedback=Feedback.from_json(data.get("feedback")),
        )


@dataclass(frozen=True)
class Reply:
    messages: list[Message] = field(default_factory=list)
    forwarded_to_staff: bool = False


def conversation_id(chat_id: int) -> str:
    return f"{CHANNEL}:{chat_id}"


def chat_id_of(conversation: str | None) -> int | None:
    """The Telegram chat of a `telegram:<chat_id>` conversation, else None."""
    if not conversation:
        return None
    channel, _, rest = conversation.partition(":")
    if channel != CHANNEL:
        return None
    try:
        return int(rest)
    except ValueError:
        return None


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return str(body["detail"])
    return response.reason_phrase


class Gateway:
    """Calls the API with the bridge's bearer token. Outages raise `UnavailableError`."""

    def __init__(self, base_url: str, token: str, timeout: float = 30.0) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}", "User-Agent": "seniorveiviser-telegram"},
            timeout=httpx.Timeout(timeout, connect=5.0),
        )
        self._district_names: dict[str, str] = {}

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _call(
        self, method: str, path: str, ok: tuple[int, ...] = (), **kwargs: Any
    ) -> httpx.Response:
        where = f"{method} {_PERSON.sub(_REDACTED, path)}"  # no chat ids in logs
        try:
            response = await self.client.request(method, path, **kwargs)
        except httpx.TransportError as error:  # refused, reset, timed out
            raise UnavailableError(f"{where}: {type(error).__name__}") from error
        status = response.status_code
        if status < 400 or status in ok:
            return response
        if status in REJECTED:
            raise RejectedError(status, _detail(response))
        if status in (401, 403, 404):
            # Our credential or our idea of the API is wrong: nothing the person did. Keep
            # their message and retry, and say so loudly in the log.
            log.error("the API answered %s to %s: check the bridge's token and URL", status, where)
        raise UnavailableError(f"{where}: {status}")

    async def send(self, chat_id: int, text: str) -> Reply:
        """The person's message; the assistant's replies (none while staff hold the chat)."""
        path = f"/api/chat/conversations/{conversation_id(chat_id)}/messages"
        body = (await self._call("POST", path, json={"text": text})).json()
        return Reply(
            messages=[Message.from_json(m) for m in body.get("messages") or ()],
            forwarded_to_staff=bool(body.get("forwarded_to_staff")),
        )

    async def feedback(self, chat_id: int, topic: Feedback, helpful: bool) -> None:
        """The person's answer to "Var dette til hjelp?" about an answer in this chat."""
        path = f"/api/chat/conversations/{conversation_id(chat_id)}/feedback"
        body = {"helpful": helpful, **asdict(topic)}
        await self._call("POST", path, json=body)

    async def erase(self, chat_id: int) -> None:
        path = f"/api/chat/conversations/{conversation_id(chat_id)}"
        await self._call("DELETE", path, ok=(404,))  # nothing there: nothing to erase

    async def outbox(self) -> list[Message]:
        """Staff messages not yet delivered to a Telegram chat, oldest first."""
        body = (await self._call("GET", f"/api/channels/{CHANNEL}/outbox")).json()
        return [Message.from_json(m) for m in body.get("messages") or ()]

    async def delivered(self, message_id: int) -> None:
        path = f"/api/channels/{CHANNEL}/outbox/{message_id}/delivered"
        await self._call("POST", path, ok=(404,))  # erased meanwhile: nothing left to mark

    async def switchboard(self) -> str | None:
        """How to reach the city's switchboard: "Oslo kommune på 21 80 21 80"."""
        response = await self._call("GET", "/api/contacts", ok=(404,))
        if response.status_code == 404:
            return None
        items: Any = response.json()  # a list of contacts (GET /api/contacts)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            label = str(item.get("label") or "").lower()
            if item.get("key") == "switchboard" or "sentralbord" in label:
                phone = item.get("phone")
                return f"Oslo kommune på {phone}" if phone else None
        return None

    async def district_name(self, slug: str | None) -> str | None:
        """A district's name ("Østensjø"), cached; None when unknown."""
        if not slug:
            return None
        if slug not in self._district_names:
            try:
                response = await self._call("GET", f"/api/districts/{slug}", ok=(404,))
                body = response.json() if response.status_code == 200 else None
            except (UnavailableError, RejectedError, ValueError):
                return None
            name = body.get("name") if isinstance(body, dict) else None
            if not isinstance(name, str):
                return None
            self._district_names[slug] = name
        return self._district_names[slug]
