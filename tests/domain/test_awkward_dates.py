"""Deadlines and the demo clock on the days that broke suites before: every CI run covers them,
whatever the date it runs on (the whole suite is also run pinned to each: XTQ_TEST_DATE)."""

from datetime import date, timedelta

import pytest

from tests.helpers import sh
from xtq.demo import clock as demo_clock
from xtq.domain import deadlines
from xtq.domain.deadlines import ACCEPT_DAYS, REPLY_DAYS, WorkCalendar, add_working_days, local_date
from xtq.domain.settings import SiteState

AWKWARD = {
    "a Sunday": date(2026, 11, 29),
    "a Monday": date(2026, 11, 30),
    "the working Saturday before the Spring Festival week": date(2026, 2, 14),
    "New Year's Eve, the last day chinese-calendar covers": date(2026, 12, 31),
    "the day before Spring Festival 2026": date(2026, 2, 16),
    "the first day after chinese-calendar's data (Monday to Friday fallback)": date(2027, 1, 1),
}
DAYS = pytest.mark.parametrize("day", AWKWARD.values(), ids=AWKWARD.keys())
CAL = WorkCalendar()


def workdays_between(first: date, last: date) -> int:
    """Working days after `first` up to and including `last`, walked one by one."""
    return sum(CAL.is_workday(first + timedelta(days=n)) for n in range(1, (last - first).days + 1))


@DAYS
@pytest.mark.parametrize("days", [ACCEPT_DAYS, REPLY_DAYS])
def test_a_deadline_ends_after_exactly_its_working_days(day, days):
    asked = sh(year=day.year, month=day.month, day=day.day, hour=10)
    due = deadlines.due_at(asked, days, CAL)
    last_day = local_date(due - timedelta(microseconds=1))
    assert CAL.is_workday(last_day) and workdays_between(day, last_day) == days
    assert deadlines.working_days_late(due, asked, CAL) == 0
    assert deadlines.working_days_left(due, asked, CAL) == days + CAL.is_workday(day)
    first_late_workday = add_working_days(last_day, 1, CAL)
    late = sh(year=first_late_workday.year, month=first_late_workday.month, day=first_late_workday.day, hour=9)
    assert deadlines.working_days_late(due, late, CAL) == 1 and deadlines.working_days_left(due, late, CAL) == 0


@DAYS
@pytest.mark.parametrize("days", [1, 3])
def test_the_demo_clock_moves_by_working_days_from_any_day(app, day, days):
    now = sh(year=day.year, month=day.month, day=day.day, hour=10) + timedelta(microseconds=50_000)
    done = demo_clock.advance(None, days, now=now, cal=CAL, state=SiteState(demo_mode=True))
    assert local_date(done.now) == add_working_days(day, days, CAL)
    assert done.now - now >= timedelta(days=days)  # never less than the calendar days, to the microsecond
    assert (done.now - now) % timedelta(days=1) == timedelta(0)  # the same time of day
