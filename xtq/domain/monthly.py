"""月度通报: the monthly report, generated from the figures once a month has ended, then frozen.

`generate_due(now)` is the scheduled job: it writes the report of every ended month that has
none yet (normally just last month). Run it from cron as `flask monthly-report`; a job
scheduler (the queue being built on branch fed) should call the same function daily.

A report holds the figures of the questions asked in its month as they stood when the month
ended, and the previous month's the same way, so the change from month to month is worked
out from frozen numbers; extensions and 督办 per department; and the most improved departments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from xtq.domain import figures, office
from xtq.domain.deadlines import SHANGHAI, local_date
from xtq.domain.errors import DomainError
from xtq.domain.figures import CITY, Figures, Scope
from xtq.extensions import db
from xtq.models import Department, DeptGroup, MonthlyReport, Question

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
IMPROVED_SHOWN = 3


def parse_month(text: str) -> date | None:
    m = MONTH_RE.match(text or "")
    return date(int(m.group(1)), int(m.group(2)), 1) if m else None


def month_key(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def _next(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _previous(first: date) -> date:
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def _start(first: date) -> datetime:
    return datetime(first.year, first.month, 1, tzinfo=SHANGHAI)


def _snapshot(first: date) -> dict:
    since, until = _start(first), _start(_next(first))
    counts = office.counts_by_department(since, until)
    departments = figures.table_between(Scope.DEPARTMENT, since, until)
    return {
        "city": figures._encode_figures(figures.table_between(Scope.CITY, since, until).get(CITY, figures.EMPTY)),
        "groups": {
            g.value: figures._encode_figures(f) for g, f in figures.table_between(Scope.GROUP, since, until).items()
        },
        "departments": {str(k): figures._encode_figures(f) for k, f in departments.items()},
        "counts": {str(k): v for k, v in counts.items()},
    }


def generate(first: date, now: datetime) -> MonthlyReport:
    """Write the report of the month starting `first`; refused before the month ends or a second time."""
    key = month_key(first)
    if now < _start(_next(first)):
        raise DomainError(_("%(month)s 还没有结束，不能生成月度通报。", month=key))
    if db.session.get(MonthlyReport, key) is not None:
        raise DomainError(_("%(month)s 的月度通报已经生成，不再改变。", month=key))
    payload = {"month": key, "this": _snapshot(first), "previous": _snapshot(_previous(first))}
    row = MonthlyReport(month=key, generated_at=now, payload=json.dumps(payload, ensure_ascii=False))
    db.session.add(row)
    return row


def generate_due(now: datetime) -> list[str]:
    """The scheduled job: a report for every ended month since the first question that has none yet."""
    first_asked = db.session.scalar(db.select(db.func.min(Question.created_at)))
    if first_asked is None:
        return []
    month, last_ended = local_date(first_asked).replace(day=1), _previous(local_date(now).replace(day=1))
    done = set(db.session.scalars(db.select(MonthlyReport.month)))
    made = []
    while month <= last_ended:
        if month_key(month) not in done:
            generate(month, now)
            made.append(month_key(month))
        month = _next(month)
    return made


def listing() -> list[str]:
    return list(db.session.scalars(db.select(MonthlyReport.month).order_by(MonthlyReport.month.desc())))


# ---------------------------------------------------------------- reading a frozen report


@dataclass(frozen=True)
class Line:
    """One department's (or group's, or the city's) month, with the change from the month before."""

    name: str
    slug: str | None
    this: Figures
    previous: Figures
    extensions: int = 0
    supervisions: int = 0

    def change(self, key: str) -> float | None:
        now, before = self.this.value(key), self.previous.value(key)
        return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Report:
    month: str
    generated_at: datetime
    city: Line
    groups: list[Line]
    departments: list[Line]

    def most_improved(self, key: str = "replied_on_time") -> list[Line]:
        improved = [d for d in self.departments if (d.change(key) or 0) > 0]
        return sorted(improved, key=lambda d: -(d.change(key) or 0))[:IMPROVED_SHOWN]


def read(key: str) -> Report | None:
    row = db.session.get(MonthlyReport, key)
    if row is None:
        return None
    data = json.loads(row.payload)
    this, prev = data["this"], data["previous"]

    def figs(part: dict, name: str, k: str) -> Figures:
        value = part[name].get(k)
        return figures._decode_figures(value) if value else figures.EMPTY

    departments = []
    for d in db.session.scalars(db.select(Department).order_by(Department.position, Department.id)):
        counts = this["counts"].get(str(d.id), {})
        departments.append(
            Line(
                d.short_name,
                d.slug,
                figs(this, "departments", str(d.id)),
                figs(prev, "departments", str(d.id)),
                counts.get("extensions", 0),
                counts.get("supervisions", 0),
            )
        )
    groups = [Line(g.label, None, figs(this, "groups", g.value), figs(prev, "groups", g.value)) for g in DeptGroup]
    city = Line(
        _("全市"),
        None,
        figures._decode_figures(this["city"]),
        figures._decode_figures(prev["city"]),
        sum(d.extensions for d in departments),
        sum(d.supervisions for d in departments),
    )
    return Report(row.month, row.generated_at, city, groups, departments)
