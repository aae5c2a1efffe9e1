"""Inline keyboards; a button's data is an object, kept by PTB's arbitrary callback data.

Telegram allows at most 64 bytes of `callback_data`; the assistant's payloads (intents with
entities in JSON) can be longer. With `arbitrary_callback_data` PTB sends Telegram a short id
for each button and keeps the object in a bounded in-memory cache (no persistence here). After
a restart, or once a keyboard is among the least recently used past `CALLBACK_CACHE_SIZE`, its
buttons come back as `InvalidCallbackData`: the person is asked to write the question again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import texts
from bot.telegram.gateway import Feedback
from core.buttons import Button

ERASE_CONFIRM = "slett:ja"
ERASE_CANCEL = "slett:nei"
CALLBACK_CACHE_SIZE = 10_000  # keyboards, each with one or more buttons (PTB's default: 1024)


def choices_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup:
    """One button a row: titles are service names, often too long to share a row."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.title, callback_data=b)] for b in buttons])


@dataclass(frozen=True)
class FeedbackAnswer:
    """A press of Ja or Nei under "Var dette til hjelp?"."""

    topic: Feedback
    helpful: bool


def feedback_keyboard(topic: Feedback) -> InlineKeyboardMarkup:
    words = texts.feedback_texts(topic.language)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(words.yes, callback_data=FeedbackAnswer(topic, True)),
                InlineKeyboardButton(words.no, callback_data=FeedbackAnswer(topic, False)),
            ]
        ]
    )


def erase_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.ERASE_YES, callback_data=ERASE_CONFIRM),
                InlineKeyboardButton(texts.ERASE_NO, callback_data=ERASE_CANCEL),
            ]
        ]
    )
