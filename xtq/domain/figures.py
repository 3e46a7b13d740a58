"""The accountability figures, defined once: what each number means and the SQL that counts it.

Every figure is computed by SQL aggregation for a scope (each department, each group, or the
whole city) and a period, from facts stored when questions move (xtq.domain.questions):
- a question belongs to the period in which it was asked, and to the department that holds it now;
- each deadline a department had is a QuestionDeadline row of *that* department, so a deadline
  that passed before a transfer still counts against the department that let it pass;
- `first_reply_working_hours` is stored with the first reply.
Hidden questions count nowhere. A share or a time on fewer than MIN_SAMPLE questions (or
deadlines) is not shown as a number: it reads 样本不足 and ranks after the others.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, case, func, or_

from xtq import clock
from xtq.domain.config import settings
from xtq.domain.deadlines import SHANGHAI, local_date
from xtq.domain.posts import public_posts
from xtq.domain.questions import overdue_filter
from xtq.extensions import db
from xtq.models import (
    DeadlineStep,
    Department,
    DeptGroup,
    FigureSnapshot,
    Post,
    Question,
    QuestionDeadline,
    QuestionStatus,
    Rating,
    StrEnum,
)
from xtq.web.cache import forget_memo, remember

MIN_SAMPLE = 5
INSUFFICIENT = _l("样本不足")
POSTS_DAYS = 30
CITY = "city"
Key = int | DeptGroup | str  # a department id, a group, or CITY


class Period(StrEnum):
    LAST_30_DAYS = "30d"
    THIS_YEAR = "year"
    ALL_TIME = "all"

    @property
    def label(self) -> str:
        return {"30d": _("近30天"), "year": _("今年"), "all": _("全部")}[self.value]


class Scope(StrEnum):
    DEPARTMENT = "department"
    GROUP = "group"
    CITY = "city"


def period_start(period: Period, now: datetime) -> datetime | None:
    """The first instant of the period: 30 days ago, 1 January 00:00 Shanghai, or None (all time)."""
    if period == Period.LAST_30_DAYS:
        return now - timedelta(days=30)
    if period == Period.THIS_YEAR:
        return datetime(local_date(now).year, 1, 1, tzinfo=SHANGHAI)
    return None


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Share:
    """`part` of `whole`, shown as a percentage only on at least MIN_SAMPLE."""

    part: int = 0
    whole: int = 0

    @property
    def percent(self) -> float | None:
        return 100 * self.part / self.whole if self.whole >= MIN_SAMPLE else None

    def __str__(self) -> str:
        return str(INSUFFICIENT) if self.percent is None else f"{self.percent:.0f}%"


@dataclass(frozen=True)
class Hours:
    """Working hours to the first reply over `n` replied questions: median and 90th percentile."""

    n: int = 0
    median: float | None = None
    p90: float | None = None

    def shown(self, value: float | None) -> float | None:
        return value if self.n >= MIN_SAMPLE else None


@dataclass(frozen=True)
class Figures:
    received: int = 0
    accepted_on_time: Share = field(default_factory=Share)
    replied: Share = field(default_factory=Share)
    replied_on_time: Share = field(default_factory=Share)
    reply_hours: Hours = field(default_factory=Hours)
    satisfaction: Share = field(default_factory=Share)
    overdue: int = 0
    posts_30d: int = 0

    def value(self, key: str) -> float | None:
        """The figure named `key` as a number, None where the sample is too small."""
        return FIGURES_BY_KEY[key].read(self)

    def text(self, key: str) -> str:
        """The figure named `key` as shown in the table: 87%, 12.5, 3 or 样本不足."""
        return FIGURES_BY_KEY[key].show(self)


EMPTY = Figures()


@dataclass(frozen=True)
class Figure:
    """One column of the accountability table and how it is explained to the public."""

    key: str
    label: str
    unit: str
    read: Callable[[Figures], float | None]
    best_high: bool  # a higher value is better (ranked first); False for times and overdue counts
    explanation: str

    @property
    def shown_unit(self) -> str:
        """The unit in the reader's language (`unit` itself is a key: 件, 条, 小时, %)."""
        return {"件": _("件"), "条": _("条"), "小时": _("小时")}.get(self.unit, self.unit)

    @property
    def is_share(self) -> bool:
        return self.unit == "%"

    def show(self, figures: Figures) -> str:
        value = self.read(figures)
        if value is None:
            return str(INSUFFICIENT)
        if self.is_share:
            return f"{value:.0f}%"
        return f"{value:.1f}" if self.unit == "小时" else str(int(value))


FIGURES: tuple[Figure, ...] = (
    Figure(
        "received",
        _l("收到提问"),
        "件",
        lambda f: f.received,
        True,
        _l("所选时段内网友提出、现在由该部门办理的问题数（转办的问题算在接手的部门）。"),
    ),
    Figure(
        "accepted_on_time",
        _l("按时受理率"),
        "%",
        lambda f: f.accepted_on_time.percent,
        True,
        _l(
            "受理期限内受理或说明不予受理的比例。分母是已有结果的受理期限：已受理、已不予受理，"
            "或期限已过仍未受理；在期限内转办给其他部门的不计入。逾期后才转办的，算在转出部门。"
        ),
    ),
    Figure(
        "replied",
        _l("答复率"),
        "%",
        lambda f: f.replied.percent,
        True,
        _l("已经答复的问题占收到提问的比例；不予受理的问题不计入分母。"),
    ),
    Figure(
        "replied_on_time",
        _l("按时答复率"),
        "%",
        lambda f: f.replied_on_time.percent,
        True,
        _l(
            "答复期限内答复的比例。答复期限包括受理后的答复、网友不满意重新办理后的答复和对追问的答复；"
            "分母是已答复或期限已过的期限。逾期时问题在哪个部门，就算哪个部门逾期，之后转办也不改变。"
        ),
    ),
    Figure(
        "median_hours",
        _l("首次答复用时中位数"),
        "小时",
        lambda f: f.reply_hours.shown(f.reply_hours.median),
        False,
        _l(
            "从部门收到问题（提问或转入）到第一次答复经过的工作时间，只计工作日（含调休上班日），"
            "每个工作日按 24 小时计，周末和节假日不计。把已答复问题的用时从短到长排列，取排在正中间的一个（共偶数个时取靠前的那个）。"
        ),
    ),
    Figure(
        "p90_hours",
        _l("首次答复用时（90%）"),
        "小时",
        lambda f: f.reply_hours.shown(f.reply_hours.p90),
        False,
        _l("同上，取从短到长排第 90% 位的用时：九成问题在这个时间之内得到第一次答复。"),
    ),
    Figure(
        "satisfaction",
        _l("满意度"),
        "%",
        lambda f: f.satisfaction.percent,
        True,
        _l("网友评价“满意”的占全部评价的比例（以最后一次评价为准）；没有评价的答复不计入。"),
    ),
    Figure(
        "overdue",
        _l("当前逾期"),
        "件",
        lambda f: f.overdue,
        False,
        _l("此刻已过期限、仍未受理或未答复的问题数，不分时段。"),
    ),
    Figure(
        "posts_30d", _l("近30天微博"), "条", lambda f: f.posts_30d, True, _l("最近 30 天公开发布的微博条数，不分时段。")
    ),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}
SAMPLE_NOTE = _l(
    "为公平起见，样本少于 %(min_sample)s 件的比例和用时不显示数字，标为“样本不足”，排名时排在其他部门之后。",
    min_sample=MIN_SAMPLE,
)
PERIOD_NOTE = _l("时段按提问时间划分，“今年”从北京时间 1 月 1 日零点算起；隐藏的问题不计入任何数字。")


# ---------------------------------------------------------------- SQL


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _key_column(scope: Scope) -> Any:
    return {Scope.DEPARTMENT: Department.id, Scope.GROUP: Department.group}.get(scope)


def _by(scope: Scope, department_fk: Any, *columns: Any) -> Select:
    """SELECT [key,] columns FROM the fk's table JOIN department, grouped by the scope's key."""
    key = _key_column(scope)
    stmt = db.select(*([key] if key is not None else []), *columns).select_from(department_fk.table)
    stmt = stmt.join(Department, Department.id == department_fk)
    return stmt.group_by(key) if key is not None else stmt


def _keyed(scope: Scope, rows: Iterable[Any]) -> Iterable[tuple]:
    for row in rows:
        yield tuple(row) if scope != Scope.CITY else (CITY, *row)


def _asked_in(since: datetime | None, now: datetime) -> ColumnElement[bool]:
    # Private questions count; one held for review (or rejected) has not reached its department.
    visible = and_(Question.hidden_at.is_(None), Question.review_state.is_(None), Question.created_at <= now)
    return visible if since is None else and_(visible, Question.created_at >= since)


def _question_counts(scope: Scope, since: datetime | None, now: datetime) -> Select:
    return _by(
        scope,
        Question.department_id,
        func.count(),
        _count_if(Question.status == QuestionStatus.DECLINED),
        _count_if(Question.first_replied_at.is_not(None)),
        _count_if(Question.rating.is_not(None)),
        _count_if(Question.rating == Rating.SATISFIED),
    ).where(_asked_in(since, now))


def _deadline_counts(scope: Scope, since: datetime | None, now: datetime) -> Select:
    d = QuestionDeadline
    decided = or_(d.met_at.is_not(None), d.due_at <= d.ended_at, and_(d.ended_at.is_(None), d.due_at <= now))
    on_time = and_(d.met_at.is_not(None), d.met_at < d.due_at)
    return (
        _by(scope, d.department_id, d.step, _count_if(decided), _count_if(on_time))
        .join(Question, Question.id == d.question_id)
        .where(_asked_in(since, now))
        .group_by(d.step)
    )


def _reply_hours(scope: Scope, since: datetime | None, now: datetime) -> Select:
    """Nearest-rank median and 90th percentile with window functions (SQLite and PostgreSQL alike)."""
    key = _key_column(scope)
    hours = Question.first_reply_working_hours
    partition = [key] if key is not None else None
    ranked = (
        db.select(
            *([key.label("key")] if key is not None else []),
            hours.label("h"),
            func.row_number().over(partition_by=partition, order_by=hours).label("rn"),
            func.count().over(partition_by=partition).label("n"),
        )
        .select_from(Question)
        .join(Department, Department.id == Question.department_id)
        .where(_asked_in(since, now), hours.is_not(None))
        .subquery()
    )
    median = func.max(case((ranked.c.rn == (ranked.c.n * 50 + 99) // 100, ranked.c.h)))
    p90 = func.max(case((ranked.c.rn == (ranked.c.n * 90 + 99) // 100, ranked.c.h)))
    keys = [ranked.c.key] if key is not None else []
    return db.select(*keys, ranked.c.n, median, p90).group_by(*keys, ranked.c.n)


def _overdue(scope: Scope, now: datetime) -> Select:
    return _by(scope, Question.department_id, func.count()).where(Question.hidden_at.is_(None), overdue_filter(now))


def _recent_posts(scope: Scope, now: datetime) -> Select:
    recent = and_(public_posts(now).whereclause, Post.published_at >= now - timedelta(days=POSTS_DAYS))
    return _by(scope, Post.department_id, func.count()).where(recent)


def table(scope: Scope, period: Period, now: datetime) -> dict[Key, Figures]:
    """Every figure for each key of the scope (department id, group, or CITY); absent keys are EMPTY."""
    return table_between(scope, period_start(period, now), now)


def table_between(scope: Scope, since: datetime | None, now: datetime) -> dict[Key, Figures]:
    """The figures of the questions asked from `since` until `now`, as they stood at `now` (monthly reports)."""
    parts: dict[Key, dict[str, Any]] = defaultdict(dict)
    run = db.session.execute
    for key, n, declined, replied, rated, satisfied in _keyed(scope, run(_question_counts(scope, since, now))):
        parts[key].update(received=n, replied=Share(replied, n - declined), satisfaction=Share(satisfied, rated))
    for key, step, decided, on_time in _keyed(scope, run(_deadline_counts(scope, since, now))):
        name = "accepted_on_time" if step == DeadlineStep.ACCEPT else "replied_on_time"
        parts[key][name] = Share(on_time, decided)
    for key, n, median, p90 in _keyed(scope, run(_reply_hours(scope, since, now))):
        parts[key]["reply_hours"] = Hours(n, median, p90)
    for key, n in _keyed(scope, run(_overdue(scope, now))):
        parts[key]["overdue"] = n
    for key, n in _keyed(scope, run(_recent_posts(scope, now))):
        parts[key]["posts_30d"] = n
    return {key: Figures(**values) for key, values in parts.items()}


def city(period: Period, now: datetime) -> Figures:
    return table(Scope.CITY, period, now).get(CITY, EMPTY)


@dataclass(frozen=True)
class Week:
    start: date  # Monday, Shanghai
    reply_rate: Share


def weekly_reply_rate(now: datetime, weeks: int = 12) -> list[Week]:
    """The city's reply rate of the questions asked in each of the last `weeks` weeks (Monday to Sunday)."""
    today = local_date(now)
    mondays = [today - timedelta(days=today.weekday() + 7 * i) for i in reversed(range(weeks))]
    starts = [datetime(d.year, d.month, d.day, tzinfo=SHANGHAI) for d in mondays]
    bucket = case(*[(Question.created_at >= start, i) for i, start in reversed(list(enumerate(starts)))])
    asked = (
        db.select(bucket.label("week"), Question.status, Question.first_replied_at)
        .where(_asked_in(starts[0], now))
        .subquery()
    )
    rows = db.session.execute(
        db.select(
            asked.c.week,
            func.count(),
            _count_if(asked.c.status == QuestionStatus.DECLINED),
            _count_if(asked.c.first_replied_at.is_not(None)),
        ).group_by(asked.c.week)
    )
    shares = {week: Share(replied, n - declined) for week, n, declined, replied in rows}
    return [Week(monday, shares.get(i, Share())) for i, monday in enumerate(mondays)]


# ---------------------------------------------------------------- ranking and caching

T = TypeVar("T")


def ranked(rows: Sequence[tuple[T, Figures]], key: str, descending: bool) -> list[tuple[T, Figures]]:
    """Rows ordered by the figure `key`; rows whose figure reads 样本不足 come last, in their given order."""
    shown = [r for r in rows if r[1].value(key) is not None]
    hidden = [r for r in rows if r[1].value(key) is None]
    return sorted(shown, key=lambda r: r[1].value(key) or 0.0, reverse=descending) + hidden


@dataclass(frozen=True)
class Codec:
    """How one kind of figures goes into a snapshot's JSON and back."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _encode_figures(f: Figures) -> list:
    h = f.reply_hours
    return [
        f.received,
        *(_pair(getattr(f, n)) for n in ("accepted_on_time", "replied", "replied_on_time", "satisfaction")),
        [h.n, h.median, h.p90],
        f.overdue,
        f.posts_30d,
    ]


def _pair(share: Share) -> list[int]:
    return [share.part, share.whole]


def _decode_figures(v: list) -> Figures:
    received, accepted, replied, replied_on_time, satisfaction, hours, overdue, posts = v
    return Figures(
        received,
        Share(*accepted),
        Share(*replied),
        Share(*replied_on_time),
        Hours(*hours),
        Share(*satisfaction),
        overdue,
        posts,
    )


def _encode_key(key: Key) -> list:
    return ["g", key.value] if isinstance(key, DeptGroup) else ["d", key] if isinstance(key, int) else ["c", key]


def _decode_key(v: list) -> Key:
    kind, key = v
    return DeptGroup(key) if kind == "g" else key


TABLE = Codec(
    lambda t: [[_encode_key(k), _encode_figures(f)] for k, f in t.items()],
    lambda v: {_decode_key(k): _decode_figures(f) for k, f in v},
)
WEEKS = Codec(
    lambda ws: [[w.start.isoformat(), *_pair(w.reply_rate)] for w in ws],
    lambda v: [Week(date.fromisoformat(d), Share(p, w)) for d, p, w in v],
)
PLAIN = Codec(lambda x: x, lambda x: x)


def cached(name: tuple, compute: Callable[[], T], codec: Codec = PLAIN) -> T:
    """Figures as pages read them: from this process's memo (FIGURES_CACHE_SECONDS), else from the
    stored snapshot (younger than FIGURES_MAX_AGE), else computed now and stored.

    With FIGURES_CACHE_SECONDS = 0 (the tests) they are always computed afresh.
    """
    if settings().figures_cache_seconds <= 0:
        return compute()
    return remember(("figures", *name), lambda: _stored(name, compute, codec), "FIGURES_CACHE_SECONDS")


def _stored(name: tuple, compute: Callable[[], T], codec: Codec) -> T:
    key = "/".join(str(part) for part in name)
    row = db.session.get(FigureSnapshot, key)
    real_now = clock.real_now()  # a snapshot ages in real time, whatever the demo clock says
    if row is not None and (real_now - row.computed_at).total_seconds() < settings().figures_max_age:
        return codec.decode(json.loads(row.payload))
    value = compute()
    store(key, codec.encode(value), real_now)
    return value


def store(key: str, payload: Any, computed_at: datetime) -> None:
    """Write one snapshot in its own short transaction (a reading page has nothing else to commit)."""
    table_ = FigureSnapshot.__table__
    with db.engine.begin() as connection:
        connection.execute(table_.delete().where(table_.c.key == key))
        connection.execute(
            table_.insert().values(key=key, computed_at=computed_at, payload=json.dumps(payload, ensure_ascii=False))
        )


def forget() -> None:
    """Drop every snapshot (the demo clock moved, or the data was rebuilt): pages compute afresh."""
    db.session.execute(db.delete(FigureSnapshot))
    forget_memo()


def refresh(now: datetime, progress: Callable[[str], None] = lambda _: None) -> int:
    """Compute and store every snapshot the pages read (for cron: `flask figures-refresh`)."""
    real_now = clock.real_now()
    jobs = [
        (("table", scope, period), lambda s=scope, p=period: table(s, p, now), TABLE)
        for scope in Scope
        for period in Period
    ]
    jobs += [(("weekly",), lambda: weekly_reply_rate(now), WEEKS), (("screen",), lambda: _screen(now), PLAIN)]
    for name, compute, codec in jobs:
        key = "/".join(str(part) for part in name)
        progress(key)
        store(key, codec.encode(compute()), real_now)
    forget_memo()
    return len(jobs)


def cached_table(scope: Scope, period: Period, now: datetime) -> dict[Key, Figures]:
    return cached(("table", scope, period), lambda: table(scope, period, now), TABLE)


def cached_city(period: Period, now: datetime) -> Figures:
    return cached_table(Scope.CITY, period, now).get(CITY, EMPTY)


def cached_weekly(now: datetime) -> list[Week]:
    return cached(("weekly",), lambda: weekly_reply_rate(now), WEEKS)


def department_total() -> int:
    return db.session.scalar(db.select(func.count()).select_from(Department)) or 0


def screen_counts(now: datetime) -> dict[str, int | float | None]:
    """The big screen's four counters: departments, posts, questions and the reply rate (all time)."""
    return cached(("screen",), lambda: _screen(now))


def _screen(now: datetime) -> dict[str, int | float | None]:
    city = table(Scope.CITY, Period.ALL_TIME, now).get(CITY, EMPTY)
    posts = db.session.scalar(public_posts(now).with_only_columns(func.count()).order_by(None)) or 0
    rate = city.replied.percent
    return {
        "departments": department_total(),
        "posts": posts,
        "questions": city.received,
        "reply_rate": None if rate is None else round(rate),
    }
