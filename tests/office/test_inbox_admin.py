"""The staff inbox, the admin's escalation list and moderation of questions."""

import html
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.helpers import sh
from xtq import clock
from xtq.extensions import db
from xtq.models import AuditLog

PROTECTED = ["/console/questions", "/admin/escalations", "/notifications", "/me/questions", "/ask"]


@pytest.mark.parametrize("url", PROTECTED)
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("url", "codes"),
    [
        ("/console/questions", {"citizen": 403, "liaison": 200, "admin": 403}),
        ("/admin/escalations", {"citizen": 403, "liaison": 403, "admin": 200}),
    ],
)
def test_areas_are_for_their_role_only(client, auth, citizen, liaison, admin, url, codes):
    for name, user in (("citizen", citizen), ("liaison", liaison), ("admin", admin)):
        auth.logout()
        auth.login(user)
        assert client.get(url).status_code == codes[name], name


def test_inbox_lists_the_departments_open_questions_by_deadline(client, auth, liaison, make_question):
    now = clock.now()
    late = make_question("asked", at=now - timedelta(days=10), title="很早的问题")
    fresh = make_question("asked", at=now - timedelta(hours=1), title="刚提的问题")
    make_question("closed", at=now - timedelta(days=2), title="办结的问题")
    make_question("asked", at=now - timedelta(hours=1), department="jiaoyu", title="教育局的问题")
    auth.login(liaison)
    html = client.get("/console/questions").get_data(as_text=True)
    assert html.index(late.title) < html.index(fresh.title)
    assert "办结的问题" not in html and "教育局的问题" not in html
    assert 'class="inbox-item is-overdue"' in html and "逾期" in html
    closed = client.get("/console/questions?status=closed").get_data(as_text=True)
    assert "办结的问题" in closed and "刚提的问题" not in closed
    assert "刚提的问题" in client.get("/console/questions?status=all").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 3}], indirect=True)
def test_the_open_inbox_goes_on_page_by_page_nearest_deadline_first(client, auth, liaison, make_question):
    now = clock.now()
    asked = [make_question("asked", at=now - timedelta(days=10 - n), title=f"待办问题{n}号") for n in range(5)]
    auth.login(liaison)
    first = client.get("/console/questions").get_data(as_text=True)
    assert [q.title in first for q in asked] == [True, True, True, False, False]
    assert first.index("待办问题0号") < first.index("待办问题1号") < first.index("待办问题2号")
    more = re.search(r'href="(/console/questions\?[^"]*after=[^"]+)"', first)
    second = client.get(html.unescape(more.group(1))).get_data(as_text=True)
    assert [q.title in second for q in asked] == [False, False, False, True, True]


def test_staff_see_action_forms_only_where_they_may_act(client, auth, liaison, other_staff, citizen, make_question):
    q = make_question("asked", at=clock.now() - timedelta(hours=1))
    auth.login(liaison)
    html = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert f'action="/console/questions/{q.id}/accept"' in html and "转办到其他部门" in html
    for user in (other_staff, citizen):
        auth.logout()
        auth.login(user)
        assert "/console/questions/" not in client.get(f"/q/{q.id}").get_data(as_text=True)


def test_escalations_list_late_questions_and_warn_of_missing_holidays(
    app, client, auth, admin, make_question, monkeypatch
):
    december = sh(month=12, day=1, hour=10)  # late in 2026, when deadlines start to reach into 2027
    monkeypatch.setattr(clock, "real_now", lambda: december)
    now = clock.now()
    late = make_question("asked", at=now - timedelta(days=12), title="拖了很久的问题")
    make_question("asked", at=now - timedelta(hours=1), title="刚提的问题")
    auth.login(admin)
    html = client.get("/admin/escalations").get_data(as_text=True)
    assert late.title in html and "刚提的问题" not in html
    # Deadlines set now run 45 days ahead; from late 2026 on that reaches 2027, which the package lacks.
    assert "2027 年的节假日安排尚未配置" in html
    (Path(app.instance_path) / "holidays.json").write_text(json.dumps({"years": [2027]}))
    app.extensions.pop("xtq_calendar", None)
    assert "2027 年的节假日安排尚未配置" not in client.get("/admin/escalations").get_data(as_text=True)


def test_admin_hides_a_question_and_the_public_sees_why(client, auth, admin, citizen, liaison, make_question):
    q = make_question("accepted", at=clock.now() - timedelta(hours=3), title="含隐私的问题")
    auth.login(admin)
    assert client.post(f"/admin/questions/{q.id}/hide", data={"hide-reason": "含有他人住址"}).status_code == 302
    auth.logout()
    html = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "此问题已被管理员隐藏" in html and "含有他人住址" in html and "含隐私的问题" not in html
    assert "含隐私的问题" not in client.get("/timeline").get_data(as_text=True)
    assert "含隐私的问题" not in client.get("/hall/gongan").get_data(as_text=True)
    for user in (citizen, liaison):
        auth.login(user)
        assert "含隐私的问题" in client.get(f"/q/{q.id}").get_data(as_text=True)
        auth.logout()
    auth.login(admin)
    client.post(f"/admin/questions/{q.id}/unhide")
    auth.logout()
    assert "含隐私的问题" in client.get("/timeline").get_data(as_text=True)


def test_admin_redacts_a_phone_number_and_keeps_no_copy(client, auth, admin, make_question, citizen):
    q = make_question("asked", at=clock.now() - timedelta(hours=1), body="请打我电话 13800138000 联系。")
    auth.login(admin)
    response = client.post(
        f"/admin/questions/{q.id}/redact",
        data={"redact-target": "question", "redact-fragment": "13800138000", "redact-reason": "含个人电话"},
    )
    assert response.status_code == 302
    auth.logout()
    html = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "13800138000" not in html and "〔已删除〕" in html and "含个人电话" in html
    assert all("13800138000" not in log.detail for log in db.session.scalars(db.select(AuditLog)))
    auth.login(citizen)
    assert client.post(f"/admin/questions/{q.id}/redact", data={}).status_code == 403


def test_redacting_text_that_is_not_there_is_a_field_error(client, auth, admin, make_question):
    q = make_question("asked", at=clock.now() - timedelta(hours=1))
    auth.login(admin)
    response = client.post(
        f"/admin/questions/{q.id}/redact",
        data={"redact-target": "question", "redact-fragment": "不存在的字", "redact-reason": "理由"},
    )
    assert response.status_code == 400 and "都没有这段文字" in response.get_data(as_text=True)
