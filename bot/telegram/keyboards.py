"""Inline keyboards, and the short ids that stand for a button's payload.

Telegram allows at most 64 bytes of `callback_data`; the assistant's payloads (intents with
entities in JSON) can be longer. Each button gets `b:` plus a hash of its title and payload,
and a bounded in-memory map leads back from that id. After a restart old buttons are unknown:
the person is asked to write the question again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import texts

BUTTON_PREFIX = "b:"
ERASE_CONFIRM = "slett:ja"
ERASE_CANCEL = "slett:nei"
MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str


class ButtonStore:
    """The most recently shown `capacity` buttons, by short id (least recently used goes)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._choices: OrderedDict[str, Choice] = OrderedDict()

    def __len__(self) -> int:
        return len(self._choices)

    def remember(self, choice: Choice) -> str:
        """The `callback_data` for `choice` (at most 64 bytes)."""
        digest = hashlib.blake2b(
            f"{choice.title}\x00{choice.payload}".encode(), digest_size=12
        ).hexdigest()
        key = BUTTON_PREFIX + digest
        self._choices[key] = choice
        self._choices.move_to_end(key)
        while len(self._choices) > self.capacity:
            self._choices.popitem(last=False)
        return key

    def recall(self, key: str) -> Choice | None:
        choice = self._choices.get(key)
        if choice is not None:
            self._choices.move_to_end(key)
        return choice


def choices_keyboard(store: ButtonStore, choices: Sequence[Choice]) -> InlineKeyboardMarkup:
    """One button a row: titles are service names, often too long to share a row."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(c.title, callback_data=store.remember(c))] for c in choices]
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
