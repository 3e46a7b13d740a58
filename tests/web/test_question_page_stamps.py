"""A question's page is kept across writes to the other questions of its department, and anything
it shows that changes shows at the next request (xtq/web/page_cache.py: question buckets)."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq import clock
from xtq.domain import metoo, publishing, questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import EventKind, Photo, QuestionEvent, QuestionPostLink, Rating, Role, User
from xtq.web import page_cache


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def pair(make_question, make_user, make_post, spokesperson):
    """Two replied questions of gongan, A and B; B is asked by 提问人乙 and cites a post of gongan."""
    at = NOW - timedelta(days=1)
    a = make_question("replied", at=at, title="问题甲", asker=make_user(Role.CITIZEN))
    b = make_question("replied", at=at, title="问题乙", asker=make_user(Role.CITIZEN, display_name="提问人乙"))
    post = make_post(spokesperson, "被引用的微博原文")
    db.session.add(QuestionPostLink(question_id=b.id, post_id=post.id))
    db.session.commit()
    assert page_cache.question_stamp(a.id) != page_cache.question_stamp(b.id)
    return a, b, post


@pytest.fixture(params=["anonymous", "citizen", "staff"])
def reader(request, auth, client, make_user, liaison):
    """The client, as an anonymous reader, a signed-in citizen, or the question's staff."""
    if request.param != "anonymous":
        auth.login(make_user(Role.CITIZEN) if request.param == "citizen" else liaison)
        client.get("/directory")  # the welcome flash, shown and gone
    return request.param


def read(client, question):
    response = client.get(f"/q/{question.id}")
    assert response.status_code == 200
    return response.headers.get("X-Cache"), response.get_data(as_text=True)


def _follow_up(b, people):
    questions.followup(b, b.asker, "路灯还是不亮，第二次追问", now=NOW, cal=people["cal"])
    return "路灯还是不亮，第二次追问"


def _metoo(b, people):
    metoo.me_too(b, people["stranger"], now=NOW)
    return "1 人同问"


def _rating(b, people):
    questions.rate(b, b.asker, Rating.SATISFIED, "修好了，谢谢", now=NOW, cal=people["cal"])
    return "修好了，谢谢"


def _photo_on_reply(b, people):
    reply = next(e for e in b.events if e.kind == EventKind.REPLIED)
    photo = Photo(
        key="reply-photo",
        thumb_key="reply-photo-thumb",
        width=4,
        height=3,
        size=100,
        uploader_id=people["spokesperson"].id,
        event_id=reply.id,
        created_at=NOW,
    )
    db.session.add(photo)
    db.session.flush()
    return f"/photos/{photo.id}/thumb.jpg"


def _progress_event(b, people):
    db.session.add(QuestionEvent(question_id=b.id, kind=EventKind.PROGRESS, created_at=NOW, text="进展"))


def _reply_hidden(b, people):
    reply = next(e for e in b.events if e.kind == EventKind.REPLIED)
    reply.hidden_at, reply.hidden_reason = NOW, "含有他人电话"
    return "含有他人电话"


def _post_edited(b, people):
    publishing.edit(people["spokesperson"], people["post"], "被引用的微博改过了", now=NOW)
    return "被引用的微博改过了"


def _post_hidden(b, people):
    people["post"].hidden_at, people["post"].hidden_reason = NOW, "不实信息"
    return None  # the post's text is gone


def _department_renamed(b, people):
    by_slug("gongan").name = "市公安局（新名）"
    return "市公安局（新名）"


def _asker_renamed(b, people):
    db.session.get(User, b.asker_id).display_name = "提问人改名"
    return "提问人改名"


CHANGES = [
    _follow_up,
    _metoo,
    _rating,
    _photo_on_reply,
    _reply_hidden,
    _post_edited,
    _post_hidden,
    _department_renamed,
    _asker_renamed,
]


@pytest.fixture
def people(cal, make_user, spokesperson, pair):
    return {"cal": cal, "stranger": make_user(Role.CITIZEN), "spokesperson": spokesperson, "post": pair[2]}


def test_a_write_to_another_question_of_the_department_keeps_the_page(client, reader, pair, people):
    a, b, _post = pair
    read(client, b)
    assert read(client, b)[0] == "hit"
    _metoo(a, people)
    questions.followup(a, a.asker, "问题甲的追问", now=NOW, cal=people["cal"])
    db.session.commit()
    assert "问题甲的追问" in read(client, a)[1]
    cache, html = read(client, b)
    if reader == "staff":  # the reply form lists the department's own posts and templates
        assert cache == "miss"
    else:
        assert cache == "hit" and "问题甲的追问" not in html


@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__.strip("_"))
def test_what_the_page_shows_changes_at_once(client, reader, pair, people, change):
    _a, b, _post = pair
    cache, before = read(client, b)
    assert read(client, b)[0] == "hit"
    assert "被引用的微博原文" in before and "提问人乙" in before
    shown = change(b, people)
    db.session.commit()
    cache, html = read(client, b)
    assert cache == "miss"
    if shown is None:
        assert "被引用的微博原文" not in html
    else:
        assert shown in html and shown not in before


def test_a_post_edit_reaches_every_question_citing_it_and_no_other(app, pair, spokesperson):
    a, b, post = pair
    stamps = {q.id: page_cache.question_stamp(q.id) for q in (a, b)}
    before = {qid: _stamp(app, name) for qid, name in stamps.items()}
    publishing.edit(spokesperson, post, "新的说法", now=NOW)
    db.session.commit()
    assert _stamp(app, stamps[b.id]) != before[b.id]
    assert _stamp(app, stamps[a.id]) == before[a.id]


@pytest.mark.parametrize("change", [_progress_event, _photo_on_reply], ids=["event", "photo on an event"])
def test_a_row_placed_by_its_question_touches_its_bucket_alone(app, pair, people, change):
    a, b, _post = pair
    names = [page_cache.question_stamp(a.id), page_cache.question_stamp(b.id), page_cache.SITE]
    before = [_stamp(app, n) for n in names]
    change(b, people)
    db.session.commit()
    assert [_stamp(app, n) == s for n, s in zip(names, before, strict=True)] == [True, False, True]


def _stamp(app, name: str) -> str:
    from xtq.web import stamps

    return stamps.read(name)


def test_a_question_page_outlives_the_lists_by_time_but_not_its_own_limit(app, client, pair, reader, monkeypatch):
    """Only the deadline's count of working days changes by time alone: a question's page is kept for
    QUESTION_PAGE_SECONDS, not PAGE_CACHE_SECONDS (the lists' relative times change by the minute)."""
    app.config.update(PAGE_CACHE_SECONDS=15, QUESTION_PAGE_SECONDS=60)
    _a, b, _post = pair
    assert read(client, b)[0] == "miss"
    assert client.get("/hall/gongan").headers.get("X-Cache") == "miss"
    kept_at = clock.real_now()
    for seconds, question_page, hall_page in (
        (14, "hit", "hit"),
        (16, "hit", "miss"),
        (59, "hit", None),
        (60, "miss", None),
    ):
        monkeypatch.setattr(clock, "real_now", lambda seconds=seconds: kept_at + timedelta(seconds=seconds))
        assert read(client, b)[0] == question_page, seconds
        if hall_page:
            assert client.get("/hall/gongan").headers.get("X-Cache") == hall_page, seconds
