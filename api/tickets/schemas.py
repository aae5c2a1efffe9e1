"""What the assistant sends to open a ticket, and what staff see."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints, model_validator

from api.text import Storable
from core.privacy import contains_national_id

Slug = Annotated[str, StringConstraints(max_length=64, pattern=r"^[a-z0-9-]+$")]
ConversationId = Annotated[
    str, StringConstraints(max_length=128, pattern=r"^(web|telegram):[A-Za-z0-9_-]{1,100}$")
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ]{8,16}$")]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Storable
]


class TranscriptLine(BaseModel):
    sender: Literal["person", "assistant"]
    text: Annotated[str, StringConstraints(max_length=4000), Storable]
    at: datetime | None = None


class TranscriptLineIn(TranscriptLine):
    at: AwareDatetime | None = None  # without a time zone it is a 422, not a guess


class Consent(BaseModel):
    text: Annotated[str, StringConstraints(min_length=1, max_length=1000), Storable]
    given_at: AwareDatetime  # without a time zone it is a 422, not a guess


class TicketIn(BaseModel):
    """A handoff from the assistant. The person has consented to passing it on."""

    district: Slug
    for_whom: Literal["self", "relative"]
    senior_agrees: Literal["yes", "no", "unsure"] | None = None
    language: Literal["nb", "nn", "en"] = "nb"
    service: Slug | None = None
    need: Slug | None = None
    description: Annotated[str, StringConstraints(max_length=2000), Storable] | None = None
    contact_method: Literal["phone", "chat"]
    contact_phone: Phone | None = None
    consent: Consent
    channel: Literal["web", "telegram"]
    conversation_id: ConversationId
    transcript: Annotated[list[TranscriptLineIn], Field(max_length=300)] = []
    priority: Literal["normal", "high"] = "normal"

    @model_validator(mode="after")
    def _complete(self) -> "TicketIn":
        if self.contact_phone and contains_national_id(self.contact_phone):
            raise ValueError("contact_phone must be a phone number, not a national ID number")
        if self.contact_method == "phone" and not self.contact_phone:
            raise ValueError("contact_phone is needed when the person wants a call")
        if self.for_whom == "relative" and self.senior_agrees is None:
            raise ValueError("senior_agrees is needed when a relative asks")
        if not self.conversation_id.startswith(f"{self.channel}:"):
            raise ValueError("conversation_id must belong to the channel")
        return self


class TicketReceipt(BaseModel):
    """All the assistant learns back: it may create tickets, not read them."""

    reference: str
    district: str
    status: str
    expected_answer_on: date


class TicketSummary(BaseModel):
    id: int
    reference: str
    status: str
    priority: str
    district: str
    service: str | None
    need: str | None
    for_whom: str
    senior_agrees: str | None  # when a relative asks: does the senior agree to the contact?
    language: str
    contact_method: str
    channel: str
    assignee: str | None
    expected_answer_on: date
    created_at: datetime
    updated_at: datetime


class MessageOut(BaseModel):
    id: int
    sender: str
    author: str | None
    text: str
    created_at: datetime
    delivered_at: datetime | None


class NoteOut(BaseModel):
    id: int
    author: str | None
    text: str
    created_at: datetime


class TicketDetail(TicketSummary):
    description: str | None
    contact_phone: str | None
    consent_text: str
    consent_at: datetime
    transcript: list[TranscriptLine]
    messages: list[MessageOut]
    notes: list[NoteOut]
    resolved_at: datetime | None
    purged_at: datetime | None


class TextIn(BaseModel):
    text: Text
