"""When district staff answer: working days, Norwegian holidays, time zones and the sentences.

The expected dates below are written out by hand (and the holiday rules recomputed here from a
separate Easter calculation), never taken from the `holidays` package the module uses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.office_hours import (
    AnswerExpectation,
    OfficeHours,
    describe_expectation,
    expect_answer,
    is_working_day,
    next_working_day,
)

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


def oslo(y: int, mo: int, d: int, h: int, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=OSLO)


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


D = date

# (moment, expected answer day, today?, opens later today?)
MOMENTS = [
    # An ordinary week: Tuesday 24 November 2026.
    pytest.param(oslo(2026, 11, 24, 7, 30), D(2026, 11, 24), True, True, id="tue-early"),
    pytest.param(oslo(2026, 11, 24, 7, 59, 59), D(2026, 11, 24), True, True, id="tue-07:59:59"),
    pytest.param(oslo(2026, 11, 24, 8, 0), D(2026, 11, 24), True, False, id="tue-opening"),
    pytest.param(oslo(2026, 11, 24, 10, 0), D(2026, 11, 24), True, False, id="tue-morning"),
    pytest.param(oslo(2026, 11, 24, 13, 45), D(2026, 11, 24), True, False, id="tue-afternoon"),
    pytest.param(oslo(2026, 11, 24, 14, 59, 59), D(2026, 11, 24), True, False, id="tue-14:59:59"),
    pytest.param(oslo(2026, 11, 24, 15, 0), D(2026, 11, 25), False, False, id="tue-closing"),
    pytest.param(oslo(2026, 11, 24, 15, 1), D(2026, 11, 25), False, False, id="tue-15:01"),
    pytest.param(oslo(2026, 11, 24, 23, 59), D(2026, 11, 25), False, False, id="tue-night"),
    pytest.param(oslo(2026, 11, 25, 0, 0), D(2026, 11, 25), True, True, id="wed-midnight"),
    pytest.param(oslo(2026, 11, 27, 9, 0), D(2026, 11, 27), True, False, id="fri-morning"),
    pytest.param(oslo(2026, 11, 27, 16, 0), D(2026, 11, 30), False, False, id="fri-evening"),
    pytest.param(oslo(2026, 11, 28, 11, 0), D(2026, 11, 30), False, False, id="saturday"),
    pytest.param(oslo(2026, 11, 29, 20, 0), D(2026, 11, 30), False, False, id="sunday"),
    # Easter 2026 (Easter Sunday 5 April): Maundy Thursday 2, Good Friday 3, Easter Monday 6.
    pytest.param(oslo(2026, 4, 1, 10, 0), D(2026, 4, 1), True, False, id="2026-easter-wed"),
    pytest.param(oslo(2026, 4, 1, 15, 30), D(2026, 4, 7), False, False, id="2026-easter-wed-pm"),
    pytest.param(oslo(2026, 4, 2, 9, 0), D(2026, 4, 7), False, False, id="2026-maundy-thu"),
    pytest.param(oslo(2026, 4, 3, 12, 0), D(2026, 4, 7), False, False, id="2026-good-friday"),
    pytest.param(oslo(2026, 4, 4, 12, 0), D(2026, 4, 7), False, False, id="2026-easter-sat"),
    pytest.param(oslo(2026, 4, 6, 7, 0), D(2026, 4, 7), False, False, id="2026-easter-mon"),
    pytest.param(oslo(2026, 4, 7, 7, 0), D(2026, 4, 7), True, True, id="2026-easter-tue"),
    # Easter 2027 (Easter Sunday 28 March): 25, 26 and 29 March.
    pytest.param(oslo(2027, 3, 24, 15, 0), D(2027, 3, 30), False, False, id="2027-easter-wed-pm"),
    pytest.param(oslo(2027, 3, 25, 10, 0), D(2027, 3, 30), False, False, id="2027-maundy-thu"),
    pytest.param(oslo(2027, 3, 26, 10, 0), D(2027, 3, 30), False, False, id="2027-good-friday"),
    pytest.param(oslo(2027, 3, 29, 14, 0), D(2027, 3, 30), False, False, id="2027-easter-mon"),
    pytest.param(oslo(2027, 3, 30, 7, 45), D(2027, 3, 30), True, True, id="2027-easter-tue"),
    # 1 May: a Friday in 2026, a Saturday in 2027, a Monday in 2028.
    pytest.param(oslo(2026, 4, 30, 15, 0), D(2026, 5, 4), False, False, id="2026-may-day-eve"),
    pytest.param(oslo(2026, 5, 1, 10, 0), D(2026, 5, 4), False, False, id="2026-may-day"),
    pytest.param(oslo(2027, 4, 30, 16, 0), D(2027, 5, 3), False, False, id="2027-may-day-sat"),
    pytest.param(oslo(2028, 4, 28, 16, 0), D(2028, 5, 2), False, False, id="2028-may-day-mon"),
    # Ascension Day: Thursday 14 May 2026, Thursday 6 May 2027.
    pytest.param(oslo(2026, 5, 13, 15, 0), D(2026, 5, 15), False, False, id="2026-ascension-eve"),
    pytest.param(oslo(2026, 5, 14, 10, 0), D(2026, 5, 15), False, False, id="2026-ascension"),
    pytest.param(oslo(2027, 5, 5, 16, 0), D(2027, 5, 7), False, False, id="2027-ascension-eve"),
    # Whit Monday: 25 May 2026; 17 May 2027 (Constitution Day as well).
    pytest.param(oslo(2026, 5, 22, 16, 0), D(2026, 5, 26), False, False, id="2026-whitsun-fri"),
    pytest.param(oslo(2026, 5, 25, 9, 0), D(2026, 5, 26), False, False, id="2026-whit-monday"),
    pytest.param(oslo(2027, 5, 14, 16, 0), D(2027, 5, 18), False, False, id="2027-whit-17-may"),
    # 17 May: a Sunday in 2026 (no day off in lieu), a Wednesday in 2028.
    pytest.param(oslo(2026, 5, 15, 16, 0), D(2026, 5, 18), False, False, id="2026-17-may-sun"),
    pytest.param(oslo(2028, 5, 16, 16, 0), D(2028, 5, 18), False, False, id="2028-17-may-eve"),
    pytest.param(oslo(2028, 5, 17, 10, 0), D(2028, 5, 18), False, False, id="2028-17-may"),
    # Christmas: 24 December is a working day; 25 and 26 December are not.
    pytest.param(oslo(2026, 12, 24, 10, 0), D(2026, 12, 24), True, False, id="2026-xmas-eve-am"),
    pytest.param(oslo(2026, 12, 24, 15, 30), D(2026, 12, 28), False, False, id="2026-xmas-eve"),
    pytest.param(oslo(2026, 12, 25, 12, 0), D(2026, 12, 28), False, False, id="2026-xmas-day"),
    pytest.param(oslo(2027, 12, 24, 16, 0), D(2027, 12, 27), False, False, id="2027-xmas-eve"),
    pytest.param(oslo(2025, 12, 24, 16, 0), D(2025, 12, 29), False, False, id="2025-xmas-eve"),
    # New Year.
    pytest.param(oslo(2025, 12, 31, 15, 0), D(2026, 1, 2), False, False, id="2025-new-years-eve"),
    pytest.param(oslo(2026, 12, 31, 16, 0), D(2027, 1, 4), False, False, id="2026-new-years-eve"),
    pytest.param(oslo(2027, 1, 1, 10, 0), D(2027, 1, 4), False, False, id="2027-new-years-day"),
    # Given in UTC (or elsewhere): what counts is the time in Oslo.
    pytest.param(utc(2026, 11, 24, 23, 30), D(2026, 11, 25), True, True, id="utc-next-day-oslo"),
    pytest.param(utc(2026, 11, 27, 23, 30), D(2026, 11, 30), False, False, id="utc-fri-is-sat"),
    pytest.param(utc(2026, 6, 30, 22, 30), D(2026, 7, 1), True, True, id="utc-summer-next-day"),
    pytest.param(utc(2026, 11, 24, 14, 30), D(2026, 11, 25), False, False, id="utc-14:30-winter"),
    pytest.param(utc(2026, 6, 9, 12, 59), D(2026, 6, 9), True, False, id="utc-12:59-summer"),
    pytest.param(utc(2026, 6, 9, 13, 30), D(2026, 6, 10), False, False, id="utc-13:30-summer"),
    pytest.param(
        datetime(2026, 11, 24, 9, 30, tzinfo=NEW_YORK),
        D(2026, 11, 25),
        False,
        False,
        id="new-york-morning",
    ),
    # Naive datetimes are Oslo time.
    pytest.param(datetime(2026, 11, 24, 14, 0), D(2026, 11, 24), True, False, id="naive-14:00"),
    pytest.param(datetime(2026, 11, 24, 15, 0), D(2026, 11, 25), False, False, id="naive-15:00"),
    # Summer time starts on Sunday 29 March 2026 (02:00 CET becomes 03:00 CEST).
    pytest.param(utc(2026, 3, 27, 13, 30), D(2026, 3, 27), True, False, id="dst-fri-14:30-cet"),
    pytest.param(utc(2026, 3, 27, 14, 0), D(2026, 3, 30), False, False, id="dst-fri-15:00-cet"),
    pytest.param(utc(2026, 3, 28, 23, 30), D(2026, 3, 30), False, False, id="dst-sun-00:30"),
    pytest.param(utc(2026, 3, 29, 1, 30), D(2026, 3, 30), False, False, id="dst-sun-03:30"),
    pytest.param(utc(2026, 3, 30, 5, 30), D(2026, 3, 30), True, True, id="dst-mon-07:30-cest"),
    pytest.param(utc(2026, 3, 30, 6, 30), D(2026, 3, 30), True, False, id="dst-mon-08:30-cest"),
    pytest.param(utc(2026, 3, 30, 12, 30), D(2026, 3, 30), True, False, id="dst-mon-14:30-cest"),
    pytest.param(utc(2026, 3, 30, 13, 0), D(2026, 3, 31), False, False, id="dst-mon-15:00-cest"),
    # Summer time ends on Sunday 25 October 2026 (03:00 CEST becomes 02:00 CET).
    pytest.param(utc(2026, 10, 23, 13, 30), D(2026, 10, 26), False, False, id="dst-fri-15:30"),
    pytest.param(utc(2026, 10, 25, 0, 30), D(2026, 10, 26), False, False, id="dst-sun-02:30"),
    pytest.param(utc(2026, 10, 25, 1, 30), D(2026, 10, 26), False, False, id="dst-sun-02:30-b"),
    pytest.param(utc(2026, 10, 26, 6, 30), D(2026, 10, 26), True, True, id="dst-mon-07:30-cet"),
    pytest.param(utc(2026, 10, 26, 13, 59), D(2026, 10, 26), True, False, id="dst-mon-14:59-cet"),
    pytest.param(utc(2026, 10, 26, 14, 0), D(2026, 10, 27), False, False, id="dst-mon-15:00-cet"),
    # In 2027 summer time starts on Easter Sunday itself.
    pytest.param(utc(2027, 3, 28, 1, 30), D(2027, 3, 30), False, False, id="dst-easter-2027"),
]


@pytest.mark.parametrize(("moment", "day", "today", "opens_later"), MOMENTS)
def test_expect_answer(moment: datetime, day: date, today: bool, opens_later: bool) -> None:
    assert expect_answer(moment) == AnswerExpectation(day, today, opens_later)


def test_the_default_hours_are_eight_to_three() -> None:
    assert OfficeHours() == OfficeHours(time(8, 0), time(15, 0))
    assert expect_answer(oslo(2026, 11, 24, 10), OfficeHours()) == expect_answer(
        oslo(2026, 11, 24, 10)
    )


@pytest.mark.parametrize(
    ("moment", "day", "today", "opens_later"),
    [
        (oslo(2026, 11, 24, 9, 0), D(2026, 11, 24), True, True),
        (oslo(2026, 11, 24, 9, 30), D(2026, 11, 24), True, False),
        (oslo(2026, 11, 24, 13, 59), D(2026, 11, 24), True, False),
        (oslo(2026, 11, 24, 14, 0), D(2026, 11, 25), False, False),
    ],
)
def test_other_office_hours(moment: datetime, day: date, today: bool, opens_later: bool) -> None:
    hours = OfficeHours.parse("09:30-14:00")
    assert expect_answer(moment, hours) == AnswerExpectation(day, today, opens_later, time(9, 30))


# -- Working days, checked against holiday rules worked out here -----------------------------


def easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def norwegian_public_holidays(year: int) -> set[date]:
    easter = easter_sunday(year)
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17)}
    fixed |= {date(year, 12, 25), date(year, 12, 26)}
    moving = {easter + timedelta(days=n) for n in (-3, -2, 0, 1, 39, 49, 50)}
    return fixed | moving


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2038, D(2038, 4, 25)),
    ],
)
def test_the_easter_calculation_here(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


@pytest.mark.parametrize("year", range(2020, 2041))
def test_working_days_are_weekdays_that_are_not_holidays(year: int) -> None:
    holidays_here = norwegian_public_holidays(year)
    day = date(year, 1, 1)
    while day.year == year:
        assert is_working_day(day) == (day.weekday() < 5 and day not in holidays_here), day
        day += timedelta(days=1)


def test_working_days_in_2026() -> None:
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    # 261 weekdays, less eight holidays on weekdays: 1 Jan, 2, 3 and 6 April, 1 May, 14 May,
    # 25 May, 25 December (17 May is a Sunday and 26 December a Saturday).
    assert sum(map(is_working_day, days)) == 253


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 11, 24), True),
        (D(2026, 11, 28), False),
        (D(2026, 11, 29), False),
        (D(2026, 4, 2), False),
        (D(2026, 4, 3), False),
        (D(2026, 4, 6), False),
        (D(2026, 5, 1), False),
        (D(2028, 5, 17), False),
        (D(2026, 5, 14), False),
        (D(2026, 5, 25), False),
        (D(2026, 12, 24), True),
        (D(2026, 12, 25), False),
        (D(2025, 12, 26), False),
        (D(2026, 12, 31), True),
        (D(2027, 1, 1), False),
        (D(2027, 12, 27), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("day", "following"),
    [
        (D(2026, 11, 24), D(2026, 11, 25)),
        (D(2026, 11, 27), D(2026, 11, 30)),
        (D(2026, 11, 28), D(2026, 11, 30)),
        (D(2026, 4, 1), D(2026, 4, 7)),
        (D(2026, 12, 23), D(2026, 12, 24)),
        (D(2026, 12, 24), D(2026, 12, 28)),
        (D(2026, 12, 31), D(2027, 1, 4)),
        (D(2027, 5, 14), D(2027, 5, 18)),
    ],
)
def test_next_working_day_is_strictly_after(day: date, following: date) -> None:
    assert next_working_day(day) == following


# -- The sentences ---------------------------------------------------------------------------

TUESDAY = D(2026, 11, 24)


@pytest.mark.parametrize(
    ("expectation", "language", "sentence"),
    [
        (AnswerExpectation(TUESDAY, True, False), "nb", "Du kan vente svar i dag."),
        (AnswerExpectation(TUESDAY, True, True), "nb", "Du kan vente svar i dag, etter klokka 08."),
        (AnswerExpectation(TUESDAY, False, False), "nb", "Du kan vente svar tirsdag 24. november."),
        (AnswerExpectation(TUESDAY, True, False), "nn", "Du kan venta svar i dag."),
        (AnswerExpectation(TUESDAY, True, True), "nn", "Du kan venta svar i dag, etter klokka 08."),
        (AnswerExpectation(TUESDAY, False, False), "nn", "Du kan venta svar tysdag 24. november."),
        (AnswerExpectation(TUESDAY, True, False), "en", "You can expect an answer today."),
        (
            AnswerExpectation(TUESDAY, True, True),
            "en",
            "You can expect an answer today, after 08:00.",
        ),
        (
            AnswerExpectation(TUESDAY, False, False),
            "en",
            "You can expect an answer on Tuesday 24 November.",
        ),
        (
            AnswerExpectation(TUESDAY, True, True, time(8, 30)),
            "nb",
            "Du kan vente svar i dag, etter klokka 08.30.",
        ),
        (
            AnswerExpectation(TUESDAY, True, True, time(9, 30)),
            "en",
            "You can expect an answer today, after 09:30.",
        ),
        (
            AnswerExpectation(D(2027, 1, 4), False, False),
            "nb",
            "Du kan vente svar mandag 4. januar.",
        ),
        (
            AnswerExpectation(D(2026, 4, 7), False, False),
            "nn",
            "Du kan venta svar tysdag 7. april.",
        ),
        (
            AnswerExpectation(D(2027, 12, 27), False, False),
            "en",
            "You can expect an answer on Monday 27 December.",
        ),
    ],
)
def test_describe_expectation(expectation: AnswerExpectation, language: str, sentence: str) -> None:
    assert describe_expectation(expectation, language) == sentence


WEEK = [D(2026, 11, 23) + timedelta(days=n) for n in range(7)]  # Monday to Sunday


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("nb", ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]),
        ("nn", ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"]),
        ("en", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    ],
)
def test_every_weekday_name(language: str, names: list[str]) -> None:
    for day, name in zip(WEEK, names, strict=True):
        sentence = describe_expectation(AnswerExpectation(day, False, False), language)
        assert f" {name} {day.day}" in sentence


NORWEGIAN_MONTHS = (
    "januar februar mars april mai juni juli august september oktober november desember"
)
ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
)


@pytest.mark.parametrize(
    ("language", "names", "separator"),
    [("nb", NORWEGIAN_MONTHS, ". "), ("nn", NORWEGIAN_MONTHS, ". "), ("en", ENGLISH_MONTHS, " ")],
)
def test_every_month_name(language: str, names: str, separator: str) -> None:
    for month, name in enumerate(names.split(), start=1):
        expectation = AnswerExpectation(D(2026, month, 2), False, False)
        assert describe_expectation(expectation, language).endswith(f" 2{separator}{name}.")


def test_from_a_moment_to_a_sentence() -> None:
    assert (
        describe_expectation(expect_answer(utc(2026, 11, 27, 15, 0)), "nb")
        == "Du kan vente svar mandag 30. november."
    )
    hours = OfficeHours.parse("08:30-15:00")
    assert (
        describe_expectation(expect_answer(oslo(2026, 11, 24, 7, 0), hours), "nn")
        == "Du kan venta svar i dag, etter klokka 08.30."
    )


@pytest.mark.parametrize("language", ["", "no", "NB", "nb-NO", "se", "sv"])
def test_unknown_languages_are_refused(language: str) -> None:
    with pytest.raises(ValueError, match="Unknown language"):
        describe_expectation(AnswerExpectation(TUESDAY, True, False), language)


# -- OfficeHours.parse -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "hours"),
    [
        ("08:00-15:00", OfficeHours()),
        ("8:30-16:00", OfficeHours(time(8, 30), time(16, 0))),
        (" 09:00 – 14:30 ", OfficeHours(time(9, 0), time(14, 30))),
        ("00:00-23:59", OfficeHours(time(0, 0), time(23, 59))),
    ],
)
def test_parse(spec: str, hours: OfficeHours) -> None:
    assert OfficeHours.parse(spec) == hours


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "must be written like"),
        ("08-15", "must be written like"),
        ("08:00", "must be written like"),
        ("08:00-", "must be written like"),
        ("8.00-15.00", "must be written like"),
        ("08:00 til 15:00", "must be written like"),
        ("kl. 08:00-15:00", "must be written like"),
        ("08:00-15:00-16:00", "must be written like"),
        ("25:00-26:00", "does not exist"),
        ("08:60-15:00", "does not exist"),
        ("08:00-24:00", "does not exist"),
        ("15:00-08:00", "open before they close"),
        ("08:00-08:00", "open before they close"),
    ],
)
def test_parse_refuses(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OfficeHours.parse(spec)


def test_office_hours_must_open_before_closing() -> None:
    with pytest.raises(ValueError, match="open before they close"):
        OfficeHours(time(15, 0), time(8, 0))
