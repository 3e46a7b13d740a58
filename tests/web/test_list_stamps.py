"""Home, timeline and directory depend on what they show (xtq/web/page_cache.py, shows()): after a write
that a page does not show it is served from the cache as it would be rendered now; after a write it
shows, the next request renders it again. For an anonymous and for a signed-in reader."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from tests.page_reads import form_token, login, read_untokened, rendered_now
from xtq import clock
from xtq.domain import comments, metoo, office, publishing, questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import PostKind, Role

AT = NOW - timedelta(days=2)  # every moment shown reads "2 天前" however long the test takes


@pytest.fixture
def app_config():
    # Figures are a snapshot in a deployment (FIGURES_CACHE_SECONDS): no page shows a count live.
    return {"PAGE_CACHE_SECONDS": 60, "FIGURES_CACHE_SECONDS": 600}


@pytest.fixture
def writes(make_question, make_post, make_user, citizen, liaison, spokesperson, admin):
    """Each kind of write, in an order in which each can be made, by name."""
    asked = make_question("asked", at=AT, title="路灯不亮的问题")
    accepted = make_question("accepted", at=AT, title="井盖松动的问题")
    hot = make_question("asked", at=AT, department="jiaoyu", title="学校门口拥堵的问题")
    post = make_post(spokesperson, "今日路况播报", published_at=AT)
    commenter = make_user(Role.CITIZEN)
    cal, jiaoyu = clock.work_calendar(), by_slug("jiaoyu")

    def at(minutes: int):
        return AT + timedelta(minutes=minutes)

    def asked_at(minutes: int) -> dict:
        return {"category": "城市管理", "now": at(minutes), "cal": cal}

    def rename():
        jiaoyu.name, jiaoyu.short_name = "市教育和体育局", "教体局"

    return {
        "draft": lambda: publishing.compose(spokesperson, PostKind.DAILY, "还没发布的草稿", now=at(1), draft=True),
        "note": lambda: office.add_note(accepted, liaison, "内部备注：已派人查看", now=at(2)),
        "ask": lambda: questions.ask(citizen, jiaoyu, title="新来的提问", body="请问何时开放？", **asked_at(3)),
        "accept": lambda: questions.accept(asked, liaison, now=at(4), cal=cal),
        "reply": lambda: questions.reply(accepted, spokesperson, "已安排维修。", now=at(5), cal=cal),
        "comment": lambda: comments.add(commenter, post, "感谢发布", now=at(6)),
        "publish": lambda: make_post(spokesperson, "新发布的停水通知", published_at=at(7)),
        "edit": lambda: publishing.edit(spokesperson, post, "今日路况播报（更正）", now=at(8)),
        "metoo": lambda: metoo.me_too(hot, commenter, now=at(9)),
        "hide": lambda: questions.hide(hot, admin, "含有他人隐私", now=at(10)),
        "rename": rename,
    }


SHOWN = {
    "/": {"comment", "publish", "edit", "metoo", "hide", "rename"},  # cards and their counts, hot questions, names
    "/timeline": {"ask", "accept", "reply", "metoo", "hide", "rename"},  # rows of listed questions, names
    "/timeline?department=jiaoyu": {"ask", "metoo", "hide", "rename"},  # jiaoyu's writes only
    "/directory": {"rename"},  # names; its figures are a snapshot
}


@pytest.mark.parametrize("path", list(SHOWN))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_page_follows_the_writes_it_shows_and_no_other(app, client, auth, make_user, writes, path, signed_in):
    if signed_in:
        auth.login(make_user(Role.CITIZEN, username="reader"))
        client.get("/directory")  # the welcome flash, shown and gone
    for name, write in writes.items():
        read_untokened(client, path)
        cache, before = read_untokened(client, path)
        assert cache == "hit", (path, name)
        write()
        db.session.commit()
        cache, after = read_untokened(client, path)
        assert after == rendered_now(app, client, path), (path, name)
        if name in SHOWN[path]:
            assert cache == "miss" and after != before, (path, name)
        else:
            assert cache == "hit", (path, name)


def test_a_staff_step_through_its_form_keeps_the_home_page(served, make_question, liaison):
    """The step locks the question's row first (an UPDATE that sets nothing): no list changes by that."""
    asked = make_question("asked", at=AT, title="路灯不亮的问题")
    reader, staff = served.test_client(), served.test_client()
    login(staff, liaison)
    for path in ("/", "/timeline"):
        read_untokened(reader, path)
    action = f"/console/questions/{asked.id}/accept"
    token = form_token(staff.get(f"/q/{asked.id}").get_data(as_text=True), action)
    assert staff.post(action, data={"accept-csrf_token": token}).status_code == 302
    assert read_untokened(reader, "/")[0] == "hit"
    cache, html = read_untokened(reader, "/timeline")
    assert cache == "miss" and "办理中" in html
