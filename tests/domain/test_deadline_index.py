"""The indexed working-day arithmetic agrees with a plain day-by-day walk.

The walks below are the definitions, written the slow obvious way with ``is_workday``. Dates
run from 1985 (Shanghai kept summer time 1986-1991, so some days are 23 or 25 hours long)
through years the chinese_calendar package covers into fallback years (Monday to Friday), with
holidays-file overrides, and one calendar answers many questions so its index has to widen.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xtq.domain.deadlines import (
    SHANGHAI,
    WorkCalendar,
    add_working_days,
    late_by_cutoff,
    local_date,
    working_days_late,
    working_days_left,
    working_hours_between,
)

DAY = timedelta(days=1)
FIRST, LAST = date(1985, 1, 1), date(2032, 12, 31)


def walk_count(first: date, last: date, cal: WorkCalendar) -> int:
    count, d = 0, first
    while d <= last:
        count += cal.is_workday(d)
        d += DAY
    return count


def walk_add(start: date, days: int, cal: WorkCalendar) -> date:
    d = start
    while days:
        d += DAY
        days -= cal.is_workday(d)
    return d


def start_of(d: date) -> datetime:
    return datetime.combine(d, time(), tzinfo=SHANGHAI).astimezone(UTC)


def walk_hours(start: datetime, end: datetime, cal: WorkCalendar) -> float:
    seconds, d = 0.0, local_date(start)
    while start_of(d) < end:
        if cal.is_workday(d):
            overlap = min(end, start_of(d + DAY)) - max(start, start_of(d))
            seconds += max(overlap.total_seconds(), 0.0)
        d += DAY
    return seconds / 3600


dates = st.dates(min_value=FIRST, max_value=LAST)
instants = st.datetimes(min_value=datetime(1985, 1, 1), max_value=datetime(2032, 12, 1), timezones=st.just(UTC))


@st.composite
def calendars(draw) -> WorkCalendar:
    """No overrides, or a holidays file's overrides and covered years."""
    changed = draw(st.lists(dates, max_size=40, unique=True))
    split = draw(st.integers(0, len(changed)))
    years = draw(st.lists(st.integers(FIRST.year, LAST.year), max_size=3))
    return WorkCalendar(changed[:split], changed[split:], years)


@st.composite
def spans(draw) -> tuple[datetime, datetime]:
    """Two instants up to about two years apart, in either order."""
    start = draw(instants)
    return start, start + timedelta(seconds=draw(st.integers(-86_400 * 30, 86_400 * 800)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), cases=st.lists(spans(), min_size=1, max_size=6))
def test_counts_agree_with_a_walk(cal, cases):
    for a, b in cases:
        first, last = local_date(a), local_date(b)
        late = walk_count(first, last, cal) if b >= a else 0
        left = walk_count(first, local_date(b - timedelta(microseconds=1)), cal) if b > a else 0
        assert working_days_late(a, b, cal) == late
        assert working_days_left(b, a, cal) == left
        assert working_hours_between(a, b, cal) == pytest.approx(walk_hours(a, b, cal), abs=1e-6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), cases=st.lists(st.tuples(dates, st.integers(1, 400)), min_size=1, max_size=6))
def test_adding_agrees_with_a_walk(cal, cases):
    for start, days in cases:
        assert add_working_days(start, days, cal) == walk_add(start, days, cal)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cal=calendars(), cases=st.lists(st.tuples(spans(), st.integers(1, 30)), min_size=1, max_size=6))
def test_the_late_cutoff_agrees_with_counting(cal, cases):
    for (due, now), days in cases:
        assert (due < late_by_cutoff(now, days, cal)) == (working_days_late(due, now, cal) >= days)


def test_overrides_change_the_answer():
    """Positive control: the properties above compare answers that differ between calendars."""
    day = date(2027, 3, 1)  # a Monday in a fallback year
    due, now = start_of(day), start_of(day) + timedelta(hours=1)
    assert working_days_late(due, now, WorkCalendar()) == walk_count(day, day, WorkCalendar()) == 1
    closed = WorkCalendar(holidays=[day])
    assert working_days_late(due, now, closed) == walk_count(day, day, closed) == 0


def test_a_long_holiday_run_is_crossed():
    """A holidays file closing more than a year still finds the next working day."""
    start = date(2027, 1, 1)
    cal = WorkCalendar(holidays=[start + timedelta(days=n) for n in range(1, 500)])
    assert add_working_days(start, 1, cal) == walk_add(start, 1, cal) > start + timedelta(days=499)
