"""What the person is told about 113: one home for every channel (assistant, gateway, Telegram).

Short sentences, no medical advice. "113" always comes first in the first sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.texts import Texts, text_in

if TYPE_CHECKING:
    from core.language import Language

SAFETY_TEXTS: Texts = {
    "emergency": {
        "nb": "Ring 113 nå hvis det kan være fare for liv. Gjør det før du skriver mer her.",
        "nn": "Ring 113 no viss det kan vere fare for liv. Gjer det før du skriv meir her.",
        "en": "Call 113 now if a life may be in danger. Do it before you write more here.",
    },
    "emergency_urgent": {
        "nb": "Haster det, men er ikke livstruende? Ring legevakten på 116 117.",
        "nn": "Hastar det, men er ikkje livstrugande? Ring legevakta på 116 117.",
        "en": "Urgent but not life-threatening? Call the emergency clinic (legevakt) on 116 117.",
    },
    # Put first when the message might describe an emergency, before the rest of the answer.
    "emergency_maybe": {
        "nb": "Hvis det er fare for liv: ring 113 nå.",
        "nn": "Viss det er fare for liv: ring 113 no.",
        "en": "If a life may be in danger: call 113 now.",
    },
    # While district staff hold the conversation: they read it, but not every minute.
    "emergency_staff_held": {
        "nb": (
            "Ring 113 nå hvis det kan være fare for liv. Bydelen får meldingen din, "
            "men de ser den kanskje ikke med en gang."
        ),
        "nn": (
            "Ring 113 no viss det kan vere fare for liv. Bydelen får meldinga di, "
            "men dei ser ho kanskje ikkje med ein gong."
        ),
        "en": (
            "Call 113 now if a life may be in danger. Your district gets your message, "
            "but they may not see it at once."
        ),
    },
}


# The sentences that tell the person to call 113: channels show them as alerts.
ALERT_KEYS = ("emergency", "emergency_maybe", "emergency_staff_held")


def safety_text(key: str, language: Language) -> str:
    return text_in(SAFETY_TEXTS, key, language)
