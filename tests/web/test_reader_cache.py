"""Whole pages for signed-in readers (xtq/web/page_cache.py, xtq/web/holes.py): one skeleton per reader
class, each reader's own parts filled in; kept until something the page shows changes."""

import re

import pytest

from tests.helpers import NOW, QueryCounter
from tests.page_reads import TOKEN, form_token, login, read, sign_in
from xtq.domain import following, metoo, notifications
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import Role, User


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def readers(make_user):
    """Two citizens: A follows nobody and has no news; B follows gongan and has two unread notifications."""
    a = make_user(Role.CITIZEN, username="reader_a", display_name="读者甲")
    b = make_user(Role.CITIZEN, username="reader_b", display_name="读者乙")
    following.follow(b, by_slug("gongan"), now=NOW)
    for text in ("一", "二"):
        notifications.notify(b, text, now=NOW)
    db.session.commit()
    return a, b


@pytest.fixture
def asked(make_question, make_user):
    """An open question to gongan, asked by a third citizen."""
    return make_question("accepted", at=NOW, title="公安的路灯问题", asker=make_user(Role.CITIZEN))


def test_a_readers_page_is_filled_for_the_next_reader(served, readers, asked):
    a, b = readers
    first, second = served.test_client(), served.test_client()
    login(first, a)
    login(second, b)

    cache, html_a = read(first, "/hall/gongan")
    assert cache == "miss" and "读者甲" in html_a and "＋ 关注" in html_a and "bell-count" not in html_a
    cache, html_b = read(second, "/hall/gongan")
    assert cache == "hit"
    assert "读者乙" in html_b and "读者甲" not in html_b
    assert '<span class="bell-count">2</span>' in html_b
    assert "已关注 · 取消关注" in html_b
    # Every form carries B's own token: unfollowing with it works, with A's it does not.
    strangers = form_token(html_a, "/hall/gongan/follow")
    assert second.post("/hall/gongan/unfollow", data={"csrf_token": strangers}).status_code == 400
    token = form_token(html_b, "/hall/gongan/unfollow")
    assert second.post("/hall/gongan/unfollow", data={"csrf_token": token}).status_code == 302
    assert 'class="flash' in second.get("/directory").get_data(as_text=True)  # a flash: never kept
    assert not following.is_following(db.session.get(User, b.id), by_slug("gongan").id)

    metoo.me_too(asked, db.session.get(User, b.id), now=NOW)
    db.session.commit()
    path = f"/q/{asked.id}"
    cache, html_a = read(first, path)
    assert cache == "miss" and "我也想问（同问）" in html_a and "您已同问" not in html_a
    cache, html_b = read(second, path)
    assert cache == "hit" and "您已同问" in html_b and "读者乙" in html_b
    token = form_token(html_b, f"/q/{asked.id}/unmetoo")
    assert second.post(f"/q/{asked.id}/unmetoo", data={"unmetoo-csrf_token": token}).status_code == 302
    assert read(second, path)[1].count("您已同问") == 0


PAGES = ["/", "/hall/gongan", "/timeline", "/directory", "/console/questions", "/console/questions?status=all"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_read_the_same_as_when_rendered_whole(app, client, auth, readers, asked, liaison, admin, lang):
    client.set_cookie("lang", lang)
    paths = [*PAGES, f"/q/{asked.id}"]
    for user in (*readers, liaison, admin, asked.asker):
        sign_in(auth, client, user)
        for path in paths:
            app.config["PAGE_CACHE_SECONDS"] = 0
            rendered = client.get(path)
            app.config["PAGE_CACHE_SECONDS"] = 60
            first, again = client.get(path), client.get(path)
            if rendered.status_code != 200:
                assert rendered.status_code == first.status_code == 403, path
                continue
            assert again.headers["X-Cache"] == "hit", (user.username, path)
            pages = [TOKEN.sub(r"\1…", r.get_data(as_text=True)) for r in (rendered, first, again)]
            assert pages[0] == pages[1] == pages[2], (user.username, path)
        auth.logout()


def test_a_write_refreshes_what_shows_it_and_nothing_else(client, auth, readers, asked, make_question, make_user):
    elsewhere = make_question("asked", at=NOW, department="jiaoyu", title="教育局的问题")
    sign_in(auth, client, readers[0])
    paths = ["/", "/timeline", "/hall/gongan", f"/q/{asked.id}", "/hall/jiaoyu", f"/q/{elsewhere.id}"]
    for path in paths:
        read(client, path)
    assert all(read(client, path)[0] == "hit" for path in paths)

    metoo.me_too(asked, make_user(Role.CITIZEN), now=NOW)
    db.session.commit()
    for path in paths[:4]:
        cache, html = read(client, path)
        assert cache == "miss", path
    assert "1 人同问" in read(client, f"/q/{asked.id}")[1]
    assert read(client, "/hall/jiaoyu")[0] == "hit"
    assert read(client, f"/q/{elsewhere.id}")[0] == "hit"


def test_a_write_it_cannot_place_refreshes_every_page(client, auth, readers):
    sign_in(auth, client, readers[0])
    read(client, "/hall/jiaoyu")
    by_slug("jiaoyu").short_name = "教育"
    db.session.commit()
    cache, html = read(client, "/hall/jiaoyu")
    assert cache == "miss" and "教育" in html


def test_staff_never_get_another_departments_skeleton(client, auth, asked, liaison, other_staff):
    sign_in(auth, client, liaison)
    assert "公安的路灯问题" in read(client, "/console/questions")[1]
    auth.logout()
    sign_in(auth, client, other_staff)
    cache, html = read(client, "/console/questions")
    assert cache == "miss" and "公安的路灯问题" not in html
    assert read(client, "/hall/gongan")[0] == "miss"  # the hall as jiaoyu's staff: not as gongan's


@pytest.mark.parametrize("state", ["private", "pending"])
def test_a_question_the_public_may_not_read_stays_with_its_asker(app, client, auth, make_question, make_user, state):
    asker, other = make_user(Role.CITIZEN), make_user(Role.CITIZEN)
    question = make_question(state, at=NOW, title="只给部门看的问题", asker=asker)
    paths = ["/", "/timeline", "/hall/gongan", f"/q/{question.id}"]
    for first, then in ((other, asker), (asker, other)):
        sign_in(auth, client, first)
        for path in paths:
            read(client, path)
        auth.logout()
        sign_in(auth, client, then)
        for path in paths:
            html = read(client, path)[1]
            if then is other:
                assert "只给部门看的问题" not in html, path
                continue
            app.config["PAGE_CACHE_SECONDS"] = 0
            assert TOKEN.sub("", html) == TOKEN.sub("", read(client, path)[1]), path
            app.config["PAGE_CACHE_SECONDS"] = 60
            assert "只给部门看的问题" in html or not path.startswith("/q/")
        auth.logout()


def test_a_flash_is_never_kept(client, auth, readers):
    auth.login(readers[0])
    cache, html = read(client, "/directory")  # shows the welcome flash
    assert 'class="flash' in html and cache is None
    cache, html = read(client, "/directory")
    assert cache == "miss" and 'class="flash' not in html
    assert read(client, "/directory")[0] == "hit"


def test_an_error_page_is_not_kept(client, auth, readers, count_queries):
    sign_in(auth, client, readers[0])
    client.get("/hall/nowhere")
    assert client.get("/hall/nowhere").status_code == 404
    assert "X-Cache" not in client.get("/hall/nowhere").headers


HIT_STATEMENTS = 5  # the user, then the page's holes: unread count, follow or 同问 state, the asker


@pytest.mark.parametrize("path", ["/", "/hall/gongan", "/timeline", "{question}", "/console/questions"])
def test_a_readers_cache_hit_sends_a_handful_of_statements(app, client, auth, readers, asked, liaison, path):
    sign_in(auth, client, liaison if path.startswith("/console") else readers[1])
    path = path.format(question=f"/q/{asked.id}")
    read(client, path)
    db.session.expire_all()
    with QueryCounter(db.engine) as q:
        cache, _html = read(client, path)
    assert cache == "hit"
    assert q.count <= HIT_STATEMENTS, q.statements


def returning(served, reader):
    """A client of ``served`` signed in as ``reader`` who has read the home page once, and the engine
    ``served`` sends its statements through."""
    client = served.test_client()
    login(client, reader)
    read(client, "/")
    with served.app_context():
        return client, db.engine


def test_a_returning_readers_hit_sends_no_statement_until_a_write(served, readers):
    """The reader's user row is kept with their holes; a write (here: their account disabled, by
    another app on the same instance folder, as another worker) drops it before their next request."""
    a = readers[0]
    client, engine = returning(served, a)
    with QueryCounter(engine) as q:
        cache, html = read(client, "/")
    assert cache == "hit" and a.display_name in html
    assert q.count == 0, q.statements
    db.session.get(User, a.id).active = False
    db.session.commit()
    cache, html = read(client, "/")
    assert a.display_name not in html and 'href="/login' in html


def test_a_write_to_no_user_keeps_the_readers_row(served, readers, make_post, spokesperson):
    """A post written elsewhere changes the holes (the reader's parts are read again) but not the
    reader's row: that statement is saved until a write to a user's row (stamps.USERS)."""
    a = readers[0]
    client, engine = returning(served, a)
    make_post(spokesperson, "另一处写入的微博")
    with QueryCounter(engine) as q:
        cache, html = read(client, "/")
    assert a.display_name in html
    assert not any(re.search(r"FROM user\s+WHERE user\.id = ", s.replace('"', "")) for s in q.statements), q.statements
    assert q.count > 0  # the holes, after the write


def test_a_readers_own_parts_follow_every_write(client, auth, readers):
    """The skeleton of another department's hall is kept across a notification; the bell is not."""
    b = readers[1]
    sign_in(auth, client, b)
    read(client, "/hall/jiaoyu")
    cache, html = read(client, "/hall/jiaoyu")
    assert cache == "hit" and '<span class="bell-count">2</span>' in html
    notifications.notify(db.session.get(User, b.id), "三", now=NOW)
    db.session.commit()
    cache, html = read(client, "/hall/jiaoyu")
    assert cache == "hit" and '<span class="bell-count">3</span>' in html
