"""Time counted in office hours only: what staff figures are measured in."""

from datetime import UTC, datetime, timedelta

from core.office_hours import OSLO, OfficeHours, is_working_day


def office_minutes(start: datetime, end: datetime, hours: OfficeHours) -> float:
    """Minutes between two aware moments that fall in office hours on working days (Oslo)."""
    if end <= start:
        return 0.0
    local_start, local_end = start.astimezone(OSLO), end.astimezone(OSLO)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if is_working_day(day):
            opens = datetime.combine(day, hours.opens, OSLO)
            closes = datetime.combine(day, hours.closes, OSLO)
            overlap = min(closes, local_end) - max(opens, local_start)
            total += max(overlap, timedelta(0)).total_seconds() / 60
        day += timedelta(days=1)
    return round(total, 2)


def oslo_day_hour(moment: datetime) -> tuple[datetime, int]:
    """The Oslo date (as midnight) and hour of an aware moment."""
    local = moment.astimezone(UTC).astimezone(OSLO)
    return local, local.hour
