"""The Telegram bridge: relatives chat with the assistant through our API's chat gateway.

Each Telegram chat is the conversation `telegram:<chat_id>`. Update handlers only queue the
person's text and return; one worker task a chat sends the queue to the API in order. When the
API or the assistant is down the message stays queued, the person is told once who to call
meanwhile, and a JobQueue job retries with backoff until the assistant answers. Staff replies
from a handoff come from the API's Telegram outbox, polled by a repeating job.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import random
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    InvalidCallbackData,
    Job,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.telegram import gateway as api
from bot.telegram import keyboards, texts
from bot.telegram.phones import tappable_numbers, with_links
from bot.telegram.settings import TelegramSettings
from core.buttons import Button
from core.language import detect_language
from core.privacy import mask_national_ids
from core.safety.detector import is_button_payload, load_detector
from core.safety.messages import safety_text

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
App = Application[
    ExtBot[int], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Only one-to-one chats: health questions about a parent don't belong in a group.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
CONTACTS_MAX_AGE = 3600.0
CONTACTS_RETRY = 60.0
Pressed = TypeVar("Pressed")  # what a kind of inline button carries as its callback data


class Health:
    """Logs an outage once when it starts and once when it ends, not at every retry."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.up = True

    def ok(self) -> None:
        if not self.up:
            log.warning("%s answers again", self.what)
        self.up = True

    def failed(self, why: object) -> None:
        if self.up:
            log.warning("%s does not answer (%s); will retry", self.what, why)
        self.up = False


@dataclass
class ChatState:
    """One chat's messages on their way to the assistant, oldest first."""

    pending: deque[str] = field(default_factory=deque)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    worker: asyncio.Task[None] | None = None
    retry: Job[Context] | None = None
    failures: int = 0
    told_unavailable: bool = False
    told_kept: bool = False
    alerted: set[str] = field(default_factory=set)  # queued texts already answered with 113

    @property
    def waiting(self) -> bool:
        """The assistant was down; a retry job will pick the queue up again."""
        return self.retry is not None


def replying(
    text: str, keyboard: Callable[[], InlineKeyboardMarkup] | None = None
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """A handler that answers every update it gets with `text` (and a fresh `keyboard`)."""

    async def reply(update: Update, _context: Context) -> None:
        if update.effective_message:
            markup = keyboard() if keyboard is not None else None
            await update.effective_message.reply_text(text, reply_markup=markup)

    return reply


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Telegram takes at most 4096 characters a message: cut at paragraphs, then lines."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


class Bridge:
    """The handlers and jobs, with the state they share."""

    def __init__(self, settings: TelegramSettings, gateway: api.Gateway) -> None:
        self.settings = settings
        self.gateway = gateway
        # Its own emergency check, for when the assistant cannot answer; read at start.
        self.detector = load_detector()
        self.chats: dict[int, ChatState] = {}
        self.switchboard: str | None = None
        self._switchboard_read_at = -CONTACTS_MAX_AGE
        self.assistant_health = Health("the chat gateway")
        self.outbox_health = Health("the Telegram outbox")
        # Staff messages Telegram refused, logged once each (retried at every poll).
        self._refused: set[int] = set()
        # Staff messages sent to Telegram whose "delivered" mark has not reached the API yet:
        # mark them again, don't send them twice.
        self._sent_unmarked: set[int] = set()
        # Messages whose buttons were already pressed (a fast double tap sends two callbacks).
        self._pressed: OrderedDict[tuple[int, int], None] = OrderedDict()
        self._application: App | None = None

    @property
    def application(self) -> App:
        if self._application is None:
            raise RuntimeError("the bridge is not installed in an application")
        return self._application

    def install(self, application: App) -> None:
        self._application = application
        application.add_handler(CommandHandler("start", replying(texts.START), filters=PRIVATE))
        application.add_handler(
            CommandHandler(["hjelp", "help"], replying(texts.HELP), filters=PRIVATE)
        )
        erase = replying(texts.ERASE_QUESTION, keyboards.erase_keyboard)
        application.add_handler(CommandHandler("slett", erase, filters=PRIVATE))
        application.add_handler(CallbackQueryHandler(self.on_erase_answer, pattern=r"^slett:"))
        application.add_handler(CallbackQueryHandler(self.on_button, pattern=Button))
        application.add_handler(
            CallbackQueryHandler(self.on_feedback, pattern=keyboards.FeedbackAnswer)
        )
        application.add_handler(
            CallbackQueryHandler(self.on_expired_button, pattern=InvalidCallbackData)
        )
        application.add_handler(
            MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, self.on_text)
        )
        application.add_handler(
            MessageHandler(PRIVATE & filters.COMMAND, replying(texts.UNKNOWN_COMMAND))
        )
        application.add_handler(MessageHandler(PRIVATE & ~filters.TEXT, replying(texts.ONLY_TEXT)))
        application.add_error_handler(self.on_error)
        if application.job_queue is None:
            raise RuntimeError('the JobQueue needs "python-telegram-bot[job-queue]"')
        application.job_queue.run_repeating(
            self.poll_outbox,
            interval=self.settings.telegram_outbox_poll_seconds,
            first=1.0,
            name="outbox",
        )

    # --- start-up and shutdown ----------------------------------------------------------

    async def post_init(self, application: App) -> None:
        try:
            await application.bot.set_my_commands(texts.COMMANDS)
        except TelegramError as error:  # the menu is a nicety: serve without it
            log.warning("could not register the commands with Telegram: %s", error)
        await self.refresh_switchboard()

    async def post_shutdown(self, _application: App) -> None:
        waiting = [state for state in self.chats.values() if state.pending]
        if waiting:
            # Kept in memory only: say plainly what a restart during an outage costs.
            log.warning(
                "stopping with %d message(s) from %d chat(s) not yet answered; they are lost",
                sum(len(state.pending) for state in waiting),
                len(waiting),
            )
        await self.gateway.aclose()

    async def refresh_switchboard(self, force: bool = False) -> None:
        """Read the switchboard's number while the API is up: needed when it is not."""
        now = time.monotonic()
        if not force and now - self._switchboard_read_at < CONTACTS_MAX_AGE:
            return
        try:
            number = await self.gateway.switchboard()
        except (api.UnavailableError, api.RejectedError, ValueError) as error:
            log.info("contacts not read (%s); will try again", error)
            self._switchboard_read_at = now - CONTACTS_MAX_AGE + CONTACTS_RETRY
            return
        self._switchboard_read_at = now
        if number:
            self.switchboard = number

    # --- commands -----------------------------------------------------------------------

    async def on_erase_answer(self, update: Update, _context: Context) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None:
            return
        await query.answer()
        if query.data != keyboards.ERASE_CONFIRM:
            await self._edit(query.message, texts.ERASE_KEPT)
            return
        # The DELETE may wait for a turn in progress: don't hold up other chats' updates.
        self.application.create_task(self._erase(chat.id, query.message), name=f"erase-{chat.id}")

    async def _erase(self, chat_id: int, question: object) -> None:
        state = self.chats.setdefault(chat_id, ChatState())
        async with state.lock:
            # What is still queued is the person's too: it goes with the rest.
            state.pending.clear()
            self._stop_retry(state)
            state.failures = 0
            state.told_unavailable = state.told_kept = False
            try:
                await self.gateway.erase(chat_id)
            except (api.UnavailableError, api.RejectedError) as error:
                log.warning("erasing a conversation failed: %s", error)
                await self._edit(question, texts.ERASE_FAILED)
                return
        self._forget(chat_id, state)
        log.info("a Telegram conversation was erased")
        await self._edit(question, texts.ERASE_DONE)

    # --- the person's messages ----------------------------------------------------------

    async def on_text(self, update: Update, _context: Context) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        state = self.enqueue(message.chat_id, message.text)
        if state.waiting:
            await self._alert_if_emergency(message.chat_id, state, state.pending[-1])
        if state.waiting and state.told_unavailable and not state.told_kept:
            state.told_kept = True  # once an outage: the person knows; no echo every time
            await self._say(message.chat_id, texts.STILL_UNAVAILABLE)

    async def on_button(self, update: Update, _context: Context) -> None:
        press = await self._press(update, Button)
        if press is None:
            return
        chat_id, button, shown = press
        if shown is not None and shown.text:
            await self._edit(shown, f"{shown.text}\n\n{texts.CHOSEN.format(title=button.title)}")
        self.enqueue(chat_id, button.payload)

    async def on_feedback(self, update: Update, _context: Context) -> None:
        """Ja or Nei to "Var dette til hjelp?": counted once, then thanked for."""
        press = await self._press(update, keyboards.FeedbackAnswer)
        if press is None:
            return
        chat_id, answer, shown = press
        try:
            await self.gateway.feedback(chat_id, answer.topic, answer.helpful)
        except (api.UnavailableError, api.RejectedError) as error:
            log.info("feedback not recorded: %s", error)
            if shown is not None:  # not counted: the person may press again
                self._pressed.pop((chat_id, shown.message_id), None)
            return
        await self._edit(shown, texts.feedback_texts(answer.topic.language).thanks)

    async def _press(
        self, update: Update, kind: type[Pressed]
    ) -> tuple[int, Pressed, Message | None] | None:
        """The chat, the button's data and the message under which it was pressed, once.

        The press is answered. None when the data is not a `kind`, and for a second press on
        the buttons under the same message (a fast double tap sends two callbacks).
        """
        query = update.callback_query
        chat = update.effective_chat
        # PTB's arbitrary callback data: `data` is the button shown, not the id Telegram had.
        if query is None or chat is None or not isinstance(query.data, kind):
            return None
        data = query.data
        shown = query.message if isinstance(query.message, Message) else None
        await query.answer()
        if shown is not None:
            key = (chat.id, shown.message_id)
            if key in self._pressed:
                return None
            self._pressed[key] = None
            while len(self._pressed) > 1000:
                self._pressed.popitem(last=False)
        return chat.id, data, shown

    async def on_expired_button(self, update: Update, _context: Context) -> None:
        """A button PTB no longer knows (shown before a restart, or long ago): say so."""
        if update.callback_query:
            await update.callback_query.answer(texts.BUTTON_EXPIRED)

    def enqueue(self, chat_id: int, text: str) -> ChatState:
        """Queue `text` for the assistant; start the chat's worker unless a retry is due."""
        state = self.chats.setdefault(chat_id, ChatState())
        state.pending.append(mask_national_ids(text))  # nothing kept or logged unmasked
        if not state.waiting:
            self._start_worker(chat_id, state)
        return state

    def _start_worker(self, chat_id: int, state: ChatState) -> None:
        if state.worker is None or state.worker.done():
            state.worker = self.application.create_task(
                self._drain(chat_id, state), name=f"chat-{chat_id}"
            )

    async def _drain(self, chat_id: int, state: ChatState) -> None:
        """Send the chat's queue to the assistant, in order, until it is empty or down."""
        while True:
            async with state.lock:
                if not state.pending or state.waiting:
                    break
                text = state.pending[0]
                await self._typing(chat_id)
                try:
                    reply = await self.gateway.send(chat_id, text)
                except api.UnavailableError as error:
                    self.assistant_health.failed(error)
                    for waiting in list(state.pending):  # all of them wait: check all
                        await self._alert_if_emergency(chat_id, state, waiting)
                    await self._wait_and_retry(chat_id, state)
                    return
                except api.RejectedError as error:
                    # Too long or empty: say why; retrying would not help. 113 first, though.
                    await self._alert_if_emergency(chat_id, state, text)
                    state.alerted.discard(state.pending.popleft())
                    await self._say(chat_id, error.detail)
                    continue
                except Exception:
                    log.exception("a message could not be sent to the API")
                    await self._wait_and_retry(chat_id, state)
                    return
                state.alerted.discard(state.pending.popleft())
                state.failures = 0
                state.told_unavailable = state.told_kept = False
                self.assistant_health.ok()
                # While staff hold the chat the assistant is quiet: only notices come back.
                for message in reply.messages:
                    await self._show(chat_id, message)
        self._forget(chat_id, state)

    async def _alert_if_emergency(self, chat_id: int, state: ChatState, text: str) -> None:
        """The assistant is down: a message that may be an emergency still gets 113 at once."""
        if is_button_payload(text) or text in state.alerted:
            return
        assessment = await asyncio.to_thread(self.detector.assess, text)
        if assessment.level == "calm":
            return
        state.alerted.add(text)
        await self._say_alert(chat_id, safety_text("emergency", detect_language(text)))

    async def _wait_and_retry(self, chat_id: int, state: ChatState) -> None:
        state.failures += 1
        delay = min(
            self.settings.telegram_retry_initial_seconds * 2 ** (state.failures - 1),
            self.settings.telegram_retry_max_seconds,
        )
        delay *= random.uniform(1.0, 1.2)  # chats that failed together don't return together
        job_queue = self.application.job_queue
        assert job_queue is not None
        state.retry = job_queue.run_once(
            self.retry_chat, delay, chat_id=chat_id, name=f"retry-{chat_id}"
        )
        if not state.told_unavailable:
            state.told_unavailable = True
            await self._say(chat_id, texts.unavailable(self.switchboard))

    async def retry_chat(self, context: Context) -> None:
        job = context.job
        if job is None or job.chat_id is None:
            return
        state = self.chats.get(job.chat_id)
        if state is None or state.retry is not job:
            return
        state.retry = None
        self._start_worker(job.chat_id, state)

    @staticmethod
    def _stop_retry(state: ChatState) -> None:
        if state.retry is not None:
            state.retry.schedule_removal()
            state.retry = None

    def _forget(self, chat_id: int, state: ChatState) -> None:
        """Drop an idle chat's state so that the map does not grow with every chat ever seen."""
        idle = not state.pending and not state.waiting and not state.lock.locked()
        if idle and self.chats.get(chat_id) is state:
            del self.chats[chat_id]

    # --- staff replies ------------------------------------------------------------------

    async def poll_outbox(self, _context: Context) -> None:
        try:
            messages = await self.gateway.outbox()
        except (api.UnavailableError, api.RejectedError, ValueError) as error:
            self.outbox_health.failed(error)
            return
        self.outbox_health.ok()
        await self.refresh_switchboard()
        failed: set[int] = set()
        for message in messages:
            chat_id = api.chat_id_of(message.conversation_id)
            if chat_id is None or message.id is None:
                log.warning("outbox message %s is not for a Telegram chat", message.id)
                continue
            if chat_id in failed:  # keep a chat's staff messages in order
                continue
            if message.id not in self._sent_unmarked:
                if message.sender == "notice":  # the case's status: it names the district
                    text = message.text
                else:
                    name = await self.gateway.district_name(message.district)
                    who = f"bydel {name}" if name else texts.STAFF_DISTRICT_UNKNOWN
                    text = texts.STAFF_REPLY.format(who=who, text=message.text)
                quiet = message.id in self._refused
                if not await self._say(chat_id, text, quiet=quiet):
                    failed.add(chat_id)  # not marked: the next poll tries again
                    self._refused.add(message.id)
                    continue
                self._refused.discard(message.id)
                self._sent_unmarked.add(message.id)
            try:
                await self.gateway.delivered(message.id)
            except (api.UnavailableError, api.RejectedError) as error:
                log.warning(
                    "outbox message %s sent, not yet marked delivered: %s", message.id, error
                )
                continue
            self._sent_unmarked.discard(message.id)

    # --- talking to Telegram ------------------------------------------------------------

    async def _show(self, chat_id: int, message: api.Message) -> None:
        """One of the assistant's replies, its buttons as an inline keyboard."""
        markup: InlineKeyboardMarkup | None = None
        if message.buttons:
            markup = keyboards.choices_keyboard(message.buttons)
        # Numbers made tappable before splitting: each part must stay within Telegram's limit.
        text = tappable_numbers(message.text.strip()) or (texts.CHOOSE if markup else "")
        if not text:
            return
        if message.alert == "emergency":
            await self._say_alert(chat_id, text)
            return
        parts = split_text(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self._say(chat_id, part, markup if last else None)
        if message.feedback is not None:
            question = texts.feedback_texts(message.feedback.language).question
            await self._say(chat_id, question, keyboards.feedback_keyboard(message.feedback))

    async def _say(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        quiet: bool = False,
    ) -> bool:
        """Send a message; False when Telegram would not take it (logged, not raised)."""
        linked = with_links(text)
        try:
            if linked is None:
                await self.application.bot.send_message(
                    chat_id, tappable_numbers(text), reply_markup=markup
                )
            else:
                await self.application.bot.send_message(
                    chat_id, linked, reply_markup=markup, parse_mode=ParseMode.HTML
                )
        except TelegramError as error:
            level = logging.DEBUG if quiet else logging.WARNING
            if isinstance(error, Forbidden):
                level = logging.DEBUG if quiet else logging.INFO  # the person blocked the bot
            log.log(level, "sending to Telegram failed: %s", error)
            return False
        return True

    async def _say_alert(self, chat_id: int, text: str) -> None:
        """A 113 message: on its own, in bold."""
        try:
            await self.application.bot.send_message(
                chat_id,
                f"<b>{html.escape(tappable_numbers(text))}</b>",
                parse_mode=ParseMode.HTML,
            )
        except TelegramError as error:
            log.warning("sending an emergency reply to Telegram failed: %s", error)

    async def _edit(self, message: object, text: str) -> None:
        """Replace a message's text and drop its keyboard (old messages can't be edited)."""
        if not isinstance(message, Message):
            return
        try:
            await message.edit_text(text, reply_markup=None)
        except BadRequest as error:
            log.info("could not edit a message: %s", error)
        except TelegramError as error:
            log.warning("editing a message failed: %s", error)

    async def _typing(self, chat_id: int) -> None:
        with contextlib.suppress(TelegramError):
            await self.application.bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def on_error(self, _update: object, context: Context) -> None:
        # No update contents in the log: they are people's messages.
        log.error("unhandled error in the Telegram bridge", exc_info=context.error)


def build_application(settings: TelegramSettings, bridge_token: str | None = None) -> App:
    """The PTB application with the bridge installed (not started)."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    token = bridge_token or settings.bridge_token()
    if token is None:
        raise ValueError("no bridge token for the API")
    gateway = api.Gateway(
        settings.seniorveiviser_api_url, token, timeout=settings.telegram_api_timeout_seconds
    )
    bridge = Bridge(settings, gateway)
    application: App = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .rate_limiter(AIORateLimiter(max_retries=settings.telegram_rate_limit_retries))
        .arbitrary_callback_data(keyboards.CALLBACK_CACHE_SIZE)
        .post_init(bridge.post_init)
        .post_shutdown(bridge.post_shutdown)
        .build()
    )
    bridge.install(application)
    return application


def run(settings: TelegramSettings) -> None:
    """Serve until stopped (SIGINT/SIGTERM): long polling or a webhook, as configured."""
    application = build_application(settings)
    if settings.telegram_mode == "webhook":
        secret = (
            settings.telegram_webhook_secret.get_secret_value()
            if settings.telegram_webhook_secret
            else secrets.token_urlsafe(32)
        )
        application.run_webhook(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            url_path=settings.webhook_path(),
            webhook_url=settings.telegram_webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=-1,  # Telegram unreachable at start: keep trying, don't exit
        )
    else:
        application.run_polling(
            allowed_updates=ALLOWED_UPDATES,
            timeout=settings.telegram_poll_timeout_seconds,
            bootstrap_retries=-1,
        )
