"""Whole pages for anonymous readers: kept until the next write, never for a signed-in reader or a
page with a session, separate per language and care mode, and revalidated by ETag."""

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from tests.helpers import NOW, QueryCounter, app_settings, sqlite_only
from xtq import clock, create_app
from xtq.extensions import db
from xtq.models import Post


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {"PAGE_CACHE_SECONDS": 60})


def test_a_second_anonymous_read_sends_no_sql(client, make_post, spokesperson, count_queries):
    make_post(spokesperson, "今日路况播报")
    first = client.get("/hall/gongan")
    with count_queries() as q:
        second = client.get("/hall/gongan")
    assert q.count == 0
    assert second.status_code == 200
    assert second.get_data() == first.get_data()
    assert "今日路况播报" in second.get_data(as_text=True)


def test_a_commit_shows_at_once(client, make_post, spokesperson):
    client.get("/hall/gongan")
    make_post(spokesperson, "新发布的停水通知")
    assert "新发布的停水通知" in client.get("/hall/gongan").get_data(as_text=True)


def test_another_worker_sees_the_commit(app, client, spokesperson, tmp_path):
    """A second app on the same database and instance folder stands in for the other gunicorn worker."""
    client.get("/")
    department_id, author_id = spokesperson.department_id, spokesperson.id  # read here, not through the other app
    other = create_app(app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60))
    with other.app_context():
        post = Post(
            department_id=department_id,
            author_id=author_id,
            kind="daily",
            status="published",
            body="另一个进程发布",
            body_html="<p>另一个进程发布</p>",
            created_at=NOW,
            published_at=NOW,
        )
        db.session.add(post)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert "另一个进程发布" in client.get("/").get_data(as_text=True)


@sqlite_only
def test_a_write_from_elsewhere_shows_within_the_time_limit(app, client, make_post, spokesperson, monkeypatch):
    """Another server on the same database cannot touch this one's stamp: the page ages out instead."""
    post = make_post(spokesperson, "原来的说法")
    client.get(f"/p/{post.id}")
    kept_at = clock.real_now()
    with sqlite3.connect(make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database) as conn:
        conn.execute("UPDATE post SET body = '更正后的说法', body_html = '更正后的说法' WHERE id = ?", (post.id,))
    db.session.expire_all()  # the test's own session would otherwise still hold the old row
    assert "原来的说法" in client.get(f"/p/{post.id}").get_data(as_text=True)
    later = kept_at + timedelta(seconds=app.config["PAGE_CACHE_SECONDS"])
    monkeypatch.setattr(clock, "real_now", lambda: later)
    assert "更正后的说法" in client.get(f"/p/{post.id}").get_data(as_text=True)


def test_a_signed_in_reader_never_gets_the_anonymous_copy(client, auth, citizen, count_queries):
    client.get("/")
    auth.login(citizen)
    with count_queries() as q:
        html = client.get("/").get_data(as_text=True)
    assert q.count > 0
    assert citizen.display_name in html and "退出" in html


def test_pages_with_a_form_token_are_not_shared(app):
    """The login form's CSRF token belongs to one session: two strangers must not get the same one.
    (An app of its own, so that each request has its own app context, as when serving.)"""
    served = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    )
    pages = [served.test_client().get("/login") for _ in range(2)]
    with served.app_context():
        db.engine.dispose()
    assert all(p.status_code == 200 and "Set-Cookie" in p.headers for p in pages)
    assert pages[0].get_data() != pages[1].get_data()
    assert "ETag" not in pages[0].headers


def test_language_and_care_mode_are_kept_apart(app):
    plain, english, care = app.test_client(), app.test_client(), app.test_client()
    english.set_cookie("lang", "en")
    care.set_cookie("care", "1")
    assert '<html lang="zh-CN">' in plain.get("/directory").get_data(as_text=True)
    assert '<html lang="en">' in english.get("/directory").get_data(as_text=True)
    assert 'class="care"' in care.get("/directory").get_data(as_text=True)
    assert 'class="care"' not in plain.get("/directory").get_data(as_text=True)


def test_a_browser_revalidates_with_the_etag(client):
    first = client.get("/directory")
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get("/directory", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert "Content-Security-Policy" in again.headers


def test_errors_are_not_kept(client, count_queries):
    client.get("/hall/nowhere")
    with count_queries() as q:
        assert client.get("/hall/nowhere").status_code == 404
    assert q.count > 0


def test_turned_off_every_read_renders(app, client, count_queries):
    app.config["PAGE_CACHE_SECONDS"] = 0
    client.get("/directory")
    with count_queries() as q:
        response = client.get("/directory")
    assert q.count > 0 and response.headers["ETag"]


def test_a_session_with_only_a_form_token_reads_the_cached_page(app):
    """A reader who once opened /login carries a CSRF-only session: still an anonymous reader."""
    served = create_app(
        app_settings(app.config["SQLALCHEMY_DATABASE_URI"], PAGE_CACHE_SECONDS=60, WTF_CSRF_ENABLED=True)
    )
    with served.app_context():
        engine = db.engine
    stranger, visitor = served.test_client(), served.test_client()
    try:
        cached = stranger.get("/directory").get_data()
        login_page = visitor.get("/login").get_data(as_text=True)
        assert visitor.get_cookie("session") is not None and 'name="csrf_token"' in login_page
        with QueryCounter(engine) as q:
            page = visitor.get("/directory")
        assert q.count == 0 and page.get_data() == cached
        # A page nobody has read yet: their read renders it, leaves their session cookie as it was
        # (no Set-Cookie: Flask-Login has no one to protect in it) and keeps it for everyone.
        first = visitor.get("/stats")
        assert first.headers["X-Cache"] == "miss" and "Set-Cookie" not in first.headers
        with QueryCounter(engine) as q:
            assert visitor.get("/stats").status_code == 200
        assert q.count == 0
        with QueryCounter(engine) as q:
            assert stranger.get("/stats").get_data() == first.get_data()
        assert q.count == 0
        # The page they render with a form on it keeps their token to themselves.
        assert "ETag" not in visitor.get("/login").headers
    finally:
        engine.dispose()
