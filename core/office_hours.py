"""When can someone expect an answer from this service's district staff?

Staff handle requests on working days (Monday to Friday, not Norwegian public holidays) within
our office hours, by default 08:00-15:00 Oslo time. The hours are a setting of this service, not
a fact about the district offices.

Standard library plus `holidays` (and the sentences in core/texts.py) only, and Python 3.10
syntax, so either environment can use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

from core.texts import MONTHS, TEXTS, WEEKDAYS

if TYPE_CHECKING:
    from core.language import Language

__all__ = [
    "DEFAULT_HOURS",
    "OSLO",
    "AnswerExpectation",
    "OfficeHours",
    "describe_expectation",
    "expect_answer",
    "is_working_day",
    "next_working_day",
]

OSLO = ZoneInfo("Europe/Oslo")

_SPEC = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*[-–]\s*([0-9]{1,2}):([0-9]{2})\s*")


@dataclass(frozen=True)
class OfficeHours:
    """The part of a working day when our district staff handle requests (Oslo time)."""

    opens: time = time(8, 0)
    closes: time = time(15, 0)

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError(
                f"Office hours must open before they close, not {self.opens:%H:%M}-"
                f"{self.closes:%H:%M}"
            )

    @classmethod
    def parse(cls, spec: str) -> OfficeHours:
        """Office hours written as "08:00-15:00" (24-hour clock, Oslo time)."""
        match = _SPEC.fullmatch(spec)
        if match is None:
            raise ValueError(f'Office hours must be written like "08:00-15:00", not {spec!r}')
        open_h, open_m, close_h, close_m = (int(part) for part in match.groups())
        try:
            opens, closes = time(open_h, open_m), time(close_h, close_m)
        except ValueError:
            raise ValueError(f"Office hours {spec!r} name a time that does not exist") from None
        return cls(opens, closes)


DEFAULT_HOURS = OfficeHours()


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a Norwegian public holiday."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class AnswerExpectation:
    """The day an answer can be expected.

    `today` is whether that is the day of the moment asked about; `opens_later_today` whether
    staff start later that same day (at `opens`).
    """

    day: date
    today: bool
    opens_later_today: bool
    opens: time = DEFAULT_HOURS.opens


def expect_answer(moment: datetime, hours: OfficeHours = DEFAULT_HOURS) -> AnswerExpectation:
    """When a request made at `moment` can expect an answer.

    An aware `moment` is converted to Oslo time; a naive one is taken to be Oslo time already.
    On a working day before closing time the answer comes today; otherwise on the next working
    day.
    """
    local = moment.replace(tzinfo=OSLO) if moment.tzinfo is None else moment.astimezone(OSLO)
    today, now = local.date(), local.time()
    if is_working_day(today) and now < hours.closes:
        return AnswerExpectation(today, True, now < hours.opens, hours.opens)
    return AnswerExpectation(next_working_day(today), False, False, hours.opens)


def _clock(at: time, language: Language) -> str:
    if language == "en":
        return f"{at:%H:%M}"
    return f"{at:%H}" if at.minute == 0 else f"{at:%H.%M}"


def describe_expectation(expectation: AnswerExpectation, language: str) -> str:
    """One short sentence in "nb", "nn" or "en" saying when to expect an answer."""
    if language not in WEEKDAYS:
        raise ValueError(f'Unknown language {language!r}; use "nb", "nn" or "en"')
    day = expectation.day
    if not expectation.today:
        weekday, month = WEEKDAYS[language][day.weekday()], MONTHS[language][day.month - 1]
        return TEXTS["answer_on_day"][language].format(weekday=weekday, day=day.day, month=month)
    if expectation.opens_later_today:
        opens = _clock(expectation.opens, language)
        return TEXTS["answer_later_today"][language].format(time=opens)
    return TEXTS["answer_today"][language]
