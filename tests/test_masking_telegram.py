"""The Telegram bridge masks national ID numbers before it keeps, retries or logs a message."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from core.privacy import MASK
from tests.national_ids import valid_id
from tests.servers import serve
from tests.telegram_standin import Json, TelegramStandIn
from tests.test_telegram_bridge import ContractApi, new_chat, run_bridge

NATIONAL_ID = valid_id(date(1932, 3, 5))
WRITTEN = f"{NATIONAL_ID[:2]}.{NATIONAL_ID[2:4]}.{NATIONAL_ID[4:6]}\u00a0{NATIONAL_ID[6:]}"


def digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())


def test_an_id_is_masked_before_the_retry_queue_and_the_log(tmp_path: Path) -> None:
    api = ContractApi(down=True)
    chat = new_chat()
    with (
        TelegramStandIn().running() as standin,
        serve(api.app()) as url,
        run_bridge(standin, url, api.token, tmp_path, LOG_LEVEL="debug") as bridge,
    ):

        def bot_said(start: str) -> list[Json]:
            return [m for m in standin.bot_messages(chat) if m["text"].startswith(start)]

        standin.send_text(chat, f"Fødselsnummeret til mor er {WRITTEN}")
        standin.wait_for(lambda: bot_said("Assistenten svarer ikke"), 30, "the outage notice")
        api.down = False  # the kept message is retried now
        echoed = standin.wait_for(lambda: bot_said("Du skrev"), 30, "the echo")
    assert [m["text"] for m in echoed] == [f"Du skrev: Fødselsnummeret til mor er {MASK}"]
    assert api.received == [(f"telegram:{chat}", f"Fødselsnummeret til mor er {MASK}")]
    log = bridge.output()
    assert "DEBUG" in log
    assert NATIONAL_ID not in digits(log)
