"""Rate limits on the chat gateway: starting conversations and sending messages."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from api.ratelimit import RateLimiter
from api.texts import TEXTS
from bot.telegram.gateway import Gateway, RejectedError, UnavailableError
from core.config import Settings
from services_catalog.loader import Catalogue
from tests.servers import serve
from tests.staff import PROBLEM, Desk, bearer, new_conversation_id, open_desk

LIMITS = {
    "chat_start_limits_per_address": "3 per minute",
    "chat_message_limits_per_address": "5 per minute",
    "chat_message_limits_per_conversation": "3 per minute",
}


def _strict_app(settings: Settings) -> FastAPI:
    return create_app(settings.model_copy(update=LIMITS))


@pytest.fixture(scope="module")
def desk(
    database_kind: str, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("limits")
    with open_desk(database_kind, catalogue, folder, _strict_app) as opened:
        yield opened


@pytest.fixture(autouse=True)
def _fresh(desk: Desk) -> None:
    desk.reset()
    desk.app.state.rate_limiter = RateLimiter(desk.app.state.settings)


def _held_conversation(desk: Desk, channel: str = "web") -> str:
    """A conversation district staff hold: its messages go to them (200) without the assistant."""
    opened = desk.open_ticket(channel=channel, conversation_id=new_conversation_id(channel))
    desk.act("staff-frogner", opened.id, "claim")
    return opened.conversation_id


def _send(desk: Desk, conversation: str, token: str | None = None) -> httpx.Response:
    headers = bearer(token) if token else {}
    path = f"/api/chat/conversations/{conversation}/messages"
    response: httpx.Response = desk.client.post(path, json={"text": "Hallo?"}, headers=headers)
    return response


def _assert_too_many(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"] == PROBLEM
    assert 1 <= int(response.headers["retry-after"]) <= 61
    assert response.json()["detail"] == TEXTS["too_many_messages"]["nb"]


def test_starting_conversations_is_limited_per_address(desk: Desk) -> None:
    started = [desk.client.post("/api/chat/conversations") for _ in range(3)]
    assert [r.status_code for r in started] == [201] * 3
    _assert_too_many(desk.client.post("/api/chat/conversations"))


def test_messages_are_limited_per_conversation(desk: Desk) -> None:
    busy, calm = _held_conversation(desk), _held_conversation(desk)
    assert [_send(desk, busy).status_code for _ in range(3)] == [200] * 3
    _assert_too_many(_send(desk, busy))
    assert _send(desk, calm).status_code == 200, "another conversation is not held back"


def test_messages_are_limited_per_address_across_conversations(desk: Desk) -> None:
    conversations = [_held_conversation(desk) for _ in range(6)]
    answers = [_send(desk, conversation).status_code for conversation in conversations]
    assert answers == [200] * 5 + [429]


def test_the_telegram_bridge_is_limited_per_chat_not_per_address(desk: Desk) -> None:
    chats = [_held_conversation(desk, "telegram") for _ in range(6)]
    answers = [_send(desk, chat, desk.telegram_token).status_code for chat in chats]
    assert answers == [200] * 6, "one bridge speaks for many relatives"
    again = [_send(desk, chats[0], desk.telegram_token).status_code for _ in range(3)]
    assert again == [200, 200, 429]


def test_an_unauthenticated_caller_uses_up_no_telegram_chats_allowance(desk: Desk) -> None:
    chat = _held_conversation(desk, "telegram")
    assert [_send(desk, chat).status_code for _ in range(5)] == [401] * 5
    assert _send(desk, chat, desk.telegram_token).status_code == 200


def test_the_telegram_bridge_keeps_a_refused_message_to_retry(desk: Desk) -> None:
    """A 429 is "try again later" (kept and retried like a 503), never "rejected for good"."""
    chat = _held_conversation(desk, "telegram")
    chat_id = int(chat.split(":", 1)[1])

    async def send_four() -> list[str]:
        outcomes = []
        async with Gateway(url, desk.telegram_token) as gateway:
            for _ in range(4):
                try:
                    await gateway.send(chat_id, "Hallo?")
                    outcomes.append("sent")
                except UnavailableError:
                    outcomes.append("retry later")
                except RejectedError:
                    outcomes.append("rejected")
        return outcomes

    with serve(_strict_app(desk.settings)) as url:
        outcomes = asyncio.run(send_four())
    assert outcomes == ["sent"] * 3 + ["retry later"]


def test_the_default_limits_let_a_quick_person_talk(desk: Desk) -> None:
    """Defaults: 30 messages a minute in one conversation, 30 new conversations a minute."""
    desk.app.state.rate_limiter = RateLimiter(Settings())
    conversation = _held_conversation(desk)
    assert all(_send(desk, conversation).status_code == 200 for _ in range(30))
    assert all(desk.client.post("/api/chat/conversations").status_code == 201 for _ in range(30))
