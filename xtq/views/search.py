"""Search over posts, questions and replies."""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from xtq import clock, search
from xtq.domain import departments
from xtq.web.templating import SHANGHAI

bp = Blueprint("search", __name__)

MAX_QUERY = 50


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValueError(_("日期格式应为 2026-01-31。")) from None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), SHANGHAI)


@bp.get("/search")
def results():
    """Search with filters by kind, department and date; exact matches first, newest first, matches highlighted."""
    args = request.args
    query = args.get("q", "").strip()[:MAX_QUERY]
    kind = args.get("kind") if args.get("kind") in search.KINDS else None
    dept = departments.by_slug(args.get("dept", "")) if args.get("dept") else None
    error, found = None, None
    try:
        since, until = _day(args.get("since")), _day(args.get("until"))
    except ValueError as e:
        error, since, until = str(e), None, None
    page = args.get("page", "1")
    page = int(page) if page.isdigit() else 1
    if query and not error:
        found = search.find(
            query,
            now=clock.now(),
            kind=kind,
            department_id=dept.id if dept else None,
            since=_start_of(since) if since else None,
            until=_start_of(until + timedelta(days=1)) if until else None,
            page=page,
        )
    all_departments = departments.all_in_order()
    return render_template(
        "search/results.html",
        query=query,
        kind=kind,
        dept=dept,
        since=args.get("since", ""),
        until=args.get("until", ""),
        found=found,
        error=error,
        kinds=search.KINDS,
        groups=departments.grouped(all_departments),
        names={d.id: d for d in all_departments},
    )
