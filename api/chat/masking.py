"""National ID masking for the chat gateway, also of a number split across two messages.

For each conversation the gateway remembers the digits its last message ended with (its
"tail", at most 10 digits, never a whole ID), so the next message can complete and mask a
number. The memory is in this process only: a bounded LRU (`CAPACITY` conversations) whose
entries expire after `LIFETIME_SECONDS`. With several API workers it is per worker, so a
split number whose two halves reach different workers is not caught.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from core.privacy import mask_across_messages

CAPACITY = 10_000
LIFETIME_SECONDS = 600.0


class Tails:
    """The last message's trailing digits per conversation, for a limited time and number."""

    def __init__(
        self,
        capacity: int = CAPACITY,
        lifetime_seconds: float = LIFETIME_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.lifetime_seconds = lifetime_seconds
        self.clock = clock
        self._tails: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def take(self, conversation_id: str) -> str:
        """The conversation's tail ("" if none, or too old), forgotten once taken."""
        kept = self._tails.pop(conversation_id, None)
        if kept is None or self.clock() - kept[0] > self.lifetime_seconds:
            return ""
        return kept[1]

    def keep(self, conversation_id: str, tail: str) -> None:
        if not tail:
            return
        self._tails[conversation_id] = (self.clock(), tail)
        while len(self._tails) > self.capacity:
            self._tails.popitem(last=False)

    def __len__(self) -> int:
        return len(self._tails)


# Used from the event loop only (no await in between), so no lock is needed.
_TAILS = Tails()


def mask_message(conversation_id: str, text: str, tails: Tails = _TAILS) -> str:
    """`text` with its national ID numbers masked, including one begun by the last message."""
    masked = mask_across_messages(tails.take(conversation_id), text)
    tails.keep(conversation_id, masked.tail)
    return masked.text
