"""The stats API (`/api/stats/...`), its CSV exports, the feedback route and `/staff/stats`."""

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.accounts.dependencies import CurrentStaff
from api.accounts.models import Role, StaffAccount
from api.chat.views import Conversation
from api.dependencies import DbSession, ShortSession
from api.inbox.views import STATIC as INBOX_STATIC
from api.pages import PAGE_HEADERS, SHARED_STATIC, RevalidatedFiles, staff_page, with_versions
from api.problems import ApiError, problem_responses
from api.stats import service, unanswered
from api.stats.events import record_feedback
from api.stats.models import UnansweredGroup
from api.stats.schemas import (
    FeedbackIn,
    FeedbackRow,
    GroupStatusIn,
    HourCount,
    Overview,
    Series,
    UnansweredGroupOut,
)
from core.clock import utc_now
from core.office_hours import OSLO

CITY_ROLES = (Role.OWNER, Role.ADMIN)
MAX_DAYS = 400
Period = Literal["day", "week", "month"]
# The tables a scope sees, each as its page shows it; the feedback and unanswered tables below.
SCOPED_TABLES: dict[str, Callable[[Session, service.Scope, date, date], Sequence[BaseModel]]] = {
    "districts": lambda *args: service.breakdowns(*args).by_district,
    "channels": lambda *args: service.breakdowns(*args).by_channel,
    "languages": lambda *args: service.breakdowns(*args).by_language,
    "hours": service.by_hour,
    "series": service.daily,
    "services": service.top_services,
    "needs": service.top_needs,
    "staff": service.staff,
}
Table = Literal[
    "districts", "channels", "languages", "hours", "series", "services", "needs", "staff",
    "feedback", "unanswered",
]  # fmt: skip

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(tags=["stats"])


def stats_scope(
    staff: CurrentStaff, district: Annotated[str | None, Query(max_length=64)] = None
) -> service.Scope:
    """The owner and admins see the city (or any district); a lead only their own district."""
    if staff.role in CITY_ROLES:
        return service.Scope(district)
    if staff.role == Role.LEAD and district in (None, staff.district_slug):
        return service.Scope(staff.district_slug)
    raise ApiError(403, "Only a district lead, the service owner and admins see these figures.")


def city_staff(staff: CurrentStaff) -> StaffAccount:
    if staff.role not in CITY_ROLES:
        raise ApiError(403, "Only the service owner and admins see this.")
    return staff


StatsScope = Annotated[service.Scope, Depends(stats_scope)]
CityStaff = Annotated[StaffAccount, Depends(city_staff)]


def _today() -> date:
    return utc_now().astimezone(OSLO).date()


def date_range(
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> tuple[date, date]:
    """`from` and `to` (inclusive, Oslo dates); by default the last 30 days."""
    end = end or _today()
    start = start or end - timedelta(days=29)
    if start > end or (end - start).days > MAX_DAYS:
        raise ApiError(
            422, f"'from' must be on or before 'to', and at most {MAX_DAYS} days before."
        )
    return start, end


DateRange = Annotated[tuple[date, date], Depends(date_range)]
STATS_PROBLEMS = problem_responses(401, 403, 422)


@router.get("/api/stats/overview", response_model=Overview, responses=STATS_PROBLEMS)
def overview(session: DbSession, scope: StatsScope, days: DateRange) -> Overview:
    """Conversations, containment, handoffs, fallbacks and emergencies, by district."""
    return service.overview(session, scope, *days)


@router.get("/api/stats/series", response_model=Series, responses=STATS_PROBLEMS)
def series(
    session: DbSession, scope: StatsScope, days: DateRange, period: Period = "day"
) -> Series:
    rows = service.series(session, scope, *days, period)
    return Series(period=period, rows=rows, suppressed_below=service.SUPPRESSED_BELOW)


@router.get("/api/stats/hours", response_model=list[HourCount], responses=STATS_PROBLEMS)
def hours(session: DbSession, scope: StatsScope, days: DateRange) -> list[HourCount]:
    """Conversations by the hour of the day (Oslo) they began."""
    return service.by_hour(session, scope, *days)


@router.get("/api/stats/feedback", response_model=list[FeedbackRow], responses=STATS_PROBLEMS)
def feedback(session: DbSession, _owner: CityStaff, days: DateRange) -> list[FeedbackRow]:
    return service.feedback(session, *days)


def _group_out(group: UnansweredGroup, count: int, last: datetime) -> UnansweredGroupOut:
    return UnansweredGroupOut(
        id=group.id,
        example=group.label,
        count=count,
        last_asked=last.astimezone(OSLO).date(),
        status=group.status,
    )


@router.get(
    "/api/stats/unanswered", response_model=list[UnansweredGroupOut], responses=STATS_PROBLEMS
)
def unanswered_groups(session: DbSession, scope: StatsScope) -> list[UnansweredGroupOut]:
    """What people asked that the assistant could not answer (masked, last 30 days)."""
    return [_group_out(*row) for row in unanswered.groups(session, scope.district)]


@router.post(
    "/api/stats/unanswered/{group_id}",
    response_model=UnansweredGroupOut,
    responses=problem_responses(400, 401, 403, 404, 422),
)
def mark_group(
    session: DbSession,
    _owner: CityStaff,
    group_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)],
    body: GroupStatusIn,
) -> UnansweredGroupOut:
    """Close the loop: "added_to_catalogue" or "not_ours" (or "open" again)."""
    return _group_out(*unanswered.mark(session, group_id, body.status))


def _csv(rows: list[BaseModel]) -> str:
    out = io.StringIO()
    if rows:
        fields = list(type(rows[0]).model_fields)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row.model_dump(mode="json"))
    return out.getvalue()


@router.get("/api/stats/{table}.csv", responses=STATS_PROBLEMS)
def export(
    session: DbSession, staff: CurrentStaff, scope: StatsScope, days: DateRange, table: Table
) -> Response:
    """Any table of the page as CSV, suppressed exactly as on the page."""
    rows: list[BaseModel]
    if table in SCOPED_TABLES:
        rows = list(SCOPED_TABLES[table](session, scope, *days))
    elif table == "feedback":
        city_staff(staff)
        rows = list(service.feedback(session, *days))
    else:
        rows = [_group_out(*row) for row in unanswered.groups(session, scope.district)]
    filename = f"seniorveiviser-{table}-{days[0]}-{days[1]}.csv"
    return Response(
        _csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/api/chat/conversations/{conversation_id}/feedback",
    status_code=204,
    response_class=Response,
    tags=["chat"],
    responses=problem_responses(400, 401, 422),
)
async def give_feedback(
    conversation_id: Conversation, body: FeedbackIn, sessions: ShortSession
) -> None:
    """Answer to "Var dette til hjelp?", counted per service, aspect and language only."""
    await sessions.run(
        lambda session: record_feedback(
            session, conversation_id, body.helpful, body.service, body.aspect, body.language
        )
    )


@router.get("/staff/stats", include_in_schema=False, response_class=HTMLResponse)
def stats_page() -> HTMLResponse:
    """The figures page (bokmål); it styles itself on the inbox and reads the API above."""
    folders = {
        "/staff/stats/static/": STATIC,
        "/staff/static/": INBOX_STATIC,
        "/shared/": SHARED_STATIC,
    }
    page = with_versions(staff_page(STATIC / "stats.html"), folders)
    return HTMLResponse(page, headers=PAGE_HEADERS)


router.mount("/staff/stats/static", RevalidatedFiles(directory=STATIC), name="stats-static")
