"""The gateway's own emergency check, for the paths where the assistant does not answer.

The assistant checks every message it gets (bot/components/emergency_guard.py). Two paths
never reach it: a conversation district staff hold, and a message sent while the assistant is
down. On both, the gateway scores the message with the same detector and, unless it is calm,
puts the 113 reply first. A reply whose text is one of the 113 sentences is marked
`alert="emergency"`, so every channel can show it as an alert.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Literal

import anyio
import anyio.to_thread

from api.chat.schemas import ChatMessage
from core.language import detect_language
from core.safety.detector import Assessment, load_detector
from core.safety.messages import ALERT_KEYS, SAFETY_TEXTS, safety_text

log = logging.getLogger(__name__)
ALERT_TEXTS = frozenset(text for key in ALERT_KEYS for text in SAFETY_TEXTS[key].values())


def alert_of(text: str) -> Literal["emergency"] | None:
    """`"emergency"` for a reply that tells the person to call 113."""
    return "emergency" if text in ALERT_TEXTS else None


@cache
def _scoring_threads() -> anyio.CapacityLimiter:
    """At most two messages scored at once: a flood must not take the threads staff need."""
    return anyio.CapacityLimiter(2)


async def assess(text: str) -> Assessment:
    """The detector's view of one message (about 20 ms of CPU, off the event loop).

    Fails closed: if the detector itself fails, the message is treated as a possible
    emergency, so the person still gets 113 first.
    """
    try:
        return await anyio.to_thread.run_sync(
            load_detector().assess, text, limiter=_scoring_threads()
        )
    except Exception:
        log.exception("the emergency detector failed; answering as if it might be one")
        return Assessment(1.0, "maybe")


def emergency_reply(conversation_id: str, person_text: str, key: str) -> ChatMessage:
    """The 113 sentence `key`, in the person's language."""
    text = safety_text(key, detect_language(person_text))
    return ChatMessage(
        conversation_id=conversation_id, sender="assistant", text=text, alert=alert_of(text)
    )


def alerts_first(messages: list[ChatMessage]) -> list[ChatMessage]:
    """113 is always the first thing the person reads; the rest keeps its order."""
    return sorted(messages, key=lambda message: message.alert is None)
