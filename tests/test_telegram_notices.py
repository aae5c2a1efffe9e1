"""Telegram: the case's status notices, and phone numbers written so that Telegram links them.

The real bridge (`python -m bot.telegram`) against the Telegram stand-in and the real API on
loopback. Only the outbox is used, so Rasa is not needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.accounts.models import Role
from api.main import create_app
from api.texts import TEXTS
from bot.telegram import texts
from bot.telegram.phones import tappable_numbers, with_links
from services_catalog.loader import Catalogue
from tests.servers import serve
from tests.staff import Desk, open_desk, username
from tests.telegram_standin import TelegramStandIn
from tests.test_telegram_bridge import new_chat, run_bridge

STAFF = username(Role.STAFF)


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("Ring 23 43 10 00.", "Ring +47 23 43 10 00."),
        ("Ring 23431000 eller +47 21 80 21 80", "Ring +47 23 43 10 00 eller +47 21 80 21 80"),
        ("Grønt nummer: 800 12 345", "Grønt nummer: +47 800 12 345"),
        ("Allerede riktig: +47 23 43 10 00", "Allerede riktig: +47 23 43 10 00"),
        ("Ring 113 eller legevakten på 116 117.", "Ring 113 eller legevakten på 116 117."),
        ("Sentralbordet: 02180", "Sentralbordet: 02180"),
        ("Referanse 1234567890 og dato 10.12.2026", "Referanse 1234567890 og dato 10.12.2026"),
    ],
)
def test_norwegian_numbers_get_their_country_code(said: str, sent: str) -> None:
    assert tappable_numbers(said) == sent
    assert tappable_numbers(sent) == sent, "formatting twice changes nothing"


@pytest.fixture(scope="module")
def desk(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk("sqlite", catalogue, tmp_path_factory.mktemp("telegram-desk")) as opened:
        yield opened


def test_a_source_is_sent_as_its_words_with_the_address_behind_them() -> None:
    said = "Pris: 275 kr <i måneden> & mer.\nKilde: [oslo.kommune.no, sjekket 23.11.2026](https://www.oslo.kommune.no/a?b=1&c=2)"
    assert with_links(said) == (
        "Pris: 275 kr &lt;i måneden&gt; &amp; mer.\nKilde: "
        '<a href="https://www.oslo.kommune.no/a?b=1&amp;c=2">'
        "oslo.kommune.no, sjekket 23.11.2026</a>"
    )
    assert with_links("Ring 22 33 44 55.") is None  # no link: sent as plain text, as before


def test_the_relative_hears_claimed_reply_and_resolved_with_tappable_numbers(
    desk: Desk, tmp_path: Path
) -> None:
    chat = new_chat()
    with (
        serve(create_app(desk.settings)) as api_url,
        TelegramStandIn().running() as standin,
        run_bridge(standin, api_url, desk.telegram_token, tmp_path),
    ):
        standin.send_text(chat, "/start")
        standin.wait_for_bot_messages(chat, 1)
        opened = desk.open_ticket(
            channel="telegram",
            conversation_id=f"telegram:{chat}",
            contact_method="chat",
            contact_phone=None,
        )
        desk.act(STAFF, opened.id, "claim")
        desk.act(STAFF, opened.id, "replies", "Ring oss gjerne på 23 43 10 00.")
        desk.act(STAFF, opened.id, "resolve")
        sent = [m["text"] for m in standin.wait_for_bot_messages(chat, 4)]
    assert sent[1:] == [
        "En ansatt i bydel Frogner har tatt saken. Svaret kommer her.",
        texts.STAFF_REPLY.format(who="bydel Frogner", text="Ring oss gjerne på +47 23 43 10 00."),
        TEXTS["resolved_notice"]["nb"],
    ]
