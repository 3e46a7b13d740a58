"""Similar questions before asking: found through the search index, answered ones first, with and without script."""

from datetime import timedelta

from tests.helpers import NOW
from xtq import clock
from xtq.domain import similar
from xtq.extensions import db
from xtq.models import Question


def test_alike_titles_are_found_answered_first(make_question):
    old = make_question("accepted", at=NOW - timedelta(days=3), title="文化路路灯晚上不亮")
    answered = make_question("closed", at=NOW - timedelta(days=9), title="文化路北段路灯不亮怎么办")
    make_question("accepted", at=NOW - timedelta(days=2), title="公交站台没有遮雨棚")
    hidden = make_question("hidden", at=NOW - timedelta(days=2), title="文化路路灯不亮")
    found = similar.find("文化路的路灯不亮了", now=clock.now())
    assert found[:2] == [answered, old] and hidden not in found
    assert similar.find("食堂卫生", now=clock.now()) == []  # the positive control's counterpart
    assert similar.find("", now=clock.now()) == []


def test_the_ask_page_shows_them_with_and_without_script(client, auth, make_user, make_question):
    q = make_question("replied", at=NOW - timedelta(days=3), title="文化路路灯晚上不亮")
    fragment = client.get("/ask/similar?title=文化路路灯不亮&department=chengguan").get_data(as_text=True)
    assert f'href="/q/{q.id}"' in fragment and "这些问题可能和您的一样" in fragment
    assert "没有找到相似的问题" in client.get("/ask/similar?title=食堂卫生").get_data(as_text=True)
    auth.login(make_user())
    before = db.session.scalar(db.select(db.func.count()).select_from(Question))
    checked = client.post(
        "/ask",
        data={
            "department": "gongan",
            "title": "文化路路灯不亮",
            "body": "很黑",
            "category": "城市管理",
            "submit_token": "tok-check",
            "check": "1",
        },
    )
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and f'href="/q/{q.id}"' in page and 'value="文化路路灯不亮"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == before  # nothing asked yet
    asked = client.post(
        "/ask",
        data={
            "department": "gongan",
            "title": "文化路路灯不亮",
            "body": "很黑",
            "category": "城市管理",
            "submit_token": "tok-check",
        },
    )
    assert asked.status_code == 302
    assert 'id="similar"' in client.get("/ask").get_data(as_text=True)
