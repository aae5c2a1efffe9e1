"""What the assistant sends to open a ticket, and what staff see."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from core.handoff import Handoff, TranscriptLine
from core.storable import Storable

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), Storable
]


class TicketIn(Handoff):
    """A handoff from the assistant. The person has consented to passing it on."""


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
