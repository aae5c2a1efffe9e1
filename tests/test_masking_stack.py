"""Against the real processes: no national ID, however written, is stored or logged anywhere.

Runs the API, outbox worker, action server and Rasa (SQLite), as `make run` does; sends every
written form from issue 11 (and a number split across two messages) through the chat gateway,
then reads every database file (with its -wal), Rasa's tracker store and every log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from devtools.stack import Stack
from tests.databases import running_assistant
from tests.national_ids import valid_id
from tests.test_handoff_conversation import send, start, texts

FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}


def written(number: str, sizes: list[int], separator: str = " ") -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    return separator.join(parts)


# One number per form, so a leak says which form it was.
FORMS: dict[str, str] = {}
for index, (sizes, separator) in enumerate(
    [
        ([6, 5], " "),
        ([2, 2, 2, 5], "."),
        ([2, 2, 2, 3, 2], " "),
        ([1] * 11, " "),
        ([3, 3, 3, 2], " "),
        ([6, 5], "  "),
        ([6, 5], "/"),
        ([6, 5], "\u00a0"),
        ([6, 5], "\u200b"),
        ([6, 5], "\n"),
        ([2, 2, 2, 5], "\u2009"),
        ([6, 5], "-"),
    ]
):
    number = valid_id(date(1930 + index, 1 + index, 10 + index))
    FORMS[number] = written(number, sizes, separator)
FULL_WIDTH_ID = valid_id(date(1945, 5, 8))
FORMS[FULL_WIDTH_ID] = written(FULL_WIDTH_ID, [6, 5]).translate(FULL_WIDTH)
SPLIT_ID = valid_id(date(1947, 6, 20))
DESCRIPTION_ID = valid_id(date(1947, 6, 21))
SURROGATE_ID = valid_id(date(1950, 9, 23))
EVERY_ID = [*FORMS, SPLIT_ID, DESCRIPTION_ID, SURROGATE_ID]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_assistant(tmp_path_factory.mktemp("masking")) as running:
        yield running


@pytest.fixture(scope="module")
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.api_url, timeout=60) as client:
        yield client


def readable(data: bytes) -> str:
    """File bytes as text a person could read a number from: JSON escapes undone, NFKC."""
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return unicodedata.normalize("NFKC", text)


def leaked(folder: Path) -> dict[str, list[str]]:
    """Which IDs appear, digits only (every separator removed), in which files under `folder`."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digits = "".join(c for c in readable(path.read_bytes()) if c.isascii() and c.isdigit())
        for number in EVERY_ID:
            if number in digits:
                found.setdefault(path.name, []).append(number)
    return found


def test_no_id_in_any_form_is_stored_or_logged(stack: Stack, api: httpx.Client) -> None:
    conversation = start(api)
    for form in FORMS.values():
        turn = send(api, conversation, f"Hei, fødselsnummeret mitt er {form}.")
        assert "fjernet et fødselsnummer" in texts(turn), form

    split = start(api)
    send(api, split, f"Fødselsnummeret er {SPLIT_ID[:6]}")
    assert "fjernet et fødselsnummer" in texts(send(api, split, SPLIT_ID[6:]))

    # A handoff whose description carries a number the old masking missed.
    handoff = start(api)
    assert "Gjelder det deg selv" in texts(send(api, handoff, "Jeg vil snakke med et menneske"))
    send(api, handoff, "Meg selv")
    send(api, handoff, "Frogner")
    assert "Skriv kort" in texts(send(api, handoff, "Svar her i chatten"))
    description = f"Trenger trygghetsalarm, fnr er {written(DESCRIPTION_ID, [2, 2, 2, 5], '.')}"
    assert "bydel Frogner" in texts(send(api, handoff, description))
    assert "Saken er sendt" in texts(send(api, handoff, "Ja"))

    # A lone surrogate: refused, and the traceback (if any) names no number.
    body = f'{{"text": "mitt fnr er {SURROGATE_ID} \\ud800"}}'.encode("ascii")
    refused = api.post(
        f"/api/chat/conversations/{start(api)}/messages",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert refused.status_code == 422

    files = {path.name for path in stack.logs.parent.rglob("*") if path.is_file()}
    assert {"stack.db", "rasa-tracker.db", "api.log"} <= files
    assert leaked(stack.logs.parent) == {}
    access_log = (stack.logs / "api.log").read_text("utf-8")
    assert '"POST /api/chat/conversations/web:…/messages HTTP/1.1" 200' in access_log
    assert not any(c in access_log for c in (conversation, split, handoff))
