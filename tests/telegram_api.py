"""The real API for the Telegram bridge's tests, with the real Rasa behind a switch.

`serving_real_api(stack)` runs `api.main.create_app` on loopback in this process, over the
stack's database and secrets. Between it and the stack's Rasa sits a switch that passes every
message on, or turns it away at once, so a test can take the assistant away and bring it back
in a moment instead of restarting Rasa (a minute). Nothing answers in Rasa's place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI, Request, Response
from starlette.middleware.base import RequestResponseEndpoint

from api.main import create_app
from core.config import Settings
from devtools.stack import Stack
from tests.servers import serve
from tests.telegram_standin import Json

MESSAGES = "/api/chat/conversations/{}/messages"


class RasaSwitch:
    """Between the API and the real Rasa: passes each message on, or, when off, turns it away
    with a 502 as a proxy in front of a dead Rasa would. Notes what reached Rasa, and how."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.off = False
        self.reached: list[tuple[str, str]] = []  # (conversation, text) that Rasa answered
        self.answers: list[list[Json]] = []  # Rasa's replies to each of them
        self.turned_away: list[tuple[str, str]] = []

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/rest/webhook")
        async def webhook(request: Request) -> Response:
            body = await request.body()
            message = json.loads(body)
            said = (str(message["sender"]), str(message["message"]))
            if self.off:
                self.turned_away.append(said)
                return Response(status_code=502)
            headers = {"Authorization": request.headers.get("authorization", "")}
            async with httpx.AsyncClient(timeout=120) as client:
                answer = await client.post(
                    f"{self.stack.rasa_url}/webhooks/rest/webhook", content=body, headers=headers
                )
            if answer.status_code == 200:
                self.answers.append(answer.json())
                self.reached.append(said)
            return Response(answer.content, answer.status_code, media_type="application/json")

        return app

    def reached_from(self, chat: int) -> list[str]:
        return [text for conversation, text in self.reached if conversation == f"telegram:{chat}"]

    def turned_away_from(self, chat: int) -> list[str]:
        return [t for conversation, t in self.turned_away if conversation == f"telegram:{chat}"]


@dataclass
class RealApi:
    """`api.main.create_app` on loopback, over the stack's database, Rasa behind a switch."""

    url: str
    switch: RasaSwitch
    answered: list[tuple[str, str, int]]  # (method, path, status) of every request
    posted: list[tuple[str, str]]  # (conversation, text) of every message posted to it

    def texts_posted_to(self, conversation: str) -> list[str]:
        return [text for posted_to, text in self.posted if posted_to == conversation]

    def posts_to(self, conversation: str) -> list[int]:
        """The statuses of the messages posted to `conversation`, in order."""
        path = MESSAGES.format(conversation)
        return [status for method, p, status in self.answered if method == "POST" and p == path]


@contextmanager
def serving_real_api(stack: Stack) -> Iterator[RealApi]:
    """`create_app`'s API on loopback, noting every request it answers."""
    switch = RasaSwitch(stack)
    with serve(switch.app()) as switch_url:
        settings = Settings(
            database_url=stack.environment["DATABASE_URL"],
            secrets_dir=stack.secrets_dir,
            tracker_sqlite_path=stack.environment["TRACKER_SQLITE_PATH"],
            rasa_port=int(switch_url.rsplit(":", 1)[1]),
        )
        app = create_app(settings)
        answered: list[tuple[str, str, int]] = []
        posted: list[tuple[str, str]] = []

        @app.middleware("http")
        async def note(request: Request, call_next: RequestResponseEndpoint) -> Response:
            path = request.url.path
            if request.method == "POST" and path.endswith("/messages"):
                conversation = path.removeprefix("/api/chat/conversations/").split("/")[0]
                posted.append((conversation, str(json.loads(await request.body())["text"])))
            response = await call_next(request)
            answered.append((request.method, path, response.status_code))
            return response

        with serve(app) as url:
            yield RealApi(url, switch, answered, posted)
