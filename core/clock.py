"""One notion of "now" for every part: aware UTC datetimes."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
