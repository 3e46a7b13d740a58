"""Deadlines counted in Chinese working days.

Dates are calendar dates in Asia/Shanghai; instants are aware datetimes, stored as UTC.
Nothing here reads the clock: callers pass ``now`` in.

A deadline is an exclusive bound: ``due_at`` returns the start (00:00 Shanghai) of the day
after the last allowed day, so a question is overdue exactly when ``now >= due``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

ACCEPT_DAYS = 1  # working days for a department to accept a question
REPLY_DAYS = 5  # working days for a department to reply
STALE_RATING_DAYS = 7  # calendar days before an unrated reply counts as stale

_ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=None)
def _package_covers(year: int) -> bool:
    """Whether the chinese_calendar package has holiday data for ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkCalendar:
    """Decides whether a date is a working day in mainland China.

    Sources, first match wins: the deployment's overrides (holidays file), then the
    chinese_calendar package, then plain Monday to Friday.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        years: Iterable[int] = (),
    ) -> None:
        self.holidays = frozenset(holidays)
        self.workdays = frozenset(workdays)
        self.years = frozenset(years)
        if both := self.holidays & self.workdays:
            raise ValueError(f"dates listed as both holiday and workday: {sorted(both)}")

    @classmethod
    def from_file(cls, path: str | Path) -> WorkCalendar:
        """Load overrides from a JSON holidays file; a missing file means no overrides.

        Format: {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...],
        "years": [2027]}, where "years" lists the years the file fully covers.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object at the top level")
        unknown = set(data) - {"holidays", "workdays", "years"}
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        years = data.get("years", [])
        if not isinstance(years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) for y in years
        ):
            raise ValueError(f'{path}: "years" must be a list of integers, e.g. [2027]')
        holidays = _parse_dates(data, "holidays", path)
        workdays = _parse_dates(data, "workdays", path)
        try:
            return cls(holidays, workdays, years)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from exc

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        if _package_covers(d.year):
            return bool(chinese_calendar.is_workday(d))
        return d.weekday() < 5

    def covers(self, year: int) -> bool:
        """Whether the holiday arrangements for ``year`` are known (package or file)."""
        return year in self.years or _package_covers(year)

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        """The years among ``years`` that fall back to Monday to Friday, sorted."""
        return sorted({y for y in years if not self.covers(y)})


def _parse_dates(data: dict[str, object], key: str, path: Path) -> list[date]:
    """Parse the list of "YYYY-MM-DD" strings under ``key``."""
    values = data.get(key, [])
    if not isinstance(values, list):
        raise ValueError(f'{path}: "{key}" must be a list of "YYYY-MM-DD" strings')
    dates: list[date] = []
    for value in values:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValueError(f'{path}: "{key}" has bad date {value!r}, expected "YYYY-MM-DD"')
        try:
            dates.append(date.fromisoformat(value))
        except ValueError as exc:
            raise ValueError(f'{path}: "{key}" has bad date {value!r}: {exc}') from exc
    return dates


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware (UTC) datetime")


def local_date(moment: datetime) -> date:
    """The Shanghai calendar date of an aware instant."""
    _require_aware(moment)
    return moment.astimezone(SHANGHAI).date()


def _start_of(d: date) -> datetime:
    """00:00 Shanghai on ``d``, as an aware UTC datetime."""
    return datetime.combine(d, time(), tzinfo=SHANGHAI).astimezone(UTC)


def _count_workdays(first: date, last: date, cal: WorkCalendar) -> int:
    """Working days in the inclusive range ``first..last`` (0 if empty)."""
    count, d = 0, first
    while d <= last:
        count += cal.is_workday(d)
        d += _ONE_DAY
    return count


def add_working_days(start: date, days: int, cal: WorkCalendar) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    d = start
    while days:
        d += _ONE_DAY
        days -= cal.is_workday(d)
    return d


def due_at(moment: datetime, days: int, cal: WorkCalendar) -> datetime:
    """Deadline for something that started at ``moment``, as an aware UTC datetime.

    The last allowed day is the ``days``-th working day after the Shanghai date of
    ``moment``; the deadline is 00:00 Shanghai the next day (exclusive), so the whole of
    the last day is allowed and the item is overdue when ``now >= due``.
    """
    return _start_of(add_working_days(local_date(moment), days, cal) + _ONE_DAY)


def working_days_late(due: datetime, now: datetime, cal: WorkCalendar) -> int:
    """Working days from the first day past ``due`` up to today (Shanghai), inclusive.

    0 if not yet due. Being overdue on a weekend or holiday right after the deadline
    still gives 0 until the next working day, which counts as 1.
    """
    _require_aware(due)
    _require_aware(now)
    if now < due:
        return 0
    return _count_workdays(local_date(due), local_date(now), cal)


def working_days_left(due: datetime, now: datetime, cal: WorkCalendar) -> int:
    """Working days from today (Shanghai, inclusive) to the last allowed day; 0 if overdue."""
    _require_aware(due)
    _require_aware(now)
    if now >= due:
        return 0
    last_day = local_date(due - timedelta(microseconds=1))
    return _count_workdays(local_date(now), last_day, cal)


def working_hours_between(start: datetime, end: datetime, cal: WorkCalendar) -> float:
    """Hours elapsed from ``start`` to ``end``, counting only time on working days.

    Each working day contributes up to 24 hours (Shanghai midnight to midnight);
    non-working days contribute nothing. Returns 0.0 if ``end <= start``.
    """
    _require_aware(start)
    _require_aware(end)
    seconds = 0.0
    d = local_date(start)
    while (day_start := _start_of(d)) < end:
        next_start = _start_of(d + _ONE_DAY)
        if cal.is_workday(d):
            overlap = min(end, next_start) - max(start, day_start)
            seconds += max(overlap.total_seconds(), 0.0)
        d += _ONE_DAY
    return seconds / 3600
