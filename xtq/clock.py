"""The one place the hall reads the time and its working-day calendar.

Rules never call these: views and commands pass `now` and the calendar to them.
"""

from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from xtq.domain.deadlines import WorkCalendar


def now() -> datetime:
    return datetime.now(timezone.utc)


def work_calendar() -> WorkCalendar:
    """The deployment's calendar: built-in holidays plus instance/holidays.json, loaded once."""
    extensions = current_app.extensions
    if "xtq_calendar" not in extensions:
        extensions["xtq_calendar"] = WorkCalendar.from_file(Path(current_app.instance_path) / "holidays.json")
    return extensions["xtq_calendar"]
