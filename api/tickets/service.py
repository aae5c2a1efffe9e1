"""Opening, handling and erasing tickets. Every staff read and change is audited."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from api.accounts.models import Role, StaffAccount
from api.audit.models import AuditEntry
from api.audit.service import record
from api.problems import ApiError
from api.stats.events import record_ticket_event
from api.texts import TEXTS
from api.tickets.models import STAFF_HOLDS, Status, Ticket, TicketMessage, TicketNote
from api.tickets.schemas import TicketIn
from core.channels import channel_of
from core.clock import utc_now
from core.handoff import Priority
from core.idempotency import add_once
from core.language import LANGUAGES, Language
from core.office_hours import OfficeHours, expect_answer
from core.outbox import OutboxEntry
from core.privacy import mask_national_ids

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
# What the person's conversation receives from the ticket: staff replies and status notices.
DELIVERED_SENDERS = ("staff", "notice")


def _new_reference() -> str:
    return "SV-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


# The inbox refreshes what is on screen every few seconds; the audit log records the person
# opening the queue or a ticket, not each refresh: the same read again within this time.
READ_AGAIN_AFTER = timedelta(minutes=10)


def actor(staff: StaffAccount) -> str:
    return f"staff:{staff.username}"


def _record_read(
    session: Session,
    staff: StaffAccount,
    action: str,
    ticket_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Audit a read, unless the same person made the same read a moment ago (a refresh)."""
    same = session.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.actor == actor(staff),
            AuditEntry.action == action,
            AuditEntry.ticket_id.is_(None)
            if ticket_id is None
            else AuditEntry.ticket_id == ticket_id,
            AuditEntry.detail.is_(None) if detail is None else AuditEntry.detail == detail,
            AuditEntry.at > utc_now() - READ_AGAIN_AFTER,
        )
        .limit(1)
    )
    if same is None:
        record(session, actor(staff), action, staff.district_slug, ticket_id, detail)


def open_ticket(
    session: Session, ticket_in: TicketIn, idempotency_key: str, hours: OfficeHours
) -> tuple[Ticket, bool]:
    """The ticket for this key, created if new; True when it was created now."""
    same = select(Ticket).where(Ticket.idempotency_key == idempotency_key)
    existing = session.scalar(same)
    if existing is not None:
        return existing, False
    now = utc_now()
    ticket = Ticket(
        reference=_new_reference(),
        idempotency_key=idempotency_key,
        district_slug=ticket_in.district,
        priority=ticket_in.priority,
        service_slug=ticket_in.service,
        need_slug=ticket_in.need,
        for_whom=ticket_in.for_whom,
        senior_agrees=ticket_in.senior_agrees,
        language=ticket_in.language,
        description=mask_national_ids(ticket_in.description) if ticket_in.description else None,
        transcript=[
            {
                "sender": line.sender,
                "text": mask_national_ids(line.text),
                "at": line.at.isoformat() if line.at else None,
            }
            for line in ticket_in.transcript
        ],
        contact_method=ticket_in.contact_method,
        contact_phone=ticket_in.contact_phone,
        consent_text=ticket_in.consent.text,
        consent_at=ticket_in.consent.given_at,
        channel=ticket_in.channel,
        conversation_id=ticket_in.conversation_id,
        expected_answer_on=expect_answer(now, hours).day,
    )
    ticket, created = add_once(session, ticket, same)  # a colliding reference raises
    if not created:
        return ticket, False
    record(session, "assistant", "ticket_opened", ticket.district_slug, ticket.id)
    record_ticket_event(session, ticket, "ticket_opened")
    session.commit()
    return ticket, True


def queue(
    session: Session, staff: StaffAccount, status: Status | None, limit: int, offset: int
) -> tuple[Sequence[Ticket], int]:
    """The caller's district's tickets, urgent and oldest first."""
    where = [Ticket.district_slug == staff.district_slug]
    if status is not None:
        where.append(Ticket.status == status)
    total = session.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
    tickets = session.scalars(
        select(Ticket)
        .where(*where)
        .order_by((Ticket.priority == Priority.HIGH).desc(), Ticket.created_at, Ticket.id)
        .limit(limit)
        .offset(offset)
    ).all()
    _record_read(session, staff, "queue_read", detail=f"status={status}")
    session.commit()
    return tickets, total


def _own_ticket(session: Session, staff: StaffAccount, ticket_id: int, lock: bool = True) -> Ticket:
    """The ticket if it belongs to the caller's district; otherwise it does not exist.

    A change locks the row (PostgreSQL), so two staff claiming at once take turns. A miss is
    audited too: someone asked for a ticket outside their district, or for none at all.
    """
    query = select(Ticket).where(
        Ticket.id == ticket_id, Ticket.district_slug == staff.district_slug
    )
    ticket = session.scalar(query.with_for_update() if lock else query)
    if ticket is None:
        record(session, actor(staff), "ticket_not_found", staff.district_slug, ticket_id)
        session.commit()
        raise ApiError(404, "No such ticket.")
    return ticket


def read_ticket(session: Session, staff: StaffAccount, ticket_id: int) -> Ticket:
    ticket = _own_ticket(session, staff, ticket_id, lock=False)
    _record_read(session, staff, "ticket_read", ticket.id)
    session.commit()
    return ticket


def _change(session: Session, staff: StaffAccount, ticket: Ticket, action: str) -> Ticket:
    # Set by hand: a new note or message changes other rows, so `onupdate` would not fire.
    ticket.updated_at = utc_now()
    record(session, actor(staff), action, ticket.district_slug, ticket.id)
    session.commit()
    return ticket


def _conflict(ticket: Ticket, wanted: str) -> ApiError:
    return ApiError(409, f"The ticket is {ticket.status}; it cannot be {wanted} now.")


def _language(ticket: Ticket) -> Language:
    """The language the person wrote in, for the notices they get (bokmål when not known)."""
    return next((known for known in LANGUAGES if known == ticket.language), "nb")


def _notify(ticket: Ticket, text: str) -> None:
    """A status notice to the person, delivered like a staff reply."""
    ticket.messages.append(TicketMessage(sender="notice", text=text))


def claim(session: Session, staff: StaffAccount, ticket_id: int, district_name: str) -> Ticket:
    """Take the ticket; the first time staff hold it, the person is told by whom."""
    ticket = _own_ticket(session, staff, ticket_id)
    if ticket.status == Status.RESOLVED:
        raise _conflict(ticket, "claimed")
    taken = ticket.assignee_id not in (None, staff.id) and ticket.status in STAFF_HOLDS
    if taken and staff.role == Role.STAFF:
        raise ApiError(409, "Someone else holds this ticket. Ask your district lead.")
    if ticket.status not in STAFF_HOLDS:
        _notify(ticket, TEXTS["claimed_notice"][_language(ticket)].format(district=district_name))
    if ticket.status == Status.NEW:
        record_ticket_event(session, ticket, "ticket_claimed")
    ticket.status = Status.CLAIMED
    ticket.assignee_id = staff.id
    return _change(session, staff, ticket, "ticket_claimed")


def add_note(session: Session, staff: StaffAccount, ticket_id: int, text: str) -> Ticket:
    ticket = _own_ticket(session, staff, ticket_id)
    ticket.notes.append(TicketNote(staff_id=staff.id, text=mask_national_ids(text)))
    return _change(session, staff, ticket, "note_added")


def reply(session: Session, staff: StaffAccount, ticket_id: int, text: str) -> Ticket:
    """A message to the person, delivered into their conversation; the caller now holds it."""
    ticket = _own_ticket(session, staff, ticket_id)
    if ticket.status == Status.RESOLVED or ticket.purged_at is not None:
        raise _conflict(ticket, "answered")
    if not any(message.sender == "staff" for message in ticket.messages):
        record_ticket_event(session, ticket, "ticket_replied")
    if ticket.status == Status.NEW:
        record_ticket_event(session, ticket, "ticket_claimed")  # answering takes it too
    ticket.messages.append(
        TicketMessage(
            sender="staff",
            staff_id=staff.id,
            text=mask_national_ids(text),
        )
    )
    if ticket.status == Status.NEW:
        ticket.status = Status.CLAIMED
        ticket.assignee_id = staff.id
    return _change(session, staff, ticket, "reply_sent")


def set_waiting(session: Session, staff: StaffAccount, ticket_id: int) -> Ticket:
    ticket = _own_ticket(session, staff, ticket_id)
    if ticket.status != Status.CLAIMED:
        raise _conflict(ticket, "set to wait for the person")
    ticket.status = Status.WAITING
    return _change(session, staff, ticket, "ticket_waiting")


def resolve(session: Session, staff: StaffAccount, ticket_id: int) -> Ticket:
    ticket = _own_ticket(session, staff, ticket_id)
    if ticket.status == Status.RESOLVED:
        raise _conflict(ticket, "resolved")
    ticket.status = Status.RESOLVED
    ticket.resolved_at = utc_now()
    record_ticket_event(session, ticket, "ticket_resolved")
    _notify(ticket, TEXTS["resolved_notice"][_language(ticket)])
    return _change(session, staff, ticket, "ticket_resolved")


def reopen(session: Session, staff: StaffAccount, ticket_id: int) -> Ticket:
    ticket = _own_ticket(session, staff, ticket_id)
    if ticket.status != Status.RESOLVED:
        raise _conflict(ticket, "reopened")
    if ticket.purged_at is not None:
        raise ApiError(409, "The ticket's contact details were deleted; it cannot be reopened.")
    ticket.status = Status.NEW
    ticket.assignee_id = None
    ticket.resolved_at = None
    return _change(session, staff, ticket, "ticket_reopened")


def holding_ticket(session: Session, conversation_id: str) -> Ticket | None:
    """The ticket through which district staff hold this conversation, if any."""
    return session.scalar(
        select(Ticket)
        .where(Ticket.conversation_id == conversation_id, Ticket.status.in_(STAFF_HOLDS))
        .order_by(Ticket.id.desc())
        .limit(1)
    )


def pass_to_staff(
    session: Session, conversation_id: str, text: str, *, urgent: bool = False
) -> bool:
    """Add the person's message to the ticket staff hold; False when none holds it.

    `urgent` (the message may describe an emergency) raises the ticket to high priority.
    """
    ticket = holding_ticket(session, conversation_id)
    if ticket is None:
        return False
    if urgent:
        ticket.priority = Priority.HIGH
    ticket.messages.append(
        TicketMessage(
            sender="person",
            text=mask_national_ids(text),
            delivered_at=utc_now(),
        )
    )
    if ticket.status == Status.WAITING:
        ticket.status = Status.CLAIMED
    ticket.updated_at = utc_now()  # the person answered: the queue shows it as new activity
    session.commit()
    return True


def _staff_messages_where(
    session: Session, *conditions: ColumnElement[bool], limit: int | None = None
) -> list[tuple[TicketMessage, Ticket]]:
    """Staff replies and notices (with their tickets) that meet `conditions`, oldest first."""
    rows = session.execute(
        select(TicketMessage, Ticket)
        .join(Ticket, Ticket.id == TicketMessage.ticket_id)
        .where(TicketMessage.sender.in_(DELIVERED_SENDERS), *conditions)
        .order_by(TicketMessage.id)
        .limit(limit)
    )
    return [(message, ticket) for message, ticket in rows]


def staff_messages(
    session: Session, conversation_id: str, after: int
) -> list[tuple[TicketMessage, Ticket]]:
    """Staff messages in a conversation after id `after`, marked delivered."""
    rows = _staff_messages_where(
        session, Ticket.conversation_id == conversation_id, TicketMessage.id > after
    )
    _mark_delivered([message for message, _ in rows], session)
    return rows


def _mark_delivered(messages: Sequence[TicketMessage], session: Session) -> None:
    undelivered = [
        message.id
        for message in messages
        if message.delivered_at is None and message.sender in DELIVERED_SENDERS
    ]
    if undelivered:
        session.execute(
            update(TicketMessage)
            .where(TicketMessage.id.in_(undelivered))
            .values(delivered_at=utc_now())
        )
        session.commit()


def conversation_messages(
    session: Session, conversation_id: str
) -> list[tuple[TicketMessage, Ticket]]:
    """Every message between the person and staff in a conversation, oldest first.

    A polled channel (the web page) shows them all from here, so its staff replies and notices
    count as delivered; a pushed one (a Telegram chat) still gets them from its bridge.
    """
    rows = [
        (message, ticket)
        for message, ticket in session.execute(
            select(TicketMessage, Ticket)
            .join(Ticket, Ticket.id == TicketMessage.ticket_id)
            .where(Ticket.conversation_id == conversation_id)
            .order_by(TicketMessage.id)
        )
    ]
    channel = channel_of(conversation_id)
    if channel is not None and channel.delivery == "polled":
        _mark_delivered([message for message, _ in rows], session)
    return rows


def undelivered_on_channel(
    session: Session, channel: str, limit: int = 100
) -> list[tuple[TicketMessage, Ticket]]:
    """Staff messages not yet delivered to a push channel (Telegram), oldest first."""
    return _staff_messages_where(
        session, Ticket.channel == channel, TicketMessage.delivered_at.is_(None), limit=limit
    )


def mark_delivered(session: Session, channel: str, message_id: int) -> None:
    message = session.scalar(
        select(TicketMessage)
        .join(Ticket, Ticket.id == TicketMessage.ticket_id)
        .where(TicketMessage.id == message_id, Ticket.channel == channel)
    )
    if message is None:
        raise ApiError(404, "No such message.")
    message.delivered_at = message.delivered_at or utc_now()
    session.commit()


def erase_conversation(session: Session, conversation_id: str) -> int:
    """Delete the person's tickets (with messages and notes) and pending handoffs.

    The caller commits, with the rest of the conversation's erasure (api/chat/service.py).
    """
    tickets = session.scalars(select(Ticket).where(Ticket.conversation_id == conversation_id))
    erased = 0
    for ticket in tickets.all():
        record(session, "person", "ticket_erased", ticket.district_slug, ticket.id)
        session.delete(ticket)
        erased += 1
    session.execute(delete(OutboxEntry).where(OutboxEntry.conversation_id == conversation_id))
    return erased


def purge_resolved(session: Session, days: int) -> int:
    """Remove contact details, transcripts and messages of tickets resolved `days` ago."""
    cutoff = utc_now() - timedelta(days=days)
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.status == Status.RESOLVED,
            Ticket.resolved_at < cutoff,
            Ticket.purged_at.is_(None),
        )
    ).all()
    for ticket in tickets:
        ticket.contact_phone = None
        ticket.description = None
        ticket.transcript = []
        ticket.messages.clear()
        ticket.notes.clear()
        # A Telegram conversation id is the person's chat id: keep only a digest of it.
        digest = hashlib.sha256(ticket.conversation_id.encode("utf-8")).hexdigest()[:24]
        ticket.conversation_id = f"purged:{digest}"
        ticket.purged_at = utc_now()
        record(session, "system", "ticket_purged", ticket.district_slug, ticket.id)
    session.commit()
    return len(tickets)
