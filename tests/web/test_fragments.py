"""Post cards, question rows and the notices box, kept per version and language (xtq/web/fragments.py):
the pages read exactly as when every fragment is rendered, and a change shows at once."""

from datetime import timedelta

import pytest

from xtq import clock
from xtq.domain import questions
from xtq.extensions import db
from xtq.web.fragments import fragment_cache


@pytest.fixture
def app_config():
    return {"FRAGMENT_CACHE_SECONDS": 600}


@pytest.fixture
def hall(make_post, spokesperson, make_question, citizen):
    """A few posts and questions, one of them asked anonymously."""
    now = clock.now()
    for i in range(3):
        make_post(spokesperson, f"第{i}条 #路况# " + "长" * 150, published_at=now - timedelta(hours=i + 1))
    return {
        "open": make_question("asked", at=now - timedelta(days=9), title="很早的问题"),
        "anonymous": make_question("accepted", at=now - timedelta(hours=3), title="匿名的问题", anonymous=True),
        "replied": make_question("replied", at=now - timedelta(days=2), title="已答复的问题"),
    }


def kept() -> int:
    return len(fragment_cache.cache)


PAGES = ["/", "/hall/gongan", "/timeline", "/console/questions", "/me/questions"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_read_the_same_as_when_every_fragment_is_rendered(app, client, auth, hall, liaison, citizen, lang):
    client.set_cookie("lang", lang)
    for user in (liaison, citizen):
        auth.login(user)
        client.get("/directory")  # shows the welcome flash
        for path in PAGES:
            app.config["FRAGMENT_CACHE_SECONDS"] = 0
            rendered = client.get(path)
            app.config["FRAGMENT_CACHE_SECONDS"] = 600
            first, again = client.get(path), client.get(path)
            assert rendered.status_code in (200, 403), path
            assert rendered.get_data() == first.get_data() == again.get_data(), (user.username, path)
        auth.logout()
    assert kept() > 0


def test_the_asker_behind_an_anonymous_question_stays_with_staff(client, auth, hall, liaison, citizen):
    """The same row, in the same department's hall, reads differently for its staff and for the public."""
    auth.login(liaison)
    assert citizen.username in client.get("/hall/gongan").get_data(as_text=True)
    auth.logout()
    public = client.get("/hall/gongan").get_data(as_text=True)
    assert "匿名的问题" in public and citizen.username not in public


def test_a_write_to_one_question_keeps_the_other_rows(client, auth, hall, liaison, cal):
    auth.login(liaison)
    client.get("/console/questions")
    before = kept()
    questions.accept(hall["open"], liaison, now=clock.now(), cal=cal)
    db.session.commit()
    html = client.get("/console/questions").get_data(as_text=True)
    title = html.index("很早的问题")
    row = html[html.rindex("<article", 0, title) : title]
    assert "办理中" in row and "待受理" not in row
    assert kept() == before + 1  # the accepted question's new row; the others were reused


def test_a_renamed_department_shows_at_once(client, hall, spokesperson):
    assert "市公安局" in client.get("/").get_data(as_text=True)
    spokesperson.department.short_name = "公安局新名"
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "公安局新名" in html
