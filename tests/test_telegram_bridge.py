"""The Telegram bridge, run for real (`python -m bot.telegram`, PTB long polling).

Telegram is played by a stand-in Bot API on loopback (tests/telegram_standin.py). Everything
else is real: one stack for the module (API, outbox worker, action server and Rasa, started in
about a minute; needs the trained model). The tests of the Telegram side (rate limits, the
assistant's 503s, staff replies that cannot be sent, webhook mode) talk to `create_app`'s API
in this process, over the stack's database, with the stack's Rasa behind a switch that can
make it unreachable at once; the end-to-end tests use the stack's own API process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from telegram import CallbackQuery, User
from telegram.ext import ExtBot, InvalidCallbackData

from api.accounts.models import Role
from api.accounts.service import create_staff
from bot.telegram import keyboards, texts
from bot.telegram.__main__ import main as bridge_main
from bot.telegram.bridge import split_text
from bot.telegram.gateway import chat_id_of
from bot.telegram.settings import TelegramSettings
from core.buttons import Button
from core.config import ROOT, get_settings
from core.database import make_engine, transaction
from core.safety.messages import SAFETY_TEXTS
from devtools.stack import Stack, free_port, stop_process
from tests.databases import running_assistant
from tests.telegram_api import RasaSwitch, RealApi, serving_real_api
from tests.telegram_standin import Json, TelegramStandIn

MODEL = Path(get_settings().rasa_model)
LONG_PAYLOAD = '/ask_service{"service": "hjemmesykepleie", "facts": ["cost", "how_to_apply"]}'
STAFF_PASSWORD = "a long enough password"


# --- running the bridge ---------------------------------------------------------------


@dataclass
class BridgeProcess:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def run_bridge(
    standin: TelegramStandIn, api_url: str, token: str, workdir: Path, **settings: str
) -> Iterator[BridgeProcess]:
    """`python -m bot.telegram` against the stand-in; stopped with SIGTERM at the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "SENIORVEIVISER_"))
    }
    environment.update(
        {
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": standin.token,
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "SENIORVEIVISER_API_URL": api_url,
            "TELEGRAM_BRIDGE_TOKEN": token,
            "TELEGRAM_MODE": "polling",
            "TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
            "TELEGRAM_OUTBOX_POLL_SECONDS": "0.5",
            "TELEGRAM_RETRY_INITIAL_SECONDS": "0.5",
            "TELEGRAM_RETRY_MAX_SECONDS": "2",
            "TELEGRAM_API_TIMEOUT_SECONDS": "30",
            **settings,
        }
    )
    log = workdir / "bridge.log"
    with log.open("ab") as output:
        # In `workdir`, so that no `.env` of the developer's gets read.
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.telegram"],
            cwd=workdir,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    bridge = BridgeProcess(process, log)
    try:
        deadline = time.monotonic() + 30
        while not standin.calls_to("setMyCommands"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bridge did not start:\n{bridge.output()}")
            time.sleep(0.05)
        yield bridge
    except BaseException:
        print(f"--- bridge log ---\n{bridge.output()}")  # shown with the failure
        raise
    finally:
        stop_process(process)
    assert process.returncode == 0, bridge.output()
    assert "Traceback" not in bridge.output(), bridge.output()


def new_chat() -> int:
    return int(uuid.uuid4().int % 10**9) + 10**9


def last_text(messages: list[Json]) -> str:
    return str(messages[-1]["text"])


def buttons_of(message: Json) -> list[Json]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def data_of(message: Json, title: str) -> str:
    """The `callback_data` Telegram has for the button titled `title` under `message`."""
    return str(next(b["callback_data"] for b in buttons_of(message) if b["text"] == title))


def typing_shown(standin: TelegramStandIn, chat: int) -> int:
    """How often the bot showed "typing…" in `chat`: once at every try to reach the API."""
    calls = standin.calls_to("sendChatAction")
    return sum(call.params.get("chat_id") in (chat, str(chat)) for call in calls)


# --- small parts ----------------------------------------------------------------------


def test_button_ids_fit_in_callback_data_and_lead_back_to_the_payload() -> None:
    cache = ExtBot("123:token", arbitrary_callback_data=2).callback_data_cache
    assert cache is not None

    def sent(buttons: list[Button]) -> list[str]:
        """The `callback_data` Telegram gets for a keyboard of `buttons`."""
        markup = cache.process_keyboard(keyboards.choices_keyboard(buttons))
        return [str(b.callback_data) for row in markup.inline_keyboard for b in row]

    def pressed(data: str) -> object:
        query = CallbackQuery("1", User(1, "Kari", False), "instance", data=data)
        cache.process_callback_query(query)
        return query.data

    first = Button("Hjemmesykepleie", LONG_PAYLOAD + " " * 200)
    [key] = sent([first])
    assert len(key.encode()) <= 64
    assert pressed(key) == first
    sent([Button("a", "/a")])
    sent([Button("b", "/b")])
    assert isinstance(pressed(key), InvalidCallbackData)  # the least recently used went


def test_long_texts_are_split_at_paragraphs() -> None:
    paragraph = "Ord " * 500
    parts = split_text(f"{paragraph}\n\n{paragraph}\n\n{paragraph}")
    assert len(parts) == 2
    assert all(len(part) <= 4096 for part in parts)
    assert split_text("kort") == ["kort"]


def test_conversation_ids() -> None:
    assert chat_id_of("telegram:-100123") == -100123
    assert chat_id_of("web:abc") is None
    assert chat_id_of("telegram:abc") is None


def test_bridge_token_from_the_environment_or_the_secrets_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in list(os.environ):
        if key.startswith("TELEGRAM_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    token_file = tmp_path / "telegram.token"
    settings = TelegramSettings(telegram_bridge_token_file=token_file)
    assert settings.bridge_token() is None
    token_file.write_text("from-file\n", encoding="utf-8")
    assert settings.bridge_token() == "from-file"
    monkeypatch.setenv("TELEGRAM_BRIDGE_TOKEN", "from-env")
    assert TelegramSettings(telegram_bridge_token_file=token_file).bridge_token() == "from-env"


def test_without_a_bot_token_the_bridge_says_so_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key in list(os.environ):
        if key.startswith("TELEGRAM_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    assert bridge_main([]) == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().out
    assert bridge_main(["--check"]) == 1
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("TELEGRAM_BRIDGE_TOKEN", "y")
    assert bridge_main(["--check"]) == 0
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")
    assert bridge_main(["--check"]) == 1
    assert "TELEGRAM_WEBHOOK_URL" in capsys.readouterr().out


# --- the Telegram side, against the real API (in this process) and the real Rasa ---------


@pytest.fixture(scope="module")
def real_api(stack: Stack) -> Iterator[RealApi]:
    with serving_real_api(stack) as running:
        yield running


@pytest.fixture
def standin() -> Iterator[TelegramStandIn]:
    with TelegramStandIn().running() as running:
        yield running


@dataclass
class Bridged:
    """The bridge running against the stand-in and the real API; one person's chat."""

    standin: TelegramStandIn
    api: RealApi
    stack: Stack
    chat: int

    @property
    def conversation(self) -> str:
        return f"telegram:{self.chat}"

    @property
    def switch(self) -> RasaSwitch:
        return self.api.switch

    def say(self, text: str) -> None:
        self.standin.send_text(self.chat, text)

    def sent(self) -> list[Json]:
        return self.standin.bot_messages(self.chat)

    def wait(self, count: int) -> list[Json]:
        return self.standin.wait_for_bot_messages(self.chat, count, timeout=90)

    def reached_rasa(self) -> list[str]:
        return self.switch.reached_from(self.chat)

    def wait_until_rasa_has(self, texts: list[str]) -> None:
        """Wait until Rasa has answered `texts`; then it must have had exactly those, in order."""
        self.standin.wait_for(
            lambda: len(self.reached_rasa()) >= len(texts), timeout=90, what=f"{texts} answered"
        )
        assert self.reached_rasa() == texts


@pytest.fixture
def bridged(
    standin: TelegramStandIn, real_api: RealApi, stack: Stack, tmp_path: Path
) -> Iterator[Bridged]:
    real_api.switch.off = False
    try:
        with run_bridge(standin, real_api.url, stack.token("telegram"), tmp_path):
            yield Bridged(standin, real_api, stack, new_chat())
    finally:
        real_api.switch.off = False
    assert [c.method for c in standin.calls if c.status == 404] == []  # no unknown methods


def switchboard_phone(api_url: str) -> str:
    """Oslo kommune's switchboard as the catalogue gives it (the real /api/contacts)."""
    contacts = httpx.get(f"{api_url}/api/contacts", timeout=10).json()
    return str(next(contact["phone"] for contact in contacts if contact["key"] == "switchboard"))


def test_commands_and_telegram_rate_limit(bridged: Bridged) -> None:
    standin = bridged.standin
    assert [c["command"] for c in standin.commands] == ["start", "hjelp", "slett"]
    # Telegram says 429 once: the rate limiter waits retry_after and sends again.
    standin.fail_next("sendMessage", retry_after=1)
    bridged.say("/start")
    assert last_text(bridged.wait(1)) == texts.START
    sends = standin.calls_to("sendMessage")
    assert [c.status for c in sends] == [429, 200]
    assert sends[1].at - sends[0].at >= 0.9
    bridged.say("/hjelp")
    assert last_text(bridged.wait(2)) == texts.HELP
    bridged.say("/ukjent")
    assert last_text(bridged.wait(3)) == texts.UNKNOWN_COMMAND
    standin.send_photo(bridged.chat)
    assert last_text(bridged.wait(4)) == texts.ONLY_TEXT
    assert bridged.api.posts_to(bridged.conversation) == []  # commands stay in the bridge


def test_a_pressed_button_sends_its_payload(bridged: Bridged) -> None:
    bridged.say("bestefar er ensom og sitter mye inne")
    offer = bridged.standin.wait_for(
        lambda: next((m for m in bridged.sent() if buttons_of(m)), None),
        timeout=90,
        what="an answer with buttons",
    )
    button = buttons_of(offer)[0]
    offered = [b for answer in bridged.switch.answers for b in answer if b.get("buttons")]
    payload = next(
        b["payload"]
        for answer in offered
        for b in answer["buttons"]
        if b["title"] == button["text"]
    )
    assert len(button["callback_data"].encode()) <= 64
    before = len(bridged.sent())
    query = bridged.standin.press(bridged.chat, offer["message_id"], button["callback_data"])
    bridged.wait_until_rasa_has(["bestefar er ensom og sitter mye inne", payload])
    bridged.wait(before + 1)
    assert query in bridged.standin.callback_answers
    shown = next(
        m for m in bridged.standin.chat(bridged.chat) if m["message_id"] == offer["message_id"]
    )
    assert shown["text"].endswith(f"\n\nDu valgte: {button['text']}")
    assert "reply_markup" not in shown


def feedback_rows(stack: Stack) -> list[tuple[object, ...]]:
    engine = make_engine(stack.environment["DATABASE_URL"])
    query = (
        "SELECT helpful, service, aspect, language FROM stats_event"
        " WHERE kind = 'feedback' AND channel = 'telegram'"
    )
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(query))]
    finally:
        engine.dispose()


def test_was_this_helpful_is_counted_once_and_thanked_for(bridged: Bridged) -> None:
    assert feedback_rows(bridged.stack) == []
    bridged.say("Hva koster trygghetsalarm?")
    question = bridged.standin.wait_for(
        lambda: next((m for m in bridged.sent() if m["text"] == "Var dette til hjelp?"), None),
        timeout=90,
        what="the feedback question",
    )
    assert [b["text"] for b in buttons_of(question)] == ["Ja", "Nei"]
    yes = data_of(question, "Ja")
    first = bridged.standin.press(bridged.chat, question["message_id"], yes)
    second = bridged.standin.press(bridged.chat, question["message_id"], yes)  # a double tap

    def thanked() -> Json | None:
        shown = next(
            m
            for m in bridged.standin.chat(bridged.chat)
            if m["message_id"] == question["message_id"]
        )
        return shown if shown["text"] == "Takk for svaret." else None

    shown = bridged.standin.wait_for(thanked, timeout=30, what="the thank-you")
    assert "reply_markup" not in shown
    bridged.standin.wait_for(
        lambda: {first, second} <= set(bridged.standin.callback_answers), what="both answered"
    )
    assert feedback_rows(bridged.stack) == [(True, "trygghetsalarm", "cost", "nb")]


def test_a_button_from_before_a_restart_is_answered_not_sent(
    standin: TelegramStandIn, real_api: RealApi, stack: Stack, tmp_path: Path
) -> None:
    """Buttons' data live in the bridge's memory: after a restart the person is told."""
    chat = new_chat()
    real_api.switch.off = False
    question = "bestefar er ensom og sitter mye inne"
    with run_bridge(standin, real_api.url, stack.token("telegram"), tmp_path / "before"):
        standin.send_text(chat, question)
        offer = standin.wait_for(
            lambda: next((m for m in standin.bot_messages(chat) if buttons_of(m)), None),
            timeout=90,
            what="an answer with buttons",
        )
    with run_bridge(standin, real_api.url, stack.token("telegram"), tmp_path / "after"):
        button = buttons_of(offer)[0]
        query = standin.press(chat, offer["message_id"], button["callback_data"])
        answer = standin.wait_for(lambda: standin.callback_answers.get(query), what="the answer")
    assert answer["text"] == texts.BUTTON_EXPIRED
    assert real_api.switch.reached_from(chat) == [question]
    shown = next(m for m in standin.chat(chat) if m["message_id"] == offer["message_id"])
    assert shown["reply_markup"] == offer["reply_markup"]  # not marked as chosen


def test_while_the_assistant_is_down_messages_are_kept_and_sent_in_order(
    bridged: Bridged,
) -> None:
    questions = ["hva betyr trygghetsalarm", "og hjemmesykepleie?", "hva er et seniorsenter"]
    bridged.switch.off = True  # the API answers 503: Rasa is unreachable
    bridged.say(questions[0])
    told = last_text(bridged.wait(1))
    assert told.startswith(OUTAGE)
    assert f"ring Oslo kommune på {switchboard_phone(bridged.api.url)}" in told
    assert "113" in told
    bridged.say(questions[1])
    assert last_text(bridged.wait(2)) == texts.STILL_UNAVAILABLE
    bridged.say(questions[2])
    # Retried four times meanwhile (each try reaches the API): said once, not at every try.
    tried = len(bridged.switch.turned_away_from(bridged.chat))
    bridged.standin.wait_for(
        lambda: len(bridged.switch.turned_away_from(bridged.chat)) >= tried + 4, what="4 retries"
    )
    assert set(bridged.switch.turned_away_from(bridged.chat)) == {questions[0]}  # first first
    assert len(bridged.sent()) == 2
    bridged.switch.off = False
    bridged.wait_until_rasa_has(questions)
    # A later message answered shows the queue moved on: nothing was sent twice before it.
    bridged.say("takk")
    bridged.wait_until_rasa_has([*questions, "takk"])
    later = [m["text"] for m in bridged.sent()[2:]]
    assert later[0].startswith("Trygghetsalarm:")  # the answers come in the same order


def alerts_sent(standin: TelegramStandIn, chat: int) -> list[str]:
    """The texts sent to `chat` in bold as HTML: the bridge's 113 alerts."""
    return [
        str(call.params["text"])
        for call in standin.calls_to("sendMessage")
        if call.params.get("chat_id") in (chat, str(chat))
        and call.params.get("parse_mode") == "HTML"
    ]


EMERGENCY = "mor har falt på badet og puster ikke"
OUTAGE = "Assistenten svarer ikke akkurat nå."
PLAIN_422 = "docs/chat-api.md: too long text gets a 422 whose detail the person can read"
BOLD_113 = f"<b>{SAFETY_TEXTS['emergency']['nb']}</b>"


def test_an_emergency_reply_is_sent_on_its_own_in_bold(bridged: Bridged) -> None:
    bridged.say(EMERGENCY)
    bridged.wait_until_rasa_has([EMERGENCY])
    bridged.standin.wait_for(lambda: alerts_sent(bridged.standin, bridged.chat), what="an alert")
    assert alerts_sent(bridged.standin, bridged.chat) == [BOLD_113]


def test_while_the_assistant_is_down_an_emergency_still_gets_113_first(
    bridged: Bridged,
) -> None:
    """The gateway answers an emergency itself while Rasa is away; the bridge says 113 once."""
    bridged.switch.off = True
    bridged.say(EMERGENCY)
    bridged.standin.wait_for(
        lambda: any(m["text"].startswith(OUTAGE) for m in bridged.sent()), what="the outage told"
    )
    assert bridged.sent()[0]["text"] == BOLD_113  # 113 first
    bridged.say("hva betyr trygghetsalarm")
    bridged.standin.wait_for(
        lambda: "hva betyr trygghetsalarm" in bridged.switch.turned_away_from(bridged.chat),
        what="the calm one tried",
    )
    assert alerts_sent(bridged.standin, bridged.chat) == [BOLD_113]  # once; the calm one: none
    bridged.switch.off = False
    bridged.wait_until_rasa_has(["hva betyr trygghetsalarm"])  # kept and sent once Rasa is back
    assert alerts_sent(bridged.standin, bridged.chat) == [BOLD_113]


def test_an_emergency_queued_behind_another_message_gets_113_during_an_outage(
    bridged: Bridged,
) -> None:
    bridged.switch.off = True
    bridged.say("hei")
    bridged.say("pappa har falt og puster ikke")
    bridged.standin.wait_for(lambda: alerts_sent(bridged.standin, bridged.chat), what="a 113 alert")
    assert alerts_sent(bridged.standin, bridged.chat) == [BOLD_113]
    assert bridged.reached_rasa() == []


def test_a_too_long_emergency_still_gets_113_before_the_explanation(bridged: Bridged) -> None:
    bridged.say("Mor puster ikke og er helt blå! " + "Hun er 84 år og bor alene. " * 90)
    messages = bridged.wait(2)
    assert messages[0]["text"] == BOLD_113
    assert "for lang" in messages[1]["text"], PLAIN_422
    assert bridged.api.posts_to(bridged.conversation) == [422]


def test_a_message_the_api_refuses_is_explained_not_retried(bridged: Bridged) -> None:
    too_long = "x" * 2500
    bridged.say(too_long)
    assert "for lang" in last_text(bridged.wait(1)), PLAIN_422
    bridged.say("hva betyr trygghetsalarm")  # taken in order: once answered, past the long one
    bridged.wait_until_rasa_has(["hva betyr trygghetsalarm"])

    def answered() -> list[int] | None:
        # Rasa has the message while the gateway's answer is still on its way to the bridge.
        posts = bridged.api.posts_to(bridged.conversation)
        return posts if posts[-1:] == [200] else None

    assert bridged.standin.wait_for(answered, what="the second message answered") == [422, 200]


def open_ticket_with_reply(
    api_url: str, stack: Stack, staff_username: str, conversation: str, reply: str
) -> int:
    """A Telegram handoff to Østensjø, answered by its staff member; the ticket's id."""
    opened = httpx.post(
        f"{api_url}/api/tickets",
        headers={
            "Authorization": f"Bearer {stack.token('assistant')}",
            "Idempotency-Key": uuid.uuid4().hex,
        },
        json={
            "district": "ostensjo",
            "for_whom": "relative",
            "senior_agrees": "yes",
            "service": "trygghetsalarm",
            "contact_method": "chat",
            "consent": {"text": "Ja, send det videre.", "given_at": "2026-11-23T10:00:00Z"},
            "channel": "telegram",
            "conversation_id": conversation,
            "transcript": [{"sender": "person", "text": "Mor trenger trygghetsalarm."}],
        },
        timeout=10,
    )
    assert opened.status_code == 201, opened.text
    staff = staff_headers(api_url, staff_username)
    queue = httpx.get(f"{api_url}/api/staff/tickets", headers=staff, timeout=10).json()
    ticket = next(t for t in queue["items"] if t["reference"] == opened.json()["reference"])
    answered = httpx.post(
        f"{api_url}/api/staff/tickets/{ticket['id']}/replies",
        headers=staff,
        json={"text": reply},
        timeout=10,
    )
    assert answered.status_code == 200, answered.text
    return int(ticket["id"])


def staff_headers(api_url: str, username: str) -> dict[str, str]:
    login = httpx.post(
        f"{api_url}/api/auth/token",
        data={"username": username, "password": STAFF_PASSWORD},
        timeout=10,
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def telegram_outbox(api_url: str, stack: Stack) -> list[str]:
    """The conversations with staff replies still waiting for the bridge."""
    outbox = httpx.get(
        f"{api_url}/api/channels/telegram/outbox",
        headers={"Authorization": f"Bearer {stack.token('telegram')}"},
        timeout=10,
    ).json()
    return [str(m["conversation_id"]) for m in outbox["messages"]]


def test_staff_replies_are_sent_then_marked_delivered(bridged: Bridged, staff: str) -> None:
    bridged.say("/start")
    bridged.wait(1)
    unreachable = f"telegram:{new_chat()}"  # Telegram: "chat not found"; kept, tried again
    open_ticket_with_reply(bridged.api.url, bridged.stack, staff, unreachable, "Hei")
    open_ticket_with_reply(
        bridged.api.url, bridged.stack, staff, bridged.conversation, "Vi ringer deg i morgen."
    )
    assert last_text(bridged.wait(2)) == "Svar fra bydel Østensjø:\n\nVi ringer deg i morgen."
    bridged.standin.wait_for(
        lambda: bridged.conversation not in telegram_outbox(bridged.api.url, bridged.stack),
        what="the reply marked delivered",
    )

    def refused() -> int:
        return sum(c.status == 400 for c in bridged.standin.calls_to("sendMessage"))

    # The unreachable chat tried again proves a later poll of the outbox ran.
    before = refused()  # the poll that delivered ours may still try the other chat: wait for two
    bridged.standin.wait_for(lambda: refused() >= before + 2, what="a later poll")
    assert unreachable in telegram_outbox(bridged.api.url, bridged.stack)
    assert len(bridged.sent()) == 2
    httpx.delete(  # erased, so that no later bridge tries it again
        f"{bridged.api.url}/api/chat/conversations/{unreachable}",
        headers={"Authorization": f"Bearer {bridged.stack.token('telegram')}"},
        timeout=10,
    ).raise_for_status()


def tracker_events(stack: Stack, conversation: str, kind: str | None = None) -> int:
    """Rows in Rasa's tracker store (SQLite) for the conversation, of one kind if given."""
    engine = create_engine(f"sqlite:///{stack.environment['TRACKER_SQLITE_PATH']}")
    query = "SELECT count(*) FROM events WHERE sender_id = :sender"
    if kind:
        query += " AND type_name = :kind"
    try:
        with engine.connect() as connection:
            count = connection.execute(
                text(query), {"sender": conversation, "kind": kind}
            ).scalar_one()
    finally:
        engine.dispose()
    return int(count)


def test_erase_asks_first(bridged: Bridged) -> None:
    bridged.say("hva betyr trygghetsalarm")
    bridged.wait_until_rasa_has(["hva betyr trygghetsalarm"])
    assert tracker_events(bridged.stack, bridged.conversation) > 0
    bridged.say("/slett")
    question = bridged.standin.wait_for(
        lambda: next((m for m in bridged.sent() if m["text"] == texts.ERASE_QUESTION), None),
        what="the question",
    )
    assert [b["text"] for b in buttons_of(question)] == [texts.ERASE_YES, texts.ERASE_NO]
    bridged.standin.press(bridged.chat, question["message_id"], data_of(question, texts.ERASE_NO))
    bridged.standin.wait_for(lambda: last_text(bridged.sent()) == texts.ERASE_KEPT, what="kept")
    assert tracker_events(bridged.stack, bridged.conversation) > 0
    bridged.say("/slett")
    question = bridged.standin.wait_for(
        lambda: next(
            (
                m
                for m in bridged.sent()
                if m["text"] == texts.ERASE_QUESTION and m["message_id"] != question["message_id"]
            ),
            None,
        ),
        what="the question again",
    )
    bridged.standin.press(bridged.chat, question["message_id"], data_of(question, texts.ERASE_YES))
    bridged.standin.wait_for(lambda: last_text(bridged.sent()) == texts.ERASE_DONE, what="done")
    assert tracker_events(bridged.stack, bridged.conversation) == 0
    assert "reply_markup" not in bridged.sent()[-1]


def test_webhook_mode(
    standin: TelegramStandIn, real_api: RealApi, stack: Stack, tmp_path: Path
) -> None:
    port = free_port()
    chat = new_chat()
    webhook = f"http://127.0.0.1:{port}/telegram/hook"
    settings = {
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": webhook,
        "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_WEBHOOK_SECRET": "s3cret-for-tests",
    }
    with run_bridge(standin, real_api.url, stack.token("telegram"), tmp_path, **settings):
        standin.wait_for(lambda: standin.webhook.get("url") == webhook, what="setWebhook")
        assert standin.webhook["secret_token"] == "s3cret-for-tests"
        standin.send_text(chat, "hva betyr trygghetsalarm")  # posted to the bridge's listener
        answer = str(standin.wait_for_bot_messages(chat, 1, timeout=90)[0]["text"])
        assert answer.startswith("Trygghetsalarm:")
        assert real_api.switch.reached_from(chat) == ["hva betyr trygghetsalarm"]
        forged = httpx.post(webhook, json={"update_id": 1}, headers={}, timeout=10)
        assert forged.status_code == 403
    assert not standin.calls_to("getUpdates")


# --- end to end: the real API, action server and Rasa -----------------------------------


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole stack (API, outbox worker, actions, Rasa) over SQLite.

    On SQLite only: the bridge never touches the database, and a stack costs a minute.
    """
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make model` first")
    with running_assistant(tmp_path_factory.mktemp("telegram-stack")) as running:
        yield running


def make_staff(database_url: str) -> str:
    """A staff member in Østensjø; their username."""
    username = f"ostensjo-{uuid.uuid4().hex[:8]}"
    with transaction(database_url) as session:
        create_staff(session, username, STAFF_PASSWORD, "ostensjo", Role.STAFF, "Kari")
    return username


@pytest.fixture(scope="module")
def staff(stack: Stack) -> str:
    return make_staff(stack.environment["DATABASE_URL"])


@dataclass
class Live:
    stack: Stack
    standin: TelegramStandIn
    staff_username: str

    @property
    def api_url(self) -> str:
        return self.stack.api_url

    def bridge_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.stack.token('telegram')}"}


@pytest.fixture(scope="module")
def live(stack: Stack, staff: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The stack's own API process, the stand-in, and the bridge, for the module."""
    logs = tmp_path_factory.mktemp("telegram-live")
    with TelegramStandIn().running() as standin:
        try:
            with run_bridge(standin, stack.api_url, stack.token("telegram"), logs / "bridge"):
                yield Live(stack, standin, staff)
        finally:
            chats = {chat: standin.chat(chat) for chat in standin.chat_ids()}
            (logs / "telegram-chats.json").write_text(
                json.dumps(chats, ensure_ascii=False, indent=1), encoding="utf-8"
            )


def test_start_and_help(live: Live) -> None:
    chat = new_chat()
    live.standin.send_text(chat, "/start")
    greeting = last_text(live.standin.wait_for_bot_messages(chat, 1))
    assert greeting.startswith("Hei!")
    assert "fødselsnummer" in greeting
    assert "/slett" in greeting
    assert "bydelen" in greeting
    live.standin.send_text(chat, "/hjelp")
    help_text = last_text(live.standin.wait_for_bot_messages(chat, 2))
    assert all(command in help_text for command in ("/start", "/hjelp", "/slett"))
    assert [c["command"] for c in live.standin.commands] == ["start", "hjelp", "slett"]


def test_question_answer_buttons_and_next_answer(live: Live) -> None:
    chat = new_chat()
    live.standin.send_text(chat, "bestefar er ensom og sitter mye inne")
    offer = live.standin.wait_for(
        lambda: next((m for m in live.standin.bot_messages(chat) if buttons_of(m)), None),
        what="an answer with buttons",
    )
    # The offer may follow a 113 line of its own: the detector's fail-safe when unsure.
    assert "Seniorsenter" in offer["text"]
    buttons = buttons_of(offer)
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    chosen = buttons[0]
    before = len(live.standin.bot_messages(chat))
    live.standin.press(chat, offer["message_id"], chosen["callback_data"])
    following = live.standin.wait_for_bot_messages(chat, before + 1)[before:]
    assert following
    edited = next(m for m in live.standin.chat(chat) if m["message_id"] == offer["message_id"])
    assert edited["text"].endswith(f"Du valgte: {chosen['text']}")
    # The next answer is about what was chosen.
    answer = "\n".join(m["text"] for m in live.standin.bot_messages(chat)[before:])
    assert chosen["text"].split()[0].lower() in answer.lower()


def test_erase_with_confirmation(live: Live) -> None:
    chat = new_chat()
    conversation = f"telegram:{chat}"
    live.standin.send_text(chat, "hva koster trygghetsalarm")
    live.standin.wait_for_bot_messages(chat, 1)
    assert tracker_events(live.stack, conversation) > 0
    live.standin.send_text(chat, "/slett")
    question = live.standin.wait_for(
        lambda: next(
            (m for m in live.standin.bot_messages(chat) if m["text"] == texts.ERASE_QUESTION),
            None,
        ),
        what="the question",
    )
    live.standin.press(chat, question["message_id"], data_of(question, texts.ERASE_YES))
    live.standin.wait_for(
        lambda: live.standin.bot_messages(chat)[-1]["text"] == texts.ERASE_DONE, what="erased"
    )
    assert tracker_events(live.stack, conversation) == 0
    staff = httpx.get(
        f"{live.api_url}/api/chat/conversations/{conversation}/messages",
        headers=live.bridge_headers(),
        timeout=10,
    )
    assert staff.status_code == 200
    assert staff.json()["messages"] == []


def headed(text: str, service: str) -> bool:
    """An answer about the service: its name stands in the heading, before the first colon."""
    return service in text.partition(":")[0]


def test_api_down_then_back(live: Live) -> None:
    """Connection refused: the person is told whom to call; nothing lost, nothing twice."""
    switchboard = switchboard_phone(live.api_url)
    chat = new_chat()
    conversation = f"telegram:{chat}"
    live.standin.send_text(chat, "/start")
    live.standin.wait_for_bot_messages(chat, 1)
    live.stack.stop("api")
    try:
        live.standin.send_text(chat, "hva koster trygghetsalarm")
        told = last_text(live.standin.wait_for_bot_messages(chat, 2))
        assert told.startswith("Assistenten svarer ikke akkurat nå.")
        assert f"ring Oslo kommune på {switchboard}" in told
        assert "ring 113" in told
        live.standin.send_text(chat, "og hjemmesykepleie?")
        assert last_text(live.standin.wait_for_bot_messages(chat, 3)) == texts.STILL_UNAVAILABLE
        # Each try starts with "typing…": a third one means two retries met the closed port.
        tried = typing_shown(live.standin, chat)
        live.standin.wait_for(lambda: typing_shown(live.standin, chat) >= tried + 3, what="retries")
        assert len(live.standin.bot_messages(chat)) == 3
    finally:
        live.stack.start_api()

    def answered() -> list[str] | None:
        later = [m["text"] for m in live.standin.bot_messages(chat)[3:]]
        return later if any(headed(t, "Hjemmesykepleie") for t in later) else None

    later = live.standin.wait_for(answered, timeout=60, what="both kept messages answered")
    assert headed(later[0], "Trygghetsalarm")  # in the order they were written
    # A later question answered shows the queue moved on: any resend would have come first.
    live.standin.send_text(chat, "hva er et seniorsenter")

    def moved_on() -> list[str] | None:
        later = [m["text"] for m in live.standin.bot_messages(chat)[3:]]
        return later if any("Seniorsenter" in t for t in later) else None

    later = live.standin.wait_for(moved_on, timeout=60, what="the later question answered")
    assert sum(headed(t, "Trygghetsalarm") for t in later) == 1
    assert sum(headed(t, "Hjemmesykepleie") for t in later) == 1
    assert tracker_events(live.stack, conversation, "user") == 3  # each reached Rasa once


def test_staff_reply_reaches_the_chat_and_the_assistant_then_keeps_quiet(live: Live) -> None:
    chat = new_chat()
    conversation = f"telegram:{chat}"
    live.standin.send_text(chat, "/start")
    live.standin.wait_for_bot_messages(chat, 1)
    words = "Hei, jeg heter Kari. Jeg ringer deg i morgen formiddag."
    ticket = open_ticket_with_reply(
        live.api_url, live.stack, live.staff_username, conversation, words
    )
    staff = staff_headers(live.api_url, live.staff_username)

    delivered = last_text(live.standin.wait_for_bot_messages(chat, 2))
    assert delivered == f"Svar fra bydel Østensjø:\n\n{words}"
    assert conversation not in telegram_outbox(live.api_url, live.stack)

    # Staff hold the conversation now: the person's answers go to them, the bot stays quiet.
    def reached_staff(words: str) -> bool:
        detail = httpx.get(
            f"{live.api_url}/api/staff/tickets/{ticket}", headers=staff, timeout=10
        ).json()
        return any(m["text"] == words for m in detail["messages"])

    live.standin.send_text(chat, "Takk, det passer fint.")
    live.standin.wait_for(lambda: reached_staff("Takk, det passer fint."), what="the answer")
    # The chat's next message reaching staff means the bridge is done with the first one.
    live.standin.send_text(chat, "Ha en fin dag.")
    live.standin.wait_for(lambda: reached_staff("Ha en fin dag."), what="the next one")
    assert len(live.standin.bot_messages(chat)) == 2
