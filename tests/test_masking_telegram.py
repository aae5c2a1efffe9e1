"""The Telegram bridge masks national ID numbers before it keeps, retries or logs a message.

Against the real API (in this process) and the real Rasa behind a switch (tests/telegram_api.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.config import get_settings
from core.privacy import MASK
from devtools.stack import Stack
from tests.databases import running_assistant
from tests.national_ids import valid_id
from tests.telegram_api import serving_real_api
from tests.telegram_standin import TelegramStandIn
from tests.test_telegram_bridge import new_chat, run_bridge

NATIONAL_ID = valid_id(date(1932, 3, 5))
WRITTEN = f"{NATIONAL_ID[:2]}.{NATIONAL_ID[2:4]}.{NATIONAL_ID[4:6]}\u00a0{NATIONAL_ID[6:]}"


def digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not Path(get_settings().rasa_model).exists():
        pytest.fail("no trained model: run `make model` first")
    with running_assistant(tmp_path_factory.mktemp("masking-telegram")) as running:
        yield running


def test_an_id_is_masked_before_the_retry_queue_and_the_log(stack: Stack, tmp_path: Path) -> None:
    chat = new_chat()
    conversation = f"telegram:{chat}"
    with (
        serving_real_api(stack) as api,
        TelegramStandIn().running() as standin,
        run_bridge(
            standin, api.url, stack.token("telegram"), tmp_path, LOG_LEVEL="debug"
        ) as bridge,
    ):
        api.switch.off = True  # the assistant is down: the bridge keeps the message and retries
        standin.send_text(chat, f"Fødselsnummeret til mor er {WRITTEN}")
        standin.wait_for(
            lambda: any(
                m["text"].startswith("Assistenten svarer ikke") for m in standin.bot_messages(chat)
            ),
            what="the outage notice",
        )
        standin.wait_for(lambda: len(api.texts_posted_to(conversation)) >= 2, what="a retry")
        api.switch.off = False  # the kept message is retried now
        standin.wait_for(lambda: api.switch.reached_from(chat), timeout=90, what="Rasa reached")
    masked = f"Fødselsnummeret til mor er {MASK}"
    assert set(api.texts_posted_to(conversation)) == {masked}  # every try: masked by the bridge
    assert api.switch.reached_from(chat) == [masked]
    log = bridge.output()
    assert "DEBUG" in log
    assert NATIONAL_ID not in digits(log)
