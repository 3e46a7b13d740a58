"""The public hall: home, directory, a department's hall, and the health check."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from xtq import clock
from xtq.domain import alerts, departments, figures, metoo, posts, questions
from xtq.extensions import db
from xtq.models import Post
from xtq.pagination import paginate
from xtq.views import hall_publishing
from xtq.views.question_display import rows
from xtq.web import charts, page_cache
from xtq.web.cache import remember

bp = Blueprint("hall", __name__)


@bp.get("/")
@page_cache.for_readers()
def index():
    """Hall home: latest posts from every department, groups, hot topics, headline figures."""
    page_cache.shows(page_cache.POSTS, page_cache.HOT)  # the figures are a snapshot (FIGURES_CACHE_SECONDS)
    now = clock.now()
    page = paginate(
        posts.public_posts(now), Post.published_at, Post.id, request.args.get("after"), current_app.config["PAGE_SIZE"]
    )
    all_departments = departments.names_in_order()
    my_notices = alerts.mine(current_user, now) if current_user.is_authenticated else None
    context = hall_publishing.home_context(now)
    if my_notices:  # mine stand first; the city-wide box keeps the rest
        context["notices"] = [n for n in context["notices"] if n not in my_notices]
    return render_template(
        "hall/index.html",
        page=page,
        groups=departments.grouped(all_departments),
        topics=remember(("hot_topics",), lambda: posts.hot_topics(now - timedelta(days=30), now)),
        hot_questions=remember(("hot_questions",), lambda: metoo.hot_titles(now)),
        my_notices=my_notices,
        departments_total=len(all_departments),
        headline=figures.cached_city(figures.Period.THIS_YEAR, now),
        **context,
    )


@bp.get("/directory")
@page_cache.for_readers()
def directory():
    """Every department, by group, with its figures."""
    page_cache.shows()  # names; the figures are a snapshot (FIGURES_CACHE_SECONDS)
    now = clock.now()
    return render_template(
        "hall/directory.html",
        groups=departments.grouped(departments.all_in_order()),
        counts=figures.cached_table(figures.Scope.DEPARTMENT, figures.Period.THIS_YEAR, now),
        empty=figures.EMPTY,
    )


@bp.get("/hall/<slug>")
@page_cache.for_readers()
def department(slug: str):
    """A department's hall: profile, contacts, posts and questions."""
    dept = departments.by_slug(slug) or abort(404)
    page_cache.depends_on(dept.id)
    now = clock.now()
    own = figures.cached_table(figures.Scope.DEPARTMENT, figures.Period.THIS_YEAR, now).get(dept.id, figures.EMPTY)
    viewer = current_user if current_user.is_authenticated else None
    question_rows = rows(questions.recent_for_department(dept.id), viewer, now, clock.work_calendar())
    return render_template(
        "hall/department.html",
        dept=dept,
        own=own,
        question_rows=question_rows,
        chart=_compare_chart(dept, own, figures.cached_city(figures.Period.THIS_YEAR, now)),
        **hall_publishing.department_context(dept, now, request.args.get("after")),
    )


COMPARED = ("accepted_on_time", "replied", "replied_on_time", "satisfaction")


def _compare_chart(dept, own: figures.Figures, city: figures.Figures) -> charts.BarChart:
    """The department's shares beside the city's, this year."""
    rows, tones = [], []
    for key in COMPARED:
        label = figures.FIGURES_BY_KEY[key].label
        rows += [(label, own.value(key), own.text(key)), (_("全市"), city.value(key), city.text(key))]
        tones += ["main", "city"]
    return charts.bar_chart(
        _("%(short_name)s今年与全市对比", short_name=dept.short_name), rows, maximum=100.0, tones=tones
    )


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 when the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}
