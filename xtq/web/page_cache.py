"""Whole pages kept a few seconds in one store for the server's workers (xtq/web/stores.py): for
anonymous readers as they are, for signed-in readers as skeletons with the per-reader parts filled in
at serve time; and ETags for browsers.

Anonymous readers. A GET from a reader without a remember cookie and with no session, or a session
that holds nothing but a CSRF token (left by a visit to a page with a form) and Flask-Login's
"_fresh" flag, is answered from the
cache when the same URL, in the same language and care mode, was rendered less than
PAGE_CACHE_SECONDS ago and nothing it shows has changed since. A response that sets a cookie or
touches the session (a CSRF token, a flash), puts a CSRF token in the page, is not a 200, or says
no-store, is never kept. Those pages carry an ETag and `Cache-Control: no-cache`: a browser that comes
back with If-None-Match gets 304 and no body.

Signed-in readers. A view marked ``@for_readers()`` is rendered once per (URL, language, care mode,
reader class) as a skeleton in which xtq/web/holes.py leaves the per-reader parts as markers (the
header's account menu and unread count, follow and 同问 state, every CSRF token); each request
fills them for its reader (each hole's HTML, and the reader's user row, xtq/web/login.py, are kept
until the next write, so a reader who comes back sends no query, except on a question's page, where
a citizen's class needs the question's asker). The reader class is everything
else the page may depend on: staff by department and title, the admin, citizens together, each with
their notice districts (the home page's "我的公告"). A citizen who asked a question the public may
not read gets a class of their own (lists show it to them); on a question's page, its asker, staff
and the admin get one too. A page that holds a flash, or whose request wrote, is never kept.

Invalidation by what changed. An entry keeps the stamps (xtq/web/stamps.py, files in the instance
folder shared by the workers) it depends on and their values when it was rendered; a hit reads them
again. Every commit that writes touches content.stamp, which a page depends on unless it says what it
shows; one stamp per department whose rows it changed (an after_flush listener places each changed
row by its department, question, question event or post); a stamp per list shown across departments
that it may change (public post cards, listed questions' rows, the hottest questions); and, for a
write it cannot place (a department renamed, a user's shown name, a setting), site.stamp. A row
placed by a question (the question itself, its events, 同问, photos, notes, deadlines, links to
posts, …) also touches that question's bucket stamp, one of QUESTION_BUCKETS files, and so does a
change to a post the question cites. A view that shows one department's content says so with
``depends_on(department_id)`` (its hall, its inbox), a question's page with
``depends_on(question=id)``, one that shows lists across departments with ``shows(POSTS, ...)`` (the
home page, the timeline; the directory shows names only); each is then kept across other writes (a
question's page across writes to the other questions of its department, except for its staff, whose
forms list their department's posts and templates). Time alone (a scheduled post coming due, a
notice ending) shows within PAGE_CACHE_SECONDS, figures within FIGURES_CACHE_SECONDS; 0 turns the
cache (not the ETags) off. A page that changes by time only by the day says so with ``lasts()`` (a
question's page: QUESTION_PAGE_SECONDS).
"""

import functools
import hashlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request, session
from flask.globals import request_ctx
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ColumnClause

from xtq import clock
from xtq.domain import questions
from xtq.extensions import page_cache
from xtq.i18n import LANG_COOKIE
from xtq.models import (
    AuditLog,
    Department,
    EventKind,
    MeToo,
    Notification,
    Post,
    PostStatus,
    Question,
    QuestionEvent,
    QuestionPostLink,
    QuestionStatus,
    Report,
    User,
)
from xtq.views.prefs import CARE_COOKIE
from xtq.web import holes, stamps
from xtq.web.cache import until_written

CONTENT = stamps.CONTENT  # touched by every write
SITE = "site.stamp"  # touched by writes that cannot be placed in a department
# The lists that pages across departments show (``shows``), each touched when it may change:
POSTS = "posts.stamp"  # public post cards, notices, topics: a public post written, edited, hidden, pinned, commented
QUESTIONS = "questions.stamp"  # listed questions' rows: any change to a listed question, a 同问, a follow-up
HOT = "hot.stamp"  # the hottest questions: a 同问, a follow-up, a title or a public text that comes or goes
_TOUCHED = "xtq_page_cache_touched"
_WROTE = "xtq.page_cache_wrote"
_RELEASE = "xtq_page_cache_release"
NEVER_BLUEPRINTS = {"launch", "screen"}  # the ceremony and the projector are live by nature
NEVER_ENDPOINTS = {"static", "hall.healthz"}
# What a session may hold and still be an anonymous reader: a CSRF token, and the "_fresh" flag
# Flask-Login's session protection added to sessions without a login in them before it was told to
# leave those alone (xtq/extensions.py): browsers still carry such cookies.
ANONYMOUS_SESSION_KEYS = {"csrf_token", "_fresh"}
# Rows no kept page shows, and a user's columns no page shows to anyone else.
UNSHOWN = (Notification, AuditLog, Report)
# The columns by which a changed row is placed in a department (directly or through its parent), and
# in a question's bucket (through question_id or event_id).
PLACES = {"department_id": None, "question_id": Question, "event_id": QuestionEvent, "post_id": Post}
QUESTION_BUCKETS = 4096  # a question's page is stale when its bucket is touched: 1 in 4096 of the others' writes
PRIVATE_USER_COLUMNS = {
    "password_hash",
    "email",
    "email_pending",
    "session_epoch",
    "notice_districts",
    "notice_streets",
    "notify_reply",
    "notify_followup",
    "notify_overdue",
    "notify_progress",
    "notify_outage",
}


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_TYPE", "xtq.web.stores.SharedCache")  # one store for the server's workers
    app.config.setdefault("CACHE_MAX_BYTES", 256 * 2**20)  # pages and skeletons, on disk
    app.config.setdefault("CACHE_NEAR_BYTES", 8 * 2**20)  # the hottest of them also in each worker's memory
    app.extensions[_RELEASE] = release()
    page_cache.init_app(app)
    app.before_request(_answer_from_cache)
    app.after_request(_keep)


@functools.cache  # the files do not change under a running process
def release() -> str:
    """Changes with the hall's code, templates, translations and assets: a store that outlives its
    workers (on disk, in Redis) never serves a page that an earlier release rendered."""
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------- who reads


def for_readers(classify: Callable[..., str] | None = None) -> Callable:
    """Mark a view whose page may be kept for signed-in readers, as a skeleton per reader class.

    ``classify(**view_args)`` names the class of the current reader (default: reader_class). A hit is
    answered before the view runs, and so before its role gate: the class must tell apart every reader
    the view treats differently (own_class names the role, so an admin's page never reaches staff)."""

    def mark(view: Callable) -> Callable:
        view.reader_class = classify or reader_class
        return view

    return mark


def reader_class(**_view_args) -> str:
    """What a page may show differently to the current signed-in reader, apart from its holes."""
    user = current_user
    if user.role == "citizen" and until_written(("unreadable", user.id), lambda: questions.asked_unreadable(user)):
        return f"user {user.id}"
    return own_class(user)


def own_class(user: User) -> str:
    """The reader's role (staff with department and title) and notice districts."""
    notices = f"{user.notice_districts or ''}/{user.notice_streets or ''}"
    if user.is_staff:
        return f"staff {user.department_id} {user.title} {notices}"
    return f"{user.role} {notices}"


def _anonymous() -> bool:
    cookies = request.cookies
    config = current_app.config
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
        return False
    # The session is already open (from its signed cookie); reading its keys costs no query.
    return config["SESSION_COOKIE_NAME"] not in cookies or session.keys() <= ANONYMOUS_SESSION_KEYS


def _reader() -> str | None:
    """ "" for an anonymous reader, the class of a signed-in one on a page kept for them, else None."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return None
    if request.endpoint in NEVER_ENDPOINTS or request.blueprint in NEVER_BLUEPRINTS:
        return None
    if _anonymous():
        return ""
    classify = getattr(current_app.view_functions[request.endpoint], "reader_class", None)
    if classify is None or "_flashes" in session or not current_user.is_authenticated:
        return None
    return classify(**(request.view_args or {}))


# ---------------------------------------------------------------- what a page depends on


def department_stamp(department_id: int | None) -> str:
    return f"dept-{department_id or 'office'}.stamp"


def read_stamps(*names: str) -> tuple[tuple[str, str], ...]:
    """The stamps as this request first sees them (xtq/web/stamps.py keeps them for the request)."""
    return tuple((name, stamps.read(name)) for name in names)


def shows(*lists: str) -> None:
    """The page being rendered shows these lists (POSTS, QUESTIONS, HOT) across departments, names from
    anywhere, and nothing else a write changes: keep it across other writes."""
    if g.get("page_cache_key"):
        g.page_deps = read_stamps(SITE, *lists)


def question_stamp(question_id: int) -> str:
    return f"q-{question_id % QUESTION_BUCKETS}.stamp"


def depends_on(*department_ids: int | None, question: int | None = None) -> None:
    """The page being rendered shows these departments' content only, or one question's (its rows and
    the posts it cites), and names from anywhere: keep it across writes elsewhere.

    Call it before reading what the page shows: a write committed after the stamps are read makes
    the page stale at once."""
    if g.get("page_cache_key"):
        own = () if question is None else (question_stamp(question),)
        g.page_deps = read_stamps(SITE, *own, *map(department_stamp, department_ids))


def lasts(setting: str) -> None:
    """What the page being rendered shows changes by time alone only by the day (a deadline's count of
    working days): keep it for the setting's seconds, not PAGE_CACHE_SECONDS, while nothing it shows
    is written."""
    if g.get("page_cache_key"):
        g.page_life = max(current_app.config[setting], current_app.config["PAGE_CACHE_SECONDS"])


# ---------------------------------------------------------------- serving and keeping


def _answer_from_cache() -> Response | None:
    g.page_cache_key = None
    reader = _reader()
    if reader is None:
        return None
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        # An anonymous page is not kept but still gets its ETag (key ""); a reader's page neither.
        g.page_cache_key = "" if reader == "" else None
        return None
    key = "\x1f".join(
        (
            current_app.extensions[_RELEASE],
            reader,
            request.cookies.get(LANG_COOKIE, ""),
            request.cookies.get(CARE_COOKIE, ""),
            request.url,
        )
    )
    hit = page_cache.get(key)
    if hit is not None and not _current(hit) and hasattr(page_cache.cache, "forget_near"):
        page_cache.cache.forget_near(key)  # another worker may have kept a newer copy since
        hit = page_cache.get(key)
    if hit is not None and _current(hit):
        _deps, headers, body, _until = hit
        response = Response(holes.fill(body) if reader else body, 200, headers)
        if reader:
            response.add_etag()
        response.headers["X-Cache"] = "hit"  # for the benchmark's hit rate (bench/mixed.py), and for curl
        return response.make_conditional(request)
    g.page_cache_key, g.page_deps = key, read_stamps(CONTENT)
    if reader:
        holes.begin_skeleton()
    return None


def _current(hit: tuple) -> bool:
    """Whether a kept page is young enough and nothing it shows was written since."""
    return clock.real_now() < hit[3] and all(stamps.read(name) == value for name, value in hit[0])


def _keep(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    skeleton = holes.in_skeleton()
    if skeleton and not response.is_streamed and response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        response.set_data(holes.fill(body))  # whatever happens next, this reader gets their page
    elif skeleton:
        holes.end_skeleton()
    if key is None or response.status_code != 200 or response.is_streamed or response.cache_control.no_store:
        return response
    if request.environ.get(_WROTE) or "_flashes" in session or request_ctx.flashes:
        return response
    if not skeleton and (session.modified or "Set-Cookie" in response.headers or _page_has_csrf_token()):
        return response
    response.cache_control.no_cache = True
    response.cache_control.private = skeleton or None  # a reader's page is for their browser alone
    response.vary.add("Cookie")
    if not skeleton:
        response.add_etag()
    response.headers["X-Cache"] = "miss"
    if key:
        headers = [(k, v) for k, v in response.headers.items() if k not in ("Set-Cookie", "Content-Length")]
        kept = body if skeleton else response.get_data()
        # Its age is judged by the hall's clock above; the store drops it a second later (a store may
        # round the moment it keeps a value down to a whole second).
        life = g.pop("page_life", current_app.config["PAGE_CACHE_SECONDS"])
        until = clock.real_now() + timedelta(seconds=life)
        page_cache.set(key, (g.page_deps, headers, kept, until), timeout=life + 1)
    if skeleton:
        response.add_etag()
    return response.make_conditional(request)


def _page_has_csrf_token() -> bool:
    """Whether the page carries this session's CSRF token (Flask-WTF keeps it on g once made)."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


# ---------------------------------------------------------------- what a write touches


def _stamps_for(session: Session, obj) -> set[str]:
    """The stamps a change to ``obj`` makes stale, besides content.stamp."""
    if isinstance(obj, UNSHOWN):
        return set()
    state = inspect(obj)
    if isinstance(obj, User):
        if obj in session.new:  # no page shows an account before it does something, but a colleague is listed
            return {department_stamp(obj.department_id)} if obj.department_id is not None else set()
        changed = {a.key for a in state.attrs if a.history.has_changes()}
        return set() if changed <= PRIVATE_USER_COLUMNS else {SITE}
    if isinstance(obj, Department):
        return {SITE}
    touched: set[str] = set()
    if isinstance(obj, Question):
        touched.add(question_stamp(obj.id))
    elif isinstance(obj, Post) and obj not in session.new:
        touched |= set(map(question_stamp, _citing(session, obj.id)))
    placed = False
    for column in PLACES:
        if column not in state.attrs:
            continue
        history = state.attrs[column].history
        values = {*(history.added or ()), *(history.unchanged or ()), *(history.deleted or ())}
        if not values and obj in session.new:
            values = {None}  # never set
        if not values:
            return {SITE}
        for value in values:
            if value is not None or PLACES[column] is None:  # a parent column left empty places nothing
                touched |= _place(session, column, value)
                placed = True
    return touched if placed else {SITE}


def _place(session: Session, column: str, value) -> set[str]:
    """The stamps of the department (and question) that a row's department_id, question_id, event_id
    or post_id puts it in."""
    parent = PLACES[column]
    if parent is None:
        return {department_stamp(value)}
    row = session.get(parent, value) if value is not None else None
    if row is None:
        return {SITE}
    if isinstance(row, QuestionEvent):
        return _place(session, "question_id", row.question_id)
    if isinstance(row, Question):
        return {department_stamp(row.department_id), question_stamp(row.id)}
    return {department_stamp(row.department_id)}


def _citing(session: Session, post_id: int) -> list[int]:
    """The questions whose pages list the post (xtq.domain.questions.linked_posts)."""
    with session.no_autoflush:  # called while flushing, or before a statement runs
        return list(session.scalars(sa.select(QuestionPostLink.question_id).where(QuestionPostLink.post_id == post_id)))


def _bulk_stamps(state: ORMExecuteState) -> set[str]:
    """An UPDATE or DELETE statement is placed by the `column = value` terms of its WHERE clause."""
    if all(m.class_ in UNSHOWN for m in state.all_mappers):
        return set()
    touched = set()
    where = getattr(state.statement, "whereclause", None)
    for term in visitors.iterate(where) if where is not None else ():
        if not (isinstance(term, BinaryExpression) and term.operator is operators.eq):
            continue
        column, value = term.left, term.right
        if not (isinstance(column, ColumnClause) and isinstance(value, BindParameter)):
            continue
        name, value = column.name, value.effective_value
        if name == "id" and column.table is Post.__table__:
            touched |= set(map(question_stamp, _citing(state.session, value)))
        if name == "id" and column.table is not None:
            name = {Question.__table__: "question_id", Post.__table__: "post_id"}.get(column.table, "")
        if name in PLACES:
            touched |= _place(state.session, name, value)
    return touched or {SITE}


# ---------------------------------------------------------------- which lists a write touches

_UNKNOWN = object()  # a column not loaded: a row whose listing cannot be told counts as listed
# What a row of each table may change. A follow-up (an event) ranks the hot lists. A post's topics
# (hot topics) are written with the post itself (posts.record_topics), whose row says if it is public.
LISTS_OF = {
    Post: {POSTS},
    Question: {QUESTIONS, HOT},
    MeToo: {QUESTIONS, HOT},
    QuestionEvent: {QUESTIONS, HOT},
}


def _list_stamps(session: Session, obj) -> set[str]:
    """The stamps of the lists (shows()) that a change to ``obj`` may change."""
    if isinstance(obj, MeToo):
        return LISTS_OF[MeToo]
    if isinstance(obj, QuestionEvent):
        return LISTS_OF[QuestionEvent] if _value(inspect(obj), "kind") in (EventKind.FOLLOWUP, _UNKNOWN) else set()
    if not isinstance(obj, (Post, Question)):
        return set()
    state = inspect(obj)
    new, gone = obj in session.new, obj in session.deleted

    def before(key):
        return None if new else _value(state, key, before=True)

    def after(key):
        return None if gone else _value(state, key)

    if isinstance(obj, Post):
        return {POSTS} if _public_post(before) or _public_post(after) else set()
    touched = {QUESTIONS} if _listed(before) or _listed(after) else set()
    # A new question has no 同问 or follow-up yet: no hot list shows it.
    if not new and (_public_text(before) != _public_text(after) or (_public_text(after) and _changed(state, "title"))):
        touched.add(HOT)
    return touched


def _value(state, key: str, *, before: bool = False):
    """A column's value after this flush (or before it), _UNKNOWN when it was not loaded."""
    history = state.attrs[key].history
    values = (history.deleted or history.unchanged) if before else (history.added or history.unchanged)
    return values[0] if values else _UNKNOWN


def _changed(state, key: str) -> bool:
    return state.attrs[key].history.has_changes()


def _public_post(value) -> bool:
    """The Python twin of posts.public_posts (whether it is due yet aside: time alone shows within the cache's life)."""
    if value("department_id") is None:  # no row
        return False
    return value("status") in (PostStatus.PUBLISHED, _UNKNOWN) and value("hidden_at") in (None, _UNKNOWN)


def _listed(value) -> bool:
    """The Python twin of questions.public_questions."""
    return (
        value("department_id") is not None
        and value("hidden_at") in (None, _UNKNOWN)
        and value("status") != QuestionStatus.WITHDRAWN
        and value("review_state") in (None, _UNKNOWN)
    )


def _public_text(value) -> bool:
    """The Python twin of questions.public_texts: what the hot lists rank."""
    return _listed(value) and value("private") in (False, _UNKNOWN)


def _bulk_list_stamps(state: ORMExecuteState) -> set[str]:
    """An UPDATE or DELETE statement touches the lists of its tables."""
    return set().union(*(LISTS_OF.get(m.class_, ()) for m in state.all_mappers))


# ---------------------------------------------------------------- stamping commits


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    touched = session.info.setdefault(_TOUCHED, {CONTENT})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if session.is_modified(obj) or obj not in session.dirty:
            touched |= _stamps_for(session, obj)
            touched |= _list_stamps(session, obj)
            if isinstance(obj, User):
                touched.add(stamps.USERS)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.execution_options.get("row_lock"):  # questions.for_update; the change that follows places itself
        return
    if state.is_insert or state.is_update or state.is_delete:
        touched = state.session.info.setdefault(_TOUCHED, {CONTENT})
        touched.update(_bulk_stamps(state), _bulk_list_stamps(state))
        if any(m.class_ is User for m in state.all_mappers):
            touched.add(stamps.USERS)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if not touched or not has_app_context():  # committed outside an app: a script, no pages cached there
        return
    for name in touched:
        stamps.touch(name)
    if has_request_context():
        request.environ[_WROTE] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_TOUCHED, None)
