"""The one place the hall reads the time and its working-day calendar.

Rules never call these: views and commands pass `now` and the calendar to them.
In demo mode the clock may run ahead of real time (`flask demo --advance N`).
"""

from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_app_context, has_request_context, request

from xtq.domain.deadlines import SHANGHAI, WorkCalendar

__all__ = ["SHANGHAI", "now", "real_now", "wall_now", "work_calendar"]


def real_now() -> datetime:
    """The wall clock, whatever the demo clock says."""
    return datetime.now(UTC)


def wall_now() -> datetime:
    """The wall clock as other servers read it: the Date of signed requests to and from the
    fediverse. Neither the demo clock nor the test suite's pinned clock moves it, because the
    servers on the other end (a real peer in the tests, too) check it against their own."""
    return datetime.now(UTC)


def now() -> datetime:
    """The hall's time: real time, plus the demo clock's lead when the hall runs in demo mode.

    One request reads it once: every card and row of a page is judged at the same moment, and
    the site state behind the demo clock is not looked up again for each of them.
    """
    if has_request_context():
        moment = getattr(request, "xtq_now", None)
        if moment is None:
            moment = request.xtq_now = _now()
        return moment
    return _now()


def _now() -> datetime:
    moment = real_now()
    if not has_app_context():
        return moment
    from xtq.web import site_state

    state = site_state.current()
    return moment + state.clock_offset if state.demo_mode else moment


def work_calendar() -> WorkCalendar:
    """The deployment's calendar: built-in holidays plus instance/holidays.json, loaded once."""
    extensions = current_app.extensions
    if "xtq_calendar" not in extensions:
        extensions["xtq_calendar"] = WorkCalendar.from_file(Path(current_app.instance_path) / "holidays.json")
    return extensions["xtq_calendar"]
