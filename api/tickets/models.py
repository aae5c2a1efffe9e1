"""Handoff tickets: a person's request for a human at their district."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.accounts.models import StaffAccount
from core.clock import utc_now
from core.database import Base, UtcDateTime
from core.handoff import Priority


class Status(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    WAITING = "waiting_for_person"
    RESOLVED = "resolved"


# While a person at the district holds the conversation, the assistant is silent.
STAFF_HOLDS = (Status.CLAIMED, Status.WAITING)


class Ticket(Base):
    __tablename__ = "ticket"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    district_slug: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(24), default=Status.NEW, index=True)
    priority: Mapped[str] = mapped_column(String(8), default=Priority.NORMAL)
    # The assistant's summary.
    service_slug: Mapped[str | None] = mapped_column(String(64))
    need_slug: Mapped[str | None] = mapped_column(String(64))
    for_whom: Mapped[str] = mapped_column(String(16))
    senior_agrees: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(4))
    description: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # How to reach the person, and what they agreed to.
    contact_method: Mapped[str] = mapped_column(String(8))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    consent_text: Mapped[str] = mapped_column(Text)
    consent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    channel: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    # Handling.
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    expected_answer_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    assignee: Mapped[StaffAccount | None] = relationship()
    messages: Mapped[list["TicketMessage"]] = relationship(
        cascade="all, delete-orphan", order_by="TicketMessage.id"
    )
    notes: Mapped[list["TicketNote"]] = relationship(
        cascade="all, delete-orphan", order_by="TicketNote.id"
    )


class TicketMessage(Base):
    """A message between staff and the person, in the conversation the ticket came from."""

    __tablename__ = "ticket_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(8))  # "staff" or "person"
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    author: Mapped[StaffAccount | None] = relationship()


class TicketNote(Base):
    """An internal note: staff only, never shown to the person."""

    __tablename__ = "ticket_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_account.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    author: Mapped[StaffAccount | None] = relationship()
