from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response
from fastapi.types import DecoratedCallable

from api.accounts.dependencies import CurrentStaff, TicketCreator
from api.catalogue import Catalogue
from api.dependencies import AppSettings, DbSession
from api.pagination import Page, Paging
from api.problems import ApiError, problem_responses
from api.tickets import service
from api.tickets.models import Status, Ticket
from api.tickets.schemas import (
    MessageOut,
    NoteOut,
    TextIn,
    TicketDetail,
    TicketIn,
    TicketReceipt,
    TicketSummary,
)
from core.handoff import TranscriptLine

router = APIRouter(prefix="/api", tags=["tickets"])
TicketId = Annotated[int, Path(ge=1, le=2**31 - 1)]
IdempotencyKey = Annotated[str, Header(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
# What each kind of staff route may answer besides its 200 (see api/problems.py).
READ = problem_responses(401, 404, 422)
CHANGE = problem_responses(401, 404, 409, 422)
WRITE = problem_responses(400, 401, 404, 422)
ANSWER = problem_responses(400, 401, 404, 409, 422)


def _ticket_change(
    action: str, responses: dict[int | str, dict[str, Any]] = CHANGE
) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """`POST /api/staff/tickets/{ticket_id}/<action>`: a change that answers with the ticket."""
    return router.post(
        f"/staff/tickets/{{ticket_id}}/{action}",
        response_model=TicketDetail,
        tags=["staff"],
        responses=responses,
    )


def _summary_fields(ticket: Ticket) -> dict[str, object]:
    return {
        "id": ticket.id,
        "reference": ticket.reference,
        "status": ticket.status,
        "priority": ticket.priority,
        "district": ticket.district_slug,
        "service": ticket.service_slug,
        "need": ticket.need_slug,
        "for_whom": ticket.for_whom,
        "senior_agrees": ticket.senior_agrees,
        "language": ticket.language,
        "contact_method": ticket.contact_method,
        "channel": ticket.channel,
        "assignee": ticket.assignee.display_name if ticket.assignee else None,
        "expected_answer_on": ticket.expected_answer_on,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
    }


def _detail(ticket: Ticket) -> TicketDetail:
    return TicketDetail(
        **_summary_fields(ticket),
        description=ticket.description,
        contact_phone=ticket.contact_phone,
        consent_text=ticket.consent_text,
        consent_at=ticket.consent_at,
        transcript=[TranscriptLine.model_validate(line) for line in ticket.transcript],
        messages=[
            MessageOut(
                id=message.id,
                sender=message.sender,
                author=message.author.display_name if message.author else None,
                text=message.text,
                created_at=message.created_at,
                delivered_at=message.delivered_at,
            )
            for message in ticket.messages
        ],
        notes=[
            NoteOut(
                id=note.id,
                author=note.author.display_name if note.author else None,
                text=note.text,
                created_at=note.created_at,
            )
            for note in ticket.notes
        ],
        resolved_at=ticket.resolved_at,
        purged_at=ticket.purged_at,
    )


@router.post(
    "/tickets",
    status_code=201,
    response_model=TicketReceipt,
    tags=["assistant"],
    responses={
        200: {"model": TicketReceipt, "description": "A retry: the ticket this key opened."},
        **problem_responses(400, 401, 403, 422),
    },
)
def open_ticket(
    ticket_in: TicketIn,
    idempotency_key: IdempotencyKey,
    response: Response,
    _client: TicketCreator,
    session: DbSession,
    catalogue: Catalogue,
    settings: AppSettings,
) -> TicketReceipt:
    """The assistant hands a conversation to district staff. Safe to retry with the same key."""
    if ticket_in.district not in catalogue.districts:
        raise ApiError(422, f"Unknown district {ticket_in.district!r}.")
    hours = settings.office_hours
    ticket, created = service.open_ticket(session, ticket_in, idempotency_key, hours)
    if not created:
        response.status_code = 200
    return TicketReceipt(
        reference=ticket.reference,
        district=ticket.district_slug,
        status=ticket.status,
        expected_answer_on=ticket.expected_answer_on,
    )


@router.get(
    "/staff/tickets",
    response_model=Page[TicketSummary],
    tags=["staff"],
    responses=problem_responses(401, 422),
)
def list_queue(
    staff: CurrentStaff,
    session: DbSession,
    paging: Paging,
    status: Annotated[Status | None, Query()] = None,
) -> Page[TicketSummary]:
    """My district's tickets, urgent and oldest first."""
    tickets, total = service.queue(session, staff, status, paging.limit, paging.offset)
    return Page[TicketSummary](
        items=[TicketSummary(**_summary_fields(t)) for t in tickets],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get(
    "/staff/tickets/{ticket_id}", response_model=TicketDetail, tags=["staff"], responses=READ
)
def get_ticket(staff: CurrentStaff, session: DbSession, ticket_id: TicketId) -> TicketDetail:
    return _detail(service.read_ticket(session, staff, ticket_id))


@_ticket_change("claim")
def claim_ticket(
    staff: CurrentStaff, session: DbSession, catalogue: Catalogue, ticket_id: TicketId
) -> TicketDetail:
    """Take the ticket: the assistant goes quiet, and the person is told the district has it."""
    district = catalogue.districts.get(staff.district_slug)
    name = district.name if district is not None else staff.district_slug
    return _detail(service.claim(session, staff, ticket_id, name))


@_ticket_change("notes", WRITE)
def add_note(
    staff: CurrentStaff, session: DbSession, ticket_id: TicketId, note: TextIn
) -> TicketDetail:
    """An internal note; the person never sees it."""
    return _detail(service.add_note(session, staff, ticket_id, note.text))


@_ticket_change("replies", ANSWER)
def reply(
    staff: CurrentStaff, session: DbSession, ticket_id: TicketId, message: TextIn
) -> TicketDetail:
    """A message to the person, delivered into their conversation on its channel."""
    return _detail(service.reply(session, staff, ticket_id, message.text))


@_ticket_change("waiting")
def set_waiting(staff: CurrentStaff, session: DbSession, ticket_id: TicketId) -> TicketDetail:
    """Waiting for the person to answer; their next message sets it back to claimed."""
    return _detail(service.set_waiting(session, staff, ticket_id))


@_ticket_change("resolve")
def resolve(staff: CurrentStaff, session: DbSession, ticket_id: TicketId) -> TicketDetail:
    """Done: the assistant answers the person again."""
    return _detail(service.resolve(session, staff, ticket_id))


@_ticket_change("reopen")
def reopen(staff: CurrentStaff, session: DbSession, ticket_id: TicketId) -> TicketDetail:
    return _detail(service.reopen(session, staff, ticket_id))
