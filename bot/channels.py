"""Rasa's REST channel, with national ID numbers masked before Rasa sees or stores them.

The API's chat gateway masks too; this keeps Rasa's tracker store and logs clean even for a
message that reaches Rasa another way. Runs in Rasa's environment.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.rest import RestInput

from core.privacy import mask_national_ids


class MaskedRestInput(RestInput):
    """`/webhooks/rest/webhook`, as before; the text is masked on the way in."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def _extract_message(self, req: Any) -> str | None:
        text = super()._extract_message(req)
        return mask_national_ids(text) if isinstance(text, str) else text
