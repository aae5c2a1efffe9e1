"""Hooks the API calls when something worth counting happens; the fold reads them later."""

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from api.stats.models import UNKNOWN, StatsEvent
from api.tickets.models import Ticket
from core.channels import channel_name
from core.clock import utc_now


def conversation_key(conversation_id: str) -> str:
    """What the working tables know a conversation by (never the id itself)."""
    return hashlib.sha256(f"seniorveiviser:{conversation_id}".encode()).hexdigest()


def record_ticket_event(session: Session, ticket: Ticket, kind: str) -> None:
    """A ticket came, was first claimed, first answered or resolved (committed by the caller)."""
    session.add(
        StatsEvent(
            kind=kind,
            at=utc_now(),
            conversation_key=conversation_key(ticket.conversation_id),
            channel=ticket.channel,
            district=ticket.district_slug,
            language=ticket.language,
            service=ticket.service_slug or UNKNOWN,
            opened_at=ticket.created_at,
            due=ticket.expected_answer_on,
        )
    )


def record_emergency(session: Session, conversation_id: str) -> None:
    """The gateway itself gave 113 (the assistant was down, or staff held the conversation)."""
    session.add(
        StatsEvent(
            kind="emergency_triaged",
            conversation_key=conversation_key(conversation_id),
            channel=channel_name(conversation_id),
        )
    )
    session.commit()


def record_feedback(
    session: Session,
    conversation_id: str,
    helpful: bool,
    service: str | None,
    aspect: str | None,
    language: str | None,
    at: datetime | None = None,
) -> None:
    """A "Var dette til hjelp?" answer; the conversation only tells the channel."""
    session.add(
        StatsEvent(
            kind="feedback",
            at=at or utc_now(),
            channel=channel_name(conversation_id),
            service=service or UNKNOWN,
            aspect=aspect or UNKNOWN,
            language=language or UNKNOWN,
            helpful=helpful,
        )
    )
    session.commit()
