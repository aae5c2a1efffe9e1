"""What reaches a log: no national ID, however written, and no conversation id."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import date

import pytest
from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import AccessFormatter

from api.__main__ import log_config
from api.chat.masking import Tails, mask_message
from core.logs import install_log_filters
from core.privacy import MASK
from tests.national_ids import valid_id

NATIONAL_ID = valid_id(date(1932, 3, 5))
WRITTEN = f"{NATIONAL_ID[:2]}.{NATIONAL_ID[2:4]}.{NATIONAL_ID[4:6]} {NATIONAL_ID[6:]}"
WEB = "web:AbCdEfGhIjKlMnOpQrStUv"


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@pytest.fixture
def written() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose handler writes to a string, with the filters installed."""
    stream = io.StringIO()
    logger = logging.getLogger("tests.masking_logs")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    install_log_filters(logger)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def test_ids_in_messages_arguments_and_tracebacks_are_masked(
    written: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = written
    logger.warning("the person wrote %s", f"fnr {WRITTEN}")
    logger.warning("said: %(text)s", {"text": WRITTEN})
    logger.warning(f"formatted in: {WRITTEN}")
    try:
        raise ValueError(f"bad value {WRITTEN}")
    except ValueError:
        logger.exception("it failed")
    output = stream.getvalue()
    assert output.count(MASK) == 4
    assert "ValueError: bad value" in output
    assert NATIONAL_ID not in digits(output)


def test_a_lone_surrogate_is_written_escaped(written: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = written
    logger.warning("got %s", "text \ud800 end")
    assert "text \\ud800 end" in stream.getvalue()


def test_uvicorn_access_lines_name_no_conversation(
    written: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = written
    access = LOGGING_CONFIG["formatters"]["access"]
    logger.handlers[0].setFormatter(AccessFormatter(access["fmt"], use_colors=False))
    for path in (f"/api/chat/conversations/{WEB}/messages", "/x/telegram%3A-100123/y"):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "POST", path, "1.1", 200)
    output = stream.getvalue()
    assert '"POST /api/chat/conversations/web:…/messages HTTP/1.1" 200' in output
    assert "/x/telegram:…/y" in output
    assert WEB not in output
    assert "100123" not in output


def test_the_api_logs_its_own_loggers_through_the_filters() -> None:
    config = log_config("debug")
    assert config["root"] == {"handlers": ["default"], "level": "DEBUG"}
    for handler in config["handlers"].values():
        assert handler["filters"] == ["mask_national_ids", "redact_conversation_ids"]


# -- The gateway's memory of a split number ------------------------------------------------


def test_the_gateway_masks_a_number_split_across_two_messages() -> None:
    tails = Tails()
    assert mask_message(WEB, f"fnr er {NATIONAL_ID[:6]}", tails) == f"fnr er {NATIONAL_ID[:6]}"
    assert (
        mask_message("web:another-conversation-000000", NATIONAL_ID[6:], tails) == (NATIONAL_ID[6:])
    )
    assert mask_message(WEB, NATIONAL_ID[6:], tails) == MASK
    assert len(tails) == 1  # the other conversation's digits; nothing left of the masked ID


def test_the_memory_is_bounded_and_forgets_after_its_lifetime() -> None:
    now = [0.0]
    tails = Tails(capacity=2, lifetime_seconds=600, clock=lambda: now[0])
    for name in ("a", "b", "c"):
        mask_message(f"web:{name}", NATIONAL_ID[:6], tails)
    assert len(tails) == 2
    assert mask_message("web:a", NATIONAL_ID[6:], tails) == NATIONAL_ID[6:]  # pushed out
    now[0] = 601.0
    assert mask_message("web:b", NATIONAL_ID[6:], tails) == NATIONAL_ID[6:]  # too old
    assert mask_message("web:c", NATIONAL_ID[6:], tails) == NATIONAL_ID[6:]
