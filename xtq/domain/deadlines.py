"""Deadlines counted in Chinese working days.

Dates are calendar dates in Asia/Shanghai; instants are aware datetimes, stored as UTC.
Nothing here reads the clock: callers pass ``now`` in.

A deadline is an exclusive bound: ``due_at`` returns the start (00:00 Shanghai) of the day
after the last allowed day, so a question is overdue exactly when ``now >= due``.

Counting is O(1) per call: each calendar keeps a ``_DayIndex`` (working-day ordinals and
working seconds per date, for a whole range of years), built once and widened by whole years
when a date outside it is asked about.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

ACCEPT_DAYS = 1  # working days for a department to accept a question
REPLY_DAYS = 5  # working days for a department to reply
STALE_RATING_DAYS = 7  # calendar days before an unrated reply counts as stale

_ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def _package_workdays(year: int) -> frozenset[date] | None:
    """The working days of ``year`` per the chinese_calendar package; None if it has no data.

    Asked once per year and process: the package checks its whole table on every call.
    """
    first = date(year, 1, 1)
    try:
        chinese_calendar.is_workday(first)
    except NotImplementedError:
        return None
    days = (first + timedelta(days=n) for n in range(date(year + 1, 1, 1).toordinal() - first.toordinal()))
    return frozenset(d for d in days if chinese_calendar.is_workday(d))


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
        self._index: _DayIndex | None = None

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
            raise ValueError(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object at the top level")
        unknown = set(data) - {"holidays", "workdays", "years"}
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        years = data.get("years", [])
        if not isinstance(years, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
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
        package = _package_workdays(d.year)
        if package is not None:
            return d in package
        return d.weekday() < 5

    def index(self, *days: date) -> _DayIndex:
        """The day index, widened (once, by whole years) to cover every date in ``days``."""
        index = self._index
        lo, hi = min(days).year, max(days).year
        if index is None or lo < index.first.year or hi > index.last.year:
            if index is not None:
                lo, hi = min(lo, index.first.year), max(hi, index.last.year)
            index = self._index = _DayIndex(self, max(lo - 1, MINYEAR + 1), min(hi + 1, MAXYEAR - 1))
        return index

    def covers(self, year: int) -> bool:
        """Whether the holiday arrangements for ``year`` are known (package or file)."""
        return year in self.years or _package_workdays(year) is not None

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        """The years among ``years`` that fall back to Monday to Friday, sorted."""
        return sorted({y for y in years if not self.covers(y)})


class _DayIndex:
    """Working-day ordinals and working seconds for every date in whole years ``lo..hi``.

    ``before[i]`` is the number of working days before day ``i`` of the range, ``seconds[i]``
    the working seconds before its 00:00 Shanghai (Shanghai days have not always been 24
    hours long), and ``workdays`` the sorted day numbers of the working days.
    """

    def __init__(self, cal: WorkCalendar, lo: int, hi: int) -> None:
        self.first, self.last = date(lo, 1, 1), date(hi, 12, 31)
        self.base = self.first.toordinal()
        self.before = [0]
        self.seconds = [0]
        self.workdays: list[int] = []
        start = _start_of(self.first)
        d = self.first
        while d <= self.last:
            following = _start_of(d + _ONE_DAY)
            works = cal.is_workday(d)
            if works:
                self.workdays.append(d.toordinal())
            self.before.append(self.before[-1] + works)
            self.seconds.append(self.seconds[-1] + works * int((following - start).total_seconds()))
            start, d = following, d + _ONE_DAY

    def is_workday(self, d: date) -> bool:
        i = d.toordinal() - self.base
        return self.before[i + 1] > self.before[i]

    def count(self, first: date, last: date) -> int:
        """Working days in the inclusive range ``first..last`` (0 if empty)."""
        if last < first:
            return 0
        return self.before[last.toordinal() - self.base + 1] - self.before[first.toordinal() - self.base]

    def working_seconds(self, first: date, last: date) -> int:
        """Working seconds from 00:00 on ``first`` to 00:00 on the day after ``last``."""
        return self.seconds[last.toordinal() - self.base + 1] - self.seconds[first.toordinal() - self.base]

    def nth_after(self, start: date, days: int) -> date | None:
        """The ``days``-th working day after ``start``, or None if it lies beyond the range."""
        position = bisect_left(self.workdays, start.toordinal() + 1) + days - 1
        if position >= len(self.workdays):
            return None
        return date.fromordinal(self.workdays[position])

    def nth_back(self, end: date, days: int) -> date | None:
        """The ``days``-th working day counting back from ``end`` (itself included), or None if
        it lies before the range."""
        position = bisect_left(self.workdays, end.toordinal() + 1) - days
        if position < 0:
            return None
        return date.fromordinal(self.workdays[position])


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
    if last < first:
        return 0
    return cal.index(first, last).count(first, last)


def add_working_days(start: date, days: int, cal: WorkCalendar) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    horizon = start
    while (found := cal.index(start, horizon).nth_after(start, days)) is None:
        horizon += timedelta(days=7 * days + 366)  # widen past however many holidays follow
    return found


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


def late_by_cutoff(now: datetime, days: int, cal: WorkCalendar) -> datetime:
    """The moment a deadline must fall before for ``working_days_late(due, now)`` to reach ``days``.

    Lets a list of late items be filtered in SQL (``due_at < late_by_cutoff(...)``) instead of
    counting each row's days late.
    """
    _require_aware(now)
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    today = local_date(now)
    horizon = today
    while (last_day := cal.index(horizon, today).nth_back(today, days)) is None:
        horizon -= timedelta(days=7 * days + 366)
    # Due at 00:00 of a day up to ``last_day`` counts that day through today: ``days`` or more.
    return min(_start_of(last_day + _ONE_DAY), now + timedelta(microseconds=1))


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
    if end <= start:
        return 0.0
    first, last = local_date(start), local_date(end)
    index = cal.index(first, last)
    seconds = float(index.working_seconds(first, last))
    # Take off the part of the first day before ``start`` and of the last day after ``end``.
    if index.is_workday(first):
        seconds -= (start - _start_of(first)).total_seconds()
    if index.is_workday(last):
        seconds -= (_start_of(last + _ONE_DAY) - end).total_seconds()
    return seconds / 3600
