"""Logs people can read: JSON lines, and one request id from the gateway to Rasa and the actions.

Against the real processes `make run` starts (API, Rasa, action server; SQLite), with
`LOG_FORMAT=json`. The action server says which action it runs only at debug level, so the
stack runs at debug here; what matters is that its line for this message carries the id.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.logs import REQUEST_ID, JsonLines, MaskNationalIds, RedactConversationIds
from devtools.stack import Stack
from tests.databases import running_assistant
from tests.national_ids import valid_id
from tests.test_handoff_conversation import send, start, texts


def json_lines(path: Path) -> list[dict[str, Any]]:
    """The log's JSON lines (a process may print a plain line before its logging is set up)."""
    lines = []
    for line in path.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def lines_with(path: Path, request_id: str, seconds: float = 30) -> list[dict[str, Any]]:
    """The JSON lines in `path` that carry `request_id`, once there is at least one."""
    deadline = time.monotonic() + seconds
    while True:
        found = [line for line in json_lines(path) if line.get("request_id") == request_id]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOG_FORMAT", "json")
        env.setenv("LOG_LEVEL", "debug")
        with running_assistant(tmp_path_factory.mktemp("logs")) as running:
            yield running


def test_one_request_id_from_the_gateway_to_rasa_and_the_actions(stack: Stack) -> None:
    request_id = f"test-{uuid.uuid4().hex}"
    with httpx.Client(base_url=stack.api_url, timeout=60) as api:
        conversation = start(api)
        response = api.post(
            f"/api/chat/conversations/{conversation}/messages",
            json={"text": "Jeg vil snakke med et menneske"},
            headers={"X-Request-ID": request_id},
        )
    assert response.status_code == 200
    assert "Gjelder det deg selv" in texts(response.json())
    assert response.headers["X-Request-ID"] == request_id

    api_lines = lines_with(stack.logs / "api.log", request_id)
    assert any("POST /api/chat/conversations/web:…/messages" in x["message"] for x in api_lines)
    assert all(x["level"] and x["time"] and x["logger"] for x in api_lines)
    actions_lines = lines_with(stack.logs / "actions.log", request_id)
    assert any("action_request_human" in line["message"] for line in actions_lines)
    assert lines_with(stack.logs / "rasa.log", request_id)
    # The conversation's id (its secret) is in no line: the filters run before the format.
    for log in ("api.log", "actions.log", "rasa.log"):
        assert conversation not in (stack.logs / log).read_text("utf-8", errors="replace")


def test_a_request_without_an_id_gets_one(stack: Stack) -> None:
    with httpx.Client(base_url=stack.api_url, timeout=60) as api:
        conversation = start(api)
        turn = api.post(
            f"/api/chat/conversations/{conversation}/messages",
            json={"text": "Hei"},
            headers={"X-Request-ID": "not a sane id; it goes into every log line"},
        )
        made = turn.headers["X-Request-ID"]
        assert len(made) == 32
        assert made.isalnum()
        assert lines_with(stack.logs / "api.log", made)
        assert texts(send(api, conversation, "Takk"))


def test_a_json_line_is_filtered_and_carries_the_traceback() -> None:
    handler = logging.StreamHandler()
    for log_filter in (MaskNationalIds(), RedactConversationIds()):
        handler.addFilter(log_filter)
    number = valid_id(date(1941, 4, 9))
    try:
        raise ValueError(f"bad number {number}")
    except ValueError as error:
        record = logging.LogRecord(
            "api",
            logging.ERROR,
            __file__,
            1,
            "for %s",
            ("web:" + "a" * 22,),
            (ValueError, error, error.__traceback__),
        )
    assert handler.filter(record)
    line = json.loads(JsonLines().format(record))
    assert line["message"] == "for web:…"
    assert line["level"] == "error"
    assert line["request_id"] is None
    assert "ValueError" in line["error"]
    assert number not in line["error"]
    token = REQUEST_ID.set("abc-123")
    try:
        assert json.loads(JsonLines().format(record))["request_id"] == "abc-123"
    finally:
        REQUEST_ID.reset(token)
