"""The figures, read from the aggregate cells, with small cells suppressed."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from api.stats.models import DailyCell, FeedbackCell, HourCell, TicketCell, TopicCell, TopicKind
from api.stats.schemas import (
    ChannelFigures,
    DistrictFigures,
    FeedbackRow,
    Figures,
    HourCount,
    LanguageFigures,
    NeedCount,
    Overview,
    PeriodFigures,
    ServiceCount,
    StaffFigures,
)

SUPPRESSED_BELOW = 5
TOP = 10
Row = TypeVar("Row", bound=BaseModel)
_SUMS = (
    "conversations", "engaged", "contained", "escalated", "abandoned", "emergencies",
    "user_messages", "fallbacks", "verify_eligible", "verified",
)  # fmt: skip
_SIZES = ("conversations", "tickets", "answers")  # what a row of each table counts


@dataclass(frozen=True)
class Scope:
    """What the caller may see: the whole city, or one district."""

    district: str | None

    @property
    def name(self) -> str:
        return self.district if self.district is not None else "city"


def _rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _figures(sums: dict[str, Any]) -> dict[str, Any]:
    engaged = sums["engaged"] or 0
    return {
        "conversations": int(sums["conversations"] or 0),
        "engaged": int(engaged),
        "contained_rate": _rate(sums["contained"] or 0, engaged),
        "handoff_rate": _rate(sums["escalated"] or 0, engaged),
        "abandoned_rate": _rate(sums["abandoned"] or 0, engaged),
        "fallback_rate": _rate(sums["fallbacks"] or 0, sums["user_messages"] or 0),
        "emergencies": int(sums["emergencies"] or 0),
        "verified_containment_rate": (
            _rate(sums["verified"] or 0, sums["verify_eligible"])
            if (sums["verify_eligible"] or 0) >= SUPPRESSED_BELOW
            else None
        ),
    }


def _size(row: BaseModel) -> int:
    """How many conversations (tickets, answers) a row's figures come from."""
    name = next(name for name in _SIZES if name in type(row).model_fields)
    return int(getattr(row, name) or 0)


def _blank(row: Row) -> Row:
    """The row with every figure hidden; only its label stays."""
    labels = {"district", "channel", "language", "hour", "period", "service", "aspect"}
    hidden = {name: None for name in type(row).model_fields if name not in labels}
    return row.model_copy(update={**hidden, "suppressed": True})


def suppress(rows: Sequence[Row]) -> list[Row]:
    """Hide rows from fewer than 5, and one more when the total would reveal a lone hidden one.

    With the total shown, a single hidden row could be worked out by subtraction; so the
    smallest row still shown is hidden too (and so on until no row is alone).
    """
    hidden = [0 < _size(row) < SUPPRESSED_BELOW for row in rows]
    if sum(hidden) == 1:
        shown = [index for index, row in enumerate(rows) if not hidden[index] and _size(row)]
        if shown:
            hidden[min(shown, key=lambda index: _size(rows[index]))] = True
    return [_blank(row) if hide else row for row, hide in zip(rows, hidden, strict=True)]


def _shown(rows: Sequence[Row]) -> list[Row]:
    """`suppress` for a table whose rows add up to a total shown beside it: a total under 5
    hides every row."""
    total = sum(_size(row) for row in rows)
    if 0 < total < SUPPRESSED_BELOW:
        return [_blank(row) for row in rows]
    return suppress(rows)


def _where(model: Any, scope: Scope, start: date, end: date) -> list[ColumnElement[bool]]:
    where = [model.day >= start, model.day <= end]
    if scope.district is not None:
        where.append(model.district == scope.district)
    return where


def _summed(*group_by: Any) -> Select[Any]:
    sums = [func.sum(getattr(DailyCell, name)).label(name) for name in _SUMS]
    return select(*group_by, *sums)


def _zeros() -> dict[str, Any]:
    return dict.fromkeys(_SUMS, 0)


def _add_to(sums: dict[str, Any], values: dict[str, Any]) -> None:
    for name in _SUMS:
        sums[name] += values[name] or 0


@dataclass(frozen=True)
class Breakdowns:
    """The period's figures in total, and by district, channel and language."""

    total: Figures
    by_district: list[DistrictFigures]
    by_channel: list[ChannelFigures]
    by_language: list[LanguageFigures]


_LABELS = ("district", "channel", "language")
Shown = TypeVar("Shown", bound=Figures)


def _table(model: type[Shown], label: str, sums: dict[str, dict[str, Any]]) -> list[Shown]:
    return _shown([model(**{label: key}, **_figures(sums[key])) for key in sorted(sums)])


def breakdowns(session: Session, scope: Scope, start: date, end: date) -> Breakdowns:
    """All four from one read of the daily cells, grouped by district, channel and language."""
    columns = [getattr(DailyCell, label) for label in _LABELS]
    total = _zeros()
    by: dict[str, dict[str, dict[str, Any]]] = {label: {} for label in _LABELS}
    query = _summed(*columns).where(*_where(DailyCell, scope, start, end)).group_by(*columns)
    for cell in session.execute(query):
        values = cell._asdict()
        _add_to(total, values)
        for label, sums in by.items():
            _add_to(sums.setdefault(values[label], _zeros()), values)
    figures = Figures(**_figures(total))
    return Breakdowns(
        total=_blank(figures) if 0 < _size(figures) < SUPPRESSED_BELOW else figures,
        by_district=_table(DistrictFigures, "district", by["district"]),
        by_channel=_table(ChannelFigures, "channel", by["channel"]),
        by_language=_table(LanguageFigures, "language", by["language"]),
    )


def overview(session: Session, scope: Scope, start: date, end: date) -> Overview:
    found = breakdowns(session, scope, start, end)
    tops = _tops(session, scope, start, end, *TopicKind)
    return Overview(
        **{**found.total.model_dump(), "from_day": start, "to_day": end},
        scope=scope.name,
        by_district=found.by_district,
        by_channel=found.by_channel,
        by_language=found.by_language,
        top_services=_service_counts(tops[TopicKind.SERVICE]),
        top_needs=_need_counts(tops[TopicKind.NEED]),
        staff=staff(session, scope, start, end),
        suppressed_below=SUPPRESSED_BELOW,
    )


def by_hour(session: Session, scope: Scope, start: date, end: date) -> list[HourCount]:
    """Conversations by the hour of the day (Oslo) they began, all 24 hours."""
    query = (
        select(HourCell.hour, func.sum(HourCell.conversations))
        .where(*_where(HourCell, scope, start, end))
        .group_by(HourCell.hour)
    )
    counts: dict[int, int] = dict(session.execute(query).all())
    return _shown([HourCount(hour=hour, conversations=counts.get(hour, 0)) for hour in range(24)])


def _tops(
    session: Session, scope: Scope, start: date, end: date, *kinds: TopicKind
) -> dict[TopicKind, list[tuple[str, int]]]:
    """The 10 topics of each kind most conversations were about; those under 5 are left out.

    One read of the topic cells serves every kind asked for.
    """
    total = func.sum(TopicCell.conversations)
    query = (
        select(TopicCell.kind, TopicCell.topic, total)
        .where(*_where(TopicCell, scope, start, end), TopicCell.kind.in_(kinds))
        .group_by(TopicCell.kind, TopicCell.topic)
        .having(total >= SUPPRESSED_BELOW)
    )
    tops: dict[TopicKind, list[tuple[str, int]]] = {kind: [] for kind in kinds}
    for kind, topic, count in session.execute(query):
        tops[TopicKind(kind)].append((topic, int(count)))
    return {
        kind: sorted(rows, key=lambda row: (-row[1], row[0]))[:TOP] for kind, rows in tops.items()
    }


def _service_counts(rows: list[tuple[str, int]]) -> list[ServiceCount]:
    return [ServiceCount(service=slug, conversations=count) for slug, count in rows]


def _need_counts(rows: list[tuple[str, int]]) -> list[NeedCount]:
    return [NeedCount(need=slug, conversations=count) for slug, count in rows]


def top_services(session: Session, scope: Scope, start: date, end: date) -> list[ServiceCount]:
    return _service_counts(_tops(session, scope, start, end, TopicKind.SERVICE)[TopicKind.SERVICE])


def top_needs(session: Session, scope: Scope, start: date, end: date) -> list[NeedCount]:
    return _need_counts(_tops(session, scope, start, end, TopicKind.NEED)[TopicKind.NEED])


def staff(session: Session, scope: Scope, start: date, end: date) -> list[StaffFigures]:
    sums = [
        func.sum(getattr(TicketCell, name)).label(name)
        for name in ("tickets", "claimed", "claim_minutes", "replied", "reply_minutes")
    ]
    sums.append(func.sum(TicketCell.replied_on_time).label("on_time"))
    rows = [
        StaffFigures(
            district=row.district,
            tickets=int(row.tickets),
            claimed=int(row.claimed),
            mean_office_minutes_to_claim=_rate(row.claim_minutes, row.claimed),
            mean_office_minutes_to_reply=_rate(row.reply_minutes, row.replied),
            replied_by_promised_day_rate=_rate(row.on_time, row.replied),
        )
        for row in session.execute(
            select(TicketCell.district, *sums)
            .where(*_where(TicketCell, scope, start, end))
            .group_by(TicketCell.district)
            .order_by(TicketCell.district)
        )
    ]
    return suppress(rows)


def _period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def series(
    session: Session, scope: Scope, start: date, end: date, period: str
) -> list[PeriodFigures]:
    """Figures per day, week (from Monday) or month."""
    sums: dict[date, dict[str, Any]] = {}
    for row in session.execute(
        _summed(DailyCell.day).where(*_where(DailyCell, scope, start, end)).group_by(DailyCell.day)
    ):
        values = row._asdict()
        _add_to(sums.setdefault(_period_start(values["day"], period), _zeros()), values)
    rows = [PeriodFigures(period=day, **_figures(sums[day])) for day in sorted(sums)]
    return _shown(rows)


def daily(session: Session, scope: Scope, start: date, end: date) -> list[PeriodFigures]:
    return series(session, scope, start, end, "day")


def feedback(session: Session, start: date, end: date) -> list[FeedbackRow]:
    """Answers to "Var dette til hjelp?" per service, aspect and language."""
    helpful = func.sum(FeedbackCell.helpful)
    not_helpful = func.sum(FeedbackCell.not_helpful)
    rows = [
        FeedbackRow(
            service=service,
            aspect=aspect,
            language=language,
            answers=int(yes + no),
            helpful_rate=_rate(yes, yes + no),
        )
        for service, aspect, language, yes, no in session.execute(
            select(
                FeedbackCell.service,
                FeedbackCell.aspect,
                FeedbackCell.language,
                helpful,
                not_helpful,
            )
            .where(FeedbackCell.day >= start, FeedbackCell.day <= end)
            .group_by(FeedbackCell.service, FeedbackCell.aspect, FeedbackCell.language)
            .order_by(FeedbackCell.service, FeedbackCell.aspect, FeedbackCell.language)
        )
    ]
    return suppress(rows)
