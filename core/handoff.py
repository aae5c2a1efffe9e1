"""A handoff: what the assistant sends to open a ticket at the person's district.

One model for both ends: the action server builds it (actions/handoff/submit.py) and the API
checks it (`TicketIn`, POST /api/tickets).
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from core.channels import CHANNEL_NAMES, ChannelName
from core.language import Language
from core.privacy import contains_national_id
from core.slugs import Slug
from core.storable import Storable

# Looser than core.channels.CONVERSATION_ID (any channel's name, then 1 to 100 URL-safe
# characters): tickets made with such ids are accepted today, and the OpenAPI says so.
ConversationId = Annotated[
    str,
    StringConstraints(
        max_length=128, pattern=f"^({'|'.join(CHANNEL_NAMES)}):[A-Za-z0-9_-]{{1,100}}$"
    ),
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ]{8,16}$")]


class Priority(StrEnum):
    NORMAL = "normal"
    HIGH = "high"  # the person may be in an emergency: first in the queue


class TranscriptLine(BaseModel):
    sender: Literal["person", "assistant"]
    text: Annotated[str, StringConstraints(max_length=4000), Storable]
    at: datetime | None = None


class TranscriptLineIn(TranscriptLine):
    at: AwareDatetime | None = None  # without a time zone it is a 422, not a guess


class Consent(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000), Storable]
    given_at: AwareDatetime  # without a time zone it is a 422, not a guess


class Handoff(BaseModel):
    """The person's request for district staff, as the assistant took it down, with consent."""

    district: Slug
    for_whom: Literal["self", "relative"]
    senior_agrees: Literal["yes", "no", "unsure"] | None = None
    language: Language = "nb"
    service: Slug | None = None
    need: Slug | None = None
    description: Annotated[str, StringConstraints(max_length=2000), Storable] | None = None
    contact_method: Literal["phone", "chat"]
    contact_phone: Phone | None = None
    consent: Consent
    channel: ChannelName
    conversation_id: ConversationId
    transcript: Annotated[list[TranscriptLineIn], Field(max_length=300)] = []
    priority: Priority = Priority.NORMAL

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.contact_phone and contains_national_id(self.contact_phone):
            raise ValueError("contact_phone must be a phone number, not a national ID number")
        if self.contact_method == "phone" and not self.contact_phone:
            raise ValueError("contact_phone is needed when the person wants a call")
        if self.for_whom == "relative" and self.senior_agrees is None:
            raise ValueError("senior_agrees is needed when a relative asks")
        if not self.conversation_id.startswith(f"{self.channel}:"):
            raise ValueError("conversation_id must belong to the channel")
        return self
