"""Whole pages for anonymous readers, kept a few seconds per worker, and ETags for their browsers.

Most of the hall's readers are anonymous and read the same few pages (the home page, a busy
department's hall, a question in the news). A GET from a reader without a remember cookie and
with no session, or a session that holds nothing but a CSRF token (left by a visit to a page with
a form), is answered from the cache when the same URL, in the same language and care mode, was
rendered less than PAGE_CACHE_SECONDS ago and nothing has been committed since: every commit that
writes anything touches a stamp in the instance folder (xtq/web/stamps.py), which is part of the key,
so a new post or reply shows at once in every worker. Time alone (a scheduled post coming due, a
notice ending) shows within PAGE_CACHE_SECONDS. A response that sets a cookie or touches the
session (a CSRF token, a flash), puts a CSRF token in the page, is not a 200, or says no-store, is never kept.

Cached or not, those pages carry an ETag and `Cache-Control: no-cache`: a browser that comes back
with If-None-Match gets 304 and no body. PAGE_CACHE_SECONDS = 0 turns the cache (not the ETags) off.
"""

from flask import Flask, Response, current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from xtq.extensions import page_cache
from xtq.i18n import LANG_COOKIE
from xtq.views.prefs import CARE_COOKIE
from xtq.web import stamps

STAMP = "content.stamp"
_WROTE = "xtq_page_cache_wrote"
NEVER_BLUEPRINTS = {"launch", "screen"}  # the ceremony and the projector are live by nature
NEVER_ENDPOINTS = {"static", "hall.healthz"}
# What a session may hold and still be an anonymous reader: a CSRF token, and the "_fresh"
# flag Flask-Login's session protection adds to any session without a login in it.
ANONYMOUS_SESSION_KEYS = {"csrf_token", "_fresh"}


def init_app(app: Flask) -> None:
    app.config.setdefault("CACHE_TYPE", "SimpleCache")
    app.config.setdefault("CACHE_THRESHOLD", 300)  # pages per worker (~15 MB at most)
    page_cache.init_app(app)
    app.before_request(_answer_from_cache)
    app.after_request(_keep)


def _anonymous_read() -> bool:
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return False
    if request.endpoint in NEVER_ENDPOINTS or request.blueprint in NEVER_BLUEPRINTS:
        return False
    cookies = request.cookies
    config = current_app.config
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
        return False
    # The session is already open (from its signed cookie); reading its keys costs no query.
    return config["SESSION_COOKIE_NAME"] not in cookies or session.keys() <= ANONYMOUS_SESSION_KEYS


def _key() -> str:
    return "\x1f".join(
        (
            "page",
            stamps.read(STAMP),
            request.cookies.get(LANG_COOKIE, ""),
            request.cookies.get(CARE_COOKIE, ""),
            request.url,
        )
    )


def _answer_from_cache() -> Response | None:
    g.page_cache_key = None
    if not _anonymous_read():
        return None
    # The key, or "" when the cache is off: such a response is not kept but still gets its ETag.
    g.page_cache_key = _key() if current_app.config["PAGE_CACHE_SECONDS"] > 0 else ""
    hit = page_cache.get(g.page_cache_key) if g.page_cache_key else None
    if hit is None:
        return None
    headers, body = hit  # kept with its ETag and cache headers: nothing to hash again
    g.page_cache_key = None  # nothing to store again
    response = Response(body, 200, headers)
    response.headers["X-Cache"] = "hit"  # for the benchmark's hit rate (bench/mixed.py), and for curl
    return response.make_conditional(request)


def _keep(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if key is None or response.status_code != 200 or response.is_streamed or response.cache_control.no_store:
        return response
    if session.modified or "Set-Cookie" in response.headers or _page_has_csrf_token():
        return response
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    response.add_etag()
    response.headers["X-Cache"] = "miss"
    if key:
        page_cache.set(
            key, (list(response.headers.items()), response.get_data()), timeout=current_app.config["PAGE_CACHE_SECONDS"]
        )
    return response.make_conditional(request)


def _page_has_csrf_token() -> bool:
    """Whether the page carries this session's CSRF token (Flask-WTF keeps it on g once made)."""
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_WROTE, False):
        try:
            stamps.touch(STAMP)
        except RuntimeError:  # committed outside an app context (a script): no pages cached there
            pass


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_WROTE, None)
