"""The handoff outbox table: tickets written here first, then delivered to the API.

The action server writes and delivers (actions/handoff/outbox.py); the API erases a
person's pending handoffs and counts what waits (api/tickets, api/metrics).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utc_now
from core.database import Base, UtcDateTime


class OutboxEntry(Base):
    """One ticket to deliver; its payload is cleared once the API has it."""

    __tablename__ = "handoff_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    ticket_reference: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(String(300))
