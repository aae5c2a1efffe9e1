"""A stand-in for Telegram's Bot API on loopback, for running the real bridge in tests.

It serves `{base}/bot{token}/{method}` (give PTB `base_url=f"{url}/bot"`) and implements what
the bridge uses: getMe, getUpdates (long polling with offset and timeout), sendMessage,
sendChatAction, answerCallbackQuery, editMessageText, editMessageReplyMarkup, setMyCommands,
getMyCommands, deleteWebhook, setWebhook, getWebhookInfo, close. Parameters come as JSON or
form-encoded, as PTB sends them (each form value JSON-encoded unless it is a string).

A test plays the person: `send_text` and `press` queue updates (or post them to the webhook
when one is set, with the secret header, as Telegram does), `fail_next` makes the next call of
a method answer 429 with `retry_after`, and `calls`, `chat` and `wait_for` show what the bot
did. Answers are `{"ok": true, "result": …}` with Message, User and Chat objects as Telegram
sends them.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qsl

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.servers import serve

T = TypeVar("T")
Json = dict[str, Any]

# Parameters that Telegram takes as plain strings: a form value "123" stays "123".
STRING_PARAMETERS = {
    "text",
    "callback_query_id",
    "url",
    "secret_token",
    "parse_mode",
    "action",
    "language_code",
    "inline_message_id",
    "ip_address",
}
COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


@dataclass
class Call:
    """One request the bot made, with its decoded parameters and our HTTP status."""

    method: str
    params: Json
    status: int = 200
    at: float = field(default_factory=time.monotonic)


def _decode_form(pairs: list[tuple[str, str]]) -> Json:
    params: Json = {}
    for key, value in pairs:
        if key in STRING_PARAMETERS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


class TelegramStandIn:
    """The Bot API's state for one bot: chats, messages, pending updates, every call."""

    def __init__(self, token: str = "123456789:STAND-IN-token_for-tests") -> None:
        self.token = token
        self.bot_user: Json = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Seniorveiviser",
            "username": "seniorveiviser_standin_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.lock = threading.Lock()
        self.calls: list[Call] = []
        self.commands: list[Json] = []
        self.webhook: Json = {}
        self.url = ""
        self._updates: list[Json] = []
        self._allowed_updates: list[str] = []
        self._next_update_id = 100_000
        self._next_message_id = 1
        self._next_callback_id = 1
        self._messages: dict[int, dict[int, Json]] = {}  # chat id -> message id -> message
        self._users: dict[int, Json] = {}
        self._open_callbacks: dict[str, Json] = {}
        self.callback_answers: dict[str, Json] = {}
        self._failures: dict[str, deque[int]] = {}
        self._closing = False
        self.app = self._make_app()

    # --- running ------------------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[TelegramStandIn]:
        with serve(self.app) as url:
            self.url = url
            try:
                yield self
            finally:
                self._closing = True

    @property
    def base_url(self) -> str:
        """PTB's `base_url`: the token is appended to it."""
        return f"{self.url}/bot"

    # --- what a test does as the person -------------------------------------------------

    def user(self, chat_id: int, first_name: str = "Kari") -> Json:
        return self._users.setdefault(
            chat_id,
            {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "nb"},
        )

    def send_text(self, chat_id: int, text: str) -> Json:
        """The person writes `text` in their private chat with the bot."""
        with self.lock:
            message = self._new_message(chat_id, self.user(chat_id), text)
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            update = self._new_update("message", message)
        self._dispatch(update)
        return message

    def send_photo(self, chat_id: int) -> Json:
        """Something that is not text (a photo), to see what the bot says to it."""
        with self.lock:
            message = self._new_message(chat_id, self.user(chat_id), None)
            message["photo"] = [
                {"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}
            ]
            update = self._new_update("message", message)
        self._dispatch(update)
        return message

    def press(self, chat_id: int, message_id: int, data: str) -> str:
        """The person presses the inline button with `data` under the bot's message."""
        with self.lock:
            message = self._messages[chat_id][message_id]
            markup = message.get("reply_markup") or {}
            offered = [
                b.get("callback_data") for row in markup.get("inline_keyboard", []) for b in row
            ]
            if data not in offered:
                raise AssertionError(f"no button {data!r} under message {message_id}: {offered}")
            query_id = str(self._next_callback_id)
            self._next_callback_id += 1
            query = {
                "id": query_id,
                "from": self.user(chat_id),
                "message": json.loads(json.dumps(message)),
                "chat_instance": f"instance-{chat_id}",
                "data": data,
            }
            self._open_callbacks[query_id] = query
            update = self._new_update("callback_query", query)
        self._dispatch(update)
        return query_id

    def fail_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next `times` calls of `method` get 429 Too Many Requests."""
        with self.lock:
            self._failures.setdefault(method, deque()).extend([retry_after] * times)

    # --- what a test looks at -----------------------------------------------------------

    def chat(self, chat_id: int) -> list[Json]:
        """All messages in the chat, both sides, oldest first (as they are now, after edits)."""
        with self.lock:
            return [json.loads(json.dumps(m)) for m in self._messages.get(chat_id, {}).values()]

    def chat_ids(self) -> list[int]:
        with self.lock:
            return list(self._messages)

    def bot_messages(self, chat_id: int) -> list[Json]:
        return [m for m in self.chat(chat_id) if m["from"]["is_bot"]]

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, check: Callable[[], T | None], timeout: float = 30, what: str = "") -> T:
        """Poll `check` until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or check}")
            time.sleep(0.05)

    def wait_for_bot_messages(self, chat_id: int, count: int, timeout: float = 30) -> list[Json]:
        """Wait until the bot has sent at least `count` messages to the chat; all of them."""

        def enough() -> list[Json] | None:
            sent = self.bot_messages(chat_id)
            return sent if len(sent) >= count else None

        return self.wait_for(enough, timeout, f"{count} bot messages in chat {chat_id}")

    # --- internals ----------------------------------------------------------------------

    def _chat_object(self, chat_id: int) -> Json:
        user = self.user(chat_id)
        return {"id": chat_id, "type": "private", "first_name": user["first_name"]}

    def _new_message(self, chat_id: int, sender: Json, text: str | None) -> Json:
        message: Json = {
            "message_id": self._next_message_id,
            "from": sender,
            "chat": self._chat_object(chat_id),
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
        self._next_message_id += 1
        self._messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def _new_update(self, kind: str, payload: Json) -> Json:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        return update

    def _dispatch(self, update: Json) -> None:
        """Queue the update for getUpdates, or post it to the webhook as Telegram would."""
        with self.lock:
            webhook = dict(self.webhook)
            if not webhook.get("url"):
                self._updates.append(update)
                return
        headers = {}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook["secret_token"]
        response = httpx.post(webhook["url"], json=update, headers=headers, timeout=10)
        response.raise_for_status()

    def _make_app(self) -> FastAPI:
        app = FastAPI()

        @app.api_route("/bot{token}/{method}", methods=["GET", "POST"])
        async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
            params = await self._params(request)
            if token != self.token:
                return self._error(method, params, 401, "Unauthorized")
            with self.lock:
                failures = self._failures.get(method)
                retry_after = failures.popleft() if failures else None
            if retry_after is not None:
                return self._error(
                    method,
                    params,
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
            if method == "getUpdates":
                return await self._get_updates(params)
            handler = self._handlers.get(method)
            if handler is None:
                return self._error(method, params, 404, "Not Found: method not found")
            with self.lock:
                try:
                    result = handler(self, params)
                except BadRequestError as error:
                    return self._error(method, params, 400, f"Bad Request: {error}", locked=True)
                self.calls.append(Call(method, params))
            return JSONResponse({"ok": True, "result": result})

        return app

    @staticmethod
    async def _params(request: Request) -> Json:
        params: Json = _decode_form(list(request.query_params.multi_items()))
        content_type = request.headers.get("content-type", "")
        body = await request.body()
        if not body:
            return params
        if content_type.startswith("application/json"):
            params.update(json.loads(body))
        elif content_type.startswith("application/x-www-form-urlencoded"):
            params.update(_decode_form(parse_qsl(body.decode(), keep_blank_values=True)))
        elif content_type.startswith("multipart/form-data"):
            form = await request.form()
            params.update(
                _decode_form([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
            )
        return params

    def _error(
        self,
        method: str,
        params: Json,
        status: int,
        description: str,
        parameters: Json | None = None,
        locked: bool = False,
    ) -> JSONResponse:
        call = Call(method, params, status)
        if locked:
            self.calls.append(call)
        else:
            with self.lock:
                self.calls.append(call)
        body: Json = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return JSONResponse(body, status_code=status)

    async def _get_updates(self, params: Json) -> JSONResponse:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        with self.lock:
            if self.webhook.get("url"):
                return self._error(
                    "getUpdates",
                    params,
                    409,
                    "Conflict: can't use getUpdates method while webhook is active",
                    locked=True,
                )
            if "allowed_updates" in params:
                self._allowed_updates = list(params["allowed_updates"] or [])
            if offset:  # confirms every update before `offset`
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self.calls.append(Call("getUpdates", params))
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                allowed = self._allowed_updates
                ready = [u for u in self._updates if not allowed or set(u) & set(allowed)]
            if ready or time.monotonic() >= deadline or self._closing:
                return JSONResponse({"ok": True, "result": ready[:limit]})
            await asyncio.sleep(0.02)

    # --- methods (called with the lock held) --------------------------------------------

    def _known_chat(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self._users:
            raise BadRequestError("chat not found")
        return chat_id

    @staticmethod
    def _check_markup(params: Json) -> Json | None:
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            raise BadRequestError("can't parse reply keyboard markup JSON object")
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if not button.get("text") or data is None or not 1 <= len(data.encode()) <= 64:
                    raise BadRequestError("BUTTON_DATA_INVALID")
        return markup

    @staticmethod
    def _check_text(params: Json) -> str:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequestError("message text is empty")
        if len(text) > 4096:
            raise BadRequestError("message is too long")
        return text

    def _message(self, params: Json) -> Json:
        chat_id = self._known_chat(params)
        message = self._messages[chat_id].get(params.get("message_id") or 0)
        if message is None:
            raise BadRequestError("message to edit not found")
        if not message["from"]["is_bot"]:
            raise BadRequestError("message can't be edited")
        return message

    def _get_me(self, _params: Json) -> Json:
        return self.bot_user

    def _send_message(self, params: Json) -> Json:
        chat_id = self._known_chat(params)
        text = self._check_text(params)
        markup = self._check_markup(params)
        message = self._new_message(chat_id, self.bot_user, text)
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _send_chat_action(self, params: Json) -> bool:
        self._known_chat(params)
        return True

    def _answer_callback_query(self, params: Json) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callbacks:
            raise BadRequestError(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.callback_answers[query_id] = params
        del self._open_callbacks[query_id]
        return True

    def _edit_message_text(self, params: Json) -> Json:
        message = self._message(params)
        text = self._check_text(params)
        markup = self._check_markup(params)
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise BadRequestError("message is not modified")
        message["text"] = text
        message["edit_date"] = int(time.time())
        # Like Telegram: an edit without reply_markup removes the inline keyboard.
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _edit_message_reply_markup(self, params: Json) -> Json:
        message = self._message(params)
        markup = self._check_markup(params)
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return message

    def _set_my_commands(self, params: Json) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not all(
            isinstance(c, dict) and COMMAND.match(str(c.get("command"))) and c.get("description")
            for c in commands
        ):
            raise BadRequestError("invalid bot commands")
        self.commands = commands
        return True

    def _get_my_commands(self, _params: Json) -> list[Json]:
        return self.commands

    def _set_webhook(self, params: Json) -> bool:
        url = params.get("url")
        if not isinstance(url, str) or not url:
            raise BadRequestError("bad webhook: an HTTPS URL must be provided for webhook")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "allowed_updates": params.get("allowed_updates"),
        }
        return True

    def _delete_webhook(self, params: Json) -> bool:
        self.webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, _params: Json) -> Json:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _close(self, _params: Json) -> bool:
        return True

    _handlers: ClassVar[dict[str, Callable[[TelegramStandIn, Json], Any]]] = {
        "getMe": _get_me,
        "sendMessage": _send_message,
        "sendChatAction": _send_chat_action,
        "answerCallbackQuery": _answer_callback_query,
        "editMessageText": _edit_message_text,
        "editMessageReplyMarkup": _edit_message_reply_markup,
        "setMyCommands": _set_my_commands,
        "getMyCommands": _get_my_commands,
        "setWebhook": _set_webhook,
        "deleteWebhook": _delete_webhook,
        "getWebhookInfo": _get_webhook_info,
        "close": _close,
    }


class BadRequestError(Exception):
    """Telegram's 400 answers ("Bad Request: chat not found")."""
