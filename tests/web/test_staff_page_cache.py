"""The composer and the office's lists (/admin/escalations, /admin/review, /admin/dispatch) from the
readers' cache (xtq/web/page_cache.py): byte for byte the plain render, a write shows at once, each
reader's CSRF token is their own, and a skeleton never reaches another department, title or role."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from tests.page_reads import form_token, login, read_untokened, rendered_now, sign_in
from xtq import clock
from xtq.domain import office, questions, review
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import Department, DeptGroup, PostStatus, Role, StaffTitle

LONG_AGO = NOW - timedelta(days=30)  # every deadline of these questions has long passed


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def office_work(make_question):
    """Something on each of the office's lists: overdue, held for review, appealed, back at the office."""
    return {
        "overdue": make_question("accepted", at=LONG_AGO, title="逾期很久的问题"),
        "held": make_question("pending", at=LONG_AGO, title="等待审核的问题"),
        "appealed": make_question("appealed", at=LONG_AGO, title="申请复核的问题"),
        "returned": make_question("at_office", at=LONG_AGO, title="退回分拨的问题"),
    }


STAFF_PAGES = ["/console", "/console/compose", "/console/compose?cites=12"]
OFFICE_PAGES = ["/admin/escalations", "/admin/review", "/admin/dispatch"]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_read_the_same_as_when_rendered_whole(app, client, auth, office_work, spokesperson, liaison, admin, lang):
    client.set_cookie("lang", lang)
    for user, paths in ((spokesperson, STAFF_PAGES), (liaison, STAFF_PAGES), (admin, OFFICE_PAGES)):
        sign_in(auth, client, user)
        for path in paths:
            rendered = rendered_now(app, client, path)
            first, again = read_untokened(client, path), read_untokened(client, path)
            assert (first[0], again[0]) == ("miss", "hit"), (user.username, path)
            assert rendered == first[1] == again[1], (user.username, path)
        auth.logout()


def test_each_list_shows_a_write_at_once(app, client, auth, make_question, office_work, liaison, admin):
    sign_in(auth, client, admin)
    for path in OFFICE_PAGES:
        read_untokened(client, path)
    cal = clock.work_calendar()

    questions.reply(office_work["overdue"], liaison, "已安排维修。", now=NOW, cal=cal)
    review.approve_question(office_work["held"], admin, now=NOW, cal=cal)
    office.dispatch(office_work["returned"], admin, by_slug("jiaoyu"), now=NOW, cal=cal)
    db.session.commit()
    for path, gone in zip(OFFICE_PAGES, ("逾期很久的问题", "等待审核的问题", "退回分拨的问题"), strict=True):
        cache, html = read_untokened(client, path)
        assert cache == "miss" and gone not in html, path
        assert html == rendered_now(app, client, path)

    make_question("pending", at=NOW, title="新的待审问题")
    make_question("at_office", at=NOW, title="新退回的问题")
    assert "新的待审问题" in read_untokened(client, "/admin/review")[1]
    assert "新退回的问题" in read_untokened(client, "/admin/dispatch")[1]


def test_the_composer_follows_the_district_names(client, auth, spokesperson):
    sign_in(auth, client, spokesperson)
    read_untokened(client, "/console/compose")
    assert read_untokened(client, "/console/compose")[0] == "hit"
    district = db.session.scalars(db.select(Department).where(Department.group == DeptGroup.DISTRICT)).first()
    district.name = district.short_name = "新改名的区"
    db.session.commit()
    cache, html = read_untokened(client, "/console/compose")
    assert cache == "miss" and "新改名的区" in html


def test_the_console_list_shows_its_departments_draft_at_once_and_keeps_across_others(
    client, auth, make_post, spokesperson, make_user
):
    sign_in(auth, client, spokesperson)
    read_untokened(client, "/console")
    make_post(make_user(Role.STAFF, slug="jiaoyu", title=StaffTitle.SPOKESPERSON), "教育局的新微博")
    assert read_untokened(client, "/console")[0] == "hit"
    make_post(spokesperson, "本部门刚写的草稿", status=PostStatus.DRAFT)
    cache, html = read_untokened(client, "/console")
    assert cache == "miss" and "本部门刚写的草稿" in html


def test_the_dispatch_queue_keeps_across_a_departments_write(client, auth, office_work, make_question, admin):
    sign_in(auth, client, admin)
    read_untokened(client, "/admin/dispatch")
    make_question("asked", at=NOW, department="jiaoyu", title="教育局的问题")
    assert read_untokened(client, "/admin/dispatch")[0] == "hit"


def test_a_composer_skeleton_stays_with_its_department_and_title(client, auth, spokesperson, liaison, make_user):
    hint = "联络员撰写的草稿由本部门网络新闻发言人审核发布"
    readers = [
        (spokesperson, "miss", False),
        (liaison, "miss", True),
        (make_user(Role.STAFF, slug="jiaoyu", title=StaffTitle.SPOKESPERSON), "miss", False),
        (make_user(Role.STAFF, slug="gongan", title=StaffTitle.SPOKESPERSON), "hit", False),
    ]
    for user, cache, hinted in readers:
        sign_in(auth, client, user)
        served, html = read_untokened(client, "/console/compose")
        assert served == cache and (hint in html) == hinted, user.username
        assert f'href="/hall/{user.department.slug}"' in html
        auth.logout()


def test_the_office_pages_never_reach_staff(client, auth, office_work, admin, spokesperson):
    sign_in(auth, client, admin)
    for path in OFFICE_PAGES:
        read_untokened(client, path)
    auth.logout()
    sign_in(auth, client, spokesperson)
    for path in OFFICE_PAGES:
        assert client.get(path).status_code == 403, path


def test_a_kept_dispatch_form_carries_each_admins_own_token(served, office_work, make_user):
    first, second = served.test_client(), served.test_client()
    login(first, make_user(Role.ADMIN, username="office_a"))
    login(second, make_user(Role.ADMIN, username="office_b"))
    action = f"/admin/questions/{office_work['returned'].id}/dispatch"

    response = first.get("/admin/dispatch")
    assert response.headers["X-Cache"] == "miss"
    strangers = form_token(response.get_data(as_text=True), action)
    response = second.get("/admin/dispatch")
    assert response.headers["X-Cache"] == "hit"
    own = form_token(response.get_data(as_text=True), action)
    assert own != strangers
    data = {"dispatch-department": "jiaoyu"}
    assert second.post(action, data={**data, "dispatch-csrf_token": strangers}).status_code == 400
    assert second.post(action, data={**data, "dispatch-csrf_token": own}).status_code == 302
