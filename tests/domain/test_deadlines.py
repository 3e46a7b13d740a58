"""Working-day deadlines, checked against the official State Council holiday arrangements.

Every expected date below was worked out by hand from the published arrangements (and
checked against the chinese_calendar data), not computed with the code under test.
Shanghai time is written with a fixed +08:00 offset so the tests do not depend on zoneinfo.
"""

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.helpers import sh
from xtq.domain.deadlines import (
    ACCEPT_DAYS,
    REPLY_DAYS,
    STALE_RATING_DAYS,
    WorkCalendar,
    add_working_days,
    due_at,
    local_date,
    working_days_late,
    working_days_left,
    working_hours_between,
)

CST = timezone(timedelta(hours=8))


def end_of(d: date) -> datetime:
    """The exclusive deadline for last allowed day ``d``: 00:00 Shanghai the next day."""
    return datetime(d.year, d.month, d.day, tzinfo=CST).astimezone(UTC) + timedelta(days=1)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def write_holidays(tmp_path, data) -> str:
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_defaults():
    assert (ACCEPT_DAYS, REPLY_DAYS, STALE_RATING_DAYS) == (1, 5, 7)


@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        # 2025 Spring Festival: off 1/28-2/4, make-up Sun 1/26 and Sat 2/8.
        (date(2025, 1, 25), False),
        (date(2025, 1, 26), True),
        (date(2025, 1, 28), False),
        (date(2025, 2, 4), False),
        (date(2025, 2, 8), True),
        # 2026 Spring Festival: off 2/15-2/23, make-up Sat 2/14 and Sat 2/28.
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        # 2025 National Day: off 10/1-10/8, make-up Sun 9/28 and Sat 10/11.
        (date(2025, 9, 28), True),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        # 2026: Mid-autumn off 9/25-9/27, National Day off 10/1-10/7, make-up Sun 9/20, Sat 10/10.
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        # 2027 has no package data: plain Monday to Friday.
        (date(2027, 1, 1), True),
        (date(2027, 1, 2), False),
    ],
)
def test_is_workday_follows_official_arrangements(cal, day, is_workday):
    assert cal.is_workday(day) is is_workday


@pytest.mark.parametrize(
    ("asked", "days", "last_day"),
    [
        # Fri before Spring Festival 2025: 1/26 (Sun make-up), 1/27, [1/28-2/4 off], 2/5, 2/6, 2/7.
        (sh(year=2025, month=1, day=24, hour=10), REPLY_DAYS, date(2025, 2, 7)),
        (sh(year=2025, month=1, day=24, hour=10), ACCEPT_DAYS, date(2025, 1, 26)),
        # Asked Mon 1/27: [1/28-2/4 off], 2/5, 2/6, 2/7, 2/8 (Sat make-up), 2/10.
        (sh(year=2025, month=1, day=27, hour=9), REPLY_DAYS, date(2025, 2, 10)),
        # Asked on a holiday (2025-01-30): accept by the first day back.
        (sh(year=2025, month=1, day=30, hour=15), ACCEPT_DAYS, date(2025, 2, 5)),
        # Fri before Spring Festival 2026: 2/14 (Sat make-up), [2/15-2/23 off], 2/24 .. 2/27.
        (sh(year=2026, month=2, day=13, hour=11), REPLY_DAYS, date(2026, 2, 27)),
        # Asked on the make-up Saturday itself (start not counted): 2/24 .. 2/27, 2/28 (Sat).
        (sh(year=2026, month=2, day=14, hour=11), REPLY_DAYS, date(2026, 2, 28)),
        # Asked during the holiday: 2/24, 2/25, 2/26, 2/27, 2/28.
        (sh(year=2026, month=2, day=17, hour=20), REPLY_DAYS, date(2026, 2, 28)),
        (sh(year=2026, month=2, day=17, hour=20), ACCEPT_DAYS, date(2026, 2, 24)),
        # National Day 2025, asked Fri 9/26: 9/28 (Sun make-up), 9/29, 9/30, 10/9, 10/10.
        (sh(year=2025, month=9, day=26, hour=16), REPLY_DAYS, date(2025, 10, 10)),
        # Asked Tue 9/30: 10/9, 10/10, 10/11 (Sat make-up), 10/13, 10/14.
        (sh(year=2025, month=9, day=30, hour=16), REPLY_DAYS, date(2025, 10, 14)),
        # 2026, asked Fri 9/18: 9/20 (Sun make-up), 9/21, 9/22, 9/23, 9/24.
        (sh(year=2026, month=9, day=18, hour=10), REPLY_DAYS, date(2026, 9, 24)),
        # Asked Thu 9/24: [9/25-9/27 off], 9/28, 9/29, 9/30, [10/1-10/7 off], 10/8, 10/9.
        (sh(year=2026, month=9, day=24, hour=10), REPLY_DAYS, date(2026, 10, 9)),
        # Asked Wed 9/30: 10/8, 10/9, 10/10 (Sat make-up), 10/12, 10/13.
        (sh(year=2026, month=9, day=30, hour=10), REPLY_DAYS, date(2026, 10, 13)),
        # Ordinary Saturday 2025-03-15: Mon 3/17 .. Fri 3/21.
        (sh(year=2025, month=3, day=15, hour=10), ACCEPT_DAYS, date(2025, 3, 17)),
        (sh(year=2025, month=3, day=15, hour=10), REPLY_DAYS, date(2025, 3, 21)),
    ],
)
def test_due_at(cal, asked, days, last_day):
    assert add_working_days(local_date(asked), days, cal) == last_day
    due = due_at(asked, days, cal)
    assert due == end_of(last_day)
    assert due.utcoffset() == timedelta(0)


def test_due_is_start_of_next_shanghai_day_in_utc(cal):
    # Last day Fri 2025-02-07; deadline 2025-02-08 00:00 Shanghai = 2025-02-07 16:00 UTC.
    assert due_at(sh(year=2025, month=1, day=24, hour=10), REPLY_DAYS, cal) == datetime(2025, 2, 7, 16, tzinfo=UTC)


def test_local_date_crosses_midnight_before_utc_does():
    assert local_date(datetime(2025, 1, 24, 15, 59, 59, tzinfo=UTC)) == date(2025, 1, 24)
    assert local_date(datetime(2025, 1, 24, 16, 0, tzinfo=UTC)) == date(2025, 1, 25)
    # 17:30 UTC on Friday is already Saturday 01:30 in Shanghai.
    assert local_date(datetime(2025, 1, 24, 17, 30, tzinfo=UTC)) == date(2025, 1, 25)


def test_deadline_counts_from_the_shanghai_date(cal):
    # Thu 2025-01-23 23:30 Shanghai: accept by Fri 1/24.
    assert due_at(datetime(2025, 1, 23, 15, 30, tzinfo=UTC), 1, cal) == end_of(date(2025, 1, 24))
    # Thu 17:30 UTC is Fri 01:30 Shanghai: accept by the make-up Sunday 1/26.
    assert due_at(datetime(2025, 1, 23, 17, 30, tzinfo=UTC), 1, cal) == end_of(date(2025, 1, 26))


def test_add_working_days_rejects_less_than_one(cal):
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2025, 3, 10), 0, cal)


def test_naive_datetimes_are_rejected(cal):
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2025, 3, 10, 9))
    with pytest.raises(ValueError, match="naive"):
        working_days_late(sh(year=2025, month=3, day=10), datetime(2025, 3, 11), cal)


# Asked Fri 2025-03-07: last day Fri 3/14, due 2025-03-15 00:00 Shanghai.
ORDINARY_DUE = end_of(date(2025, 3, 14))
# Asked Fri 2025-01-24: last day Fri 2025-02-07; the next day, Sat 2/8, is a make-up workday.
FESTIVAL_DUE = end_of(date(2025, 2, 7))
# Asked Mon 2025-09-29 (accept): last day Tue 9/30; then the National Day holiday 10/1-10/8.
NATIONAL_DAY_DUE = end_of(date(2025, 9, 30))


@pytest.mark.parametrize(
    ("due", "now", "late", "left"),
    [
        (ORDINARY_DUE, sh(year=2025, month=3, day=7, hour=10), 0, 6),  # Fri 3/7 counts: 3/7, 3/10-3/14
        (ORDINARY_DUE, sh(year=2025, month=3, day=8, hour=10), 0, 5),  # weekend: 3/10-3/14
        (ORDINARY_DUE, sh(year=2025, month=3, day=14, hour=23, minute=59, second=59), 0, 1),
        (ORDINARY_DUE, sh(year=2025, month=3, day=15, hour=0), 0, 0),  # overdue on Saturday, no working day late yet
        (ORDINARY_DUE, sh(year=2025, month=3, day=16, hour=12), 0, 0),
        (ORDINARY_DUE, sh(year=2025, month=3, day=17, hour=9), 1, 0),
        (ORDINARY_DUE, sh(year=2025, month=3, day=18, hour=9), 2, 0),
        (FESTIVAL_DUE, sh(year=2025, month=1, day=24, hour=10), 0, 6),  # 1/24, 1/26, 1/27, 2/5, 2/6, 2/7
        (FESTIVAL_DUE, sh(year=2025, month=1, day=30, hour=10), 0, 3),  # during the holiday: 2/5, 2/6, 2/7
        (FESTIVAL_DUE, sh(year=2025, month=2, day=7, hour=23, minute=59, second=59), 0, 1),
        (FESTIVAL_DUE, sh(year=2025, month=2, day=8, hour=0), 1, 0),  # make-up Saturday is a working day late
        (FESTIVAL_DUE, sh(year=2025, month=2, day=9, hour=12), 1, 0),  # Sunday adds nothing
        (FESTIVAL_DUE, sh(year=2025, month=2, day=10, hour=9), 2, 0),
        (NATIONAL_DAY_DUE, sh(year=2025, month=10, day=5, hour=12), 0, 0),  # overdue, but only holidays so far
        (NATIONAL_DAY_DUE, sh(year=2025, month=10, day=9, hour=9), 1, 0),
        (NATIONAL_DAY_DUE, sh(year=2025, month=10, day=12, hour=9), 3, 0),  # 10/9, 10/10, 10/11 (Sat make-up)
        (NATIONAL_DAY_DUE, sh(year=2025, month=10, day=13, hour=9), 4, 0),
    ],
)
def test_working_days_late_and_left(cal, due, now, late, left):
    assert working_days_late(due, now, cal) == late
    assert working_days_left(due, now, cal) == left


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (sh(year=2025, month=3, day=12, hour=9), sh(year=2025, month=3, day=12, hour=11, minute=30), 2.5),
        (
            sh(year=2025, month=3, day=14, hour=10),
            sh(year=2025, month=3, day=17, hour=10),
            24.0,
        ),  # Fri 14h + weekend 0 + Mon 10h
        (
            sh(year=2025, month=1, day=27, hour=18),
            sh(year=2025, month=2, day=5, hour=9),
            15.0,
        ),  # Mon 6h + holiday 0 + Wed 9h
        (
            sh(year=2025, month=2, day=1, hour=12),
            sh(year=2025, month=2, day=5, hour=1),
            1.0,
        ),  # starts during the holiday
        (
            sh(year=2025, month=2, day=7, hour=20),
            sh(year=2025, month=2, day=9, hour=8),
            28.0,
        ),  # Fri 4h + make-up Sat 24h + Sun 0
        (sh(year=2025, month=3, day=12, hour=9), sh(year=2025, month=3, day=12, hour=9), 0.0),
        (sh(year=2025, month=3, day=12, hour=9), sh(year=2025, month=3, day=11, hour=9), 0.0),  # end before start
    ],
)
def test_working_hours_between(cal, start, end, hours):
    assert working_hours_between(start, end, cal) == pytest.approx(hours)


def test_2027_without_holidays_file_falls_back_to_weekdays(tmp_path):
    cal = WorkCalendar.from_file(tmp_path / "missing.json")
    assert cal.covers(2026) and not cal.covers(2027)
    assert cal.uncovered_years([2026, 2027, 2027, 2028]) == [2027, 2028]
    # Asked Thu 2026-12-31: Fri 2027-01-01 counts as a plain weekday.
    assert due_at(sh(year=2026, month=12, day=31, hour=10), ACCEPT_DAYS, cal) == end_of(date(2027, 1, 1))
    # 2027-01-01, 01-04, 01-05, 01-06, 01-07.
    assert due_at(sh(year=2026, month=12, day=31, hour=10), REPLY_DAYS, cal) == end_of(date(2027, 1, 7))


def test_holidays_file_overrides_win(tmp_path):
    # A made-up 2027 arrangement: New Year's Day off, make-up workday on Sat 2027-01-09.
    path = write_holidays(tmp_path, {"holidays": ["2027-01-01"], "workdays": ["2027-01-09"], "years": [2027]})
    cal = WorkCalendar.from_file(path)
    assert cal.covers(2027)
    assert cal.uncovered_years([2026, 2027]) == []
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))
    assert not cal.is_workday(date(2027, 1, 10))  # unlisted Sunday: still a weekend
    # Asked Thu 2026-12-31: 1/4 (accept); 1/4, 1/5, 1/6, 1/7, 1/8 (reply).
    assert due_at(sh(year=2026, month=12, day=31, hour=10), ACCEPT_DAYS, cal) == end_of(date(2027, 1, 4))
    assert due_at(sh(year=2026, month=12, day=31, hour=10), REPLY_DAYS, cal) == end_of(date(2027, 1, 8))


def test_holidays_file_overrides_package_data(tmp_path):
    path = write_holidays(tmp_path, {"holidays": ["2025-03-12"], "workdays": ["2025-02-02"]})
    cal = WorkCalendar.from_file(path)
    assert not cal.is_workday(date(2025, 3, 12))  # an ordinary Wednesday in the package
    assert cal.is_workday(date(2025, 2, 2))  # Spring Festival holiday in the package
    assert not cal.covers(2027)  # overrides alone do not declare a year covered


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{\n  "holidays": ["2027-01-01",]\n}', "line 2, column 29"),
        ('{"holidays": ["2027-02-30"]}', "'2027-02-30'"),
        ('{"workdays": ["2027-1-9"]}', "'2027-1-9'"),
        ('{"holidays": "2027-01-01"}', '"holidays" must be a list'),
        ('{"years": ["2027"]}', '"years" must be a list of integers'),
        ('["2027-01-01"]', "JSON object"),
        ('{"holiday": []}', "unknown keys"),
        ('{"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}', "both holiday and workday"),
    ],
)
def test_malformed_holidays_file(tmp_path, text, problem):
    path = tmp_path / "holidays.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as excinfo:
        WorkCalendar.from_file(path)
    message = str(excinfo.value)
    assert str(path) in message
    assert problem in message
