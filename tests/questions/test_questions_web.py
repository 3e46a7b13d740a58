"""The closed loop through the browser's forms: ask, act, follow up, rate; /q, /track, /timeline."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func

from tests.question_fixtures import dept
from xtq import clock
from xtq.extensions import db
from xtq.models import Question, Role, StaffTitle


def token(html: str, name: str = "submit_token") -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def ask(client, **fields):
    """Open /ask, fill it in and submit it; returns the POST's response."""
    page = client.get("/ask" + (f"?dept={fields.get('department', '')}" if fields.get("department") else ""))
    data = {
        "department": "gongan",
        "title": "小区门口路灯不亮",
        "body": "晚上很黑，请尽快修理。",
        "category": "城市管理",
        "submit_token": token(page.get_data(as_text=True)),
    } | fields
    return client.post("/ask", data=data)


def only_question() -> Question:
    return db.session.scalar(db.select(Question))


def page(client, q) -> str:
    return client.get(f"/q/{q.id}").get_data(as_text=True)


def test_the_whole_loop_through_the_forms(client, auth, citizen, liaison, make_user):
    jiaotong = make_user(Role.STAFF, slug="jiaotong", title=StaffTitle.LIAISON, username="jiaotong_lly")

    def step(user, url, data, *, shows):
        auth.logout()
        auth.login(user)
        response = client.post(url, data=data)
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.headers["Location"].endswith(f"/q/{q.id}#history")
        html = page(client, q)
        for text in shows:
            assert text in html, text
        timeline = client.get("/timeline").get_data(as_text=True)
        assert q.title in timeline and f'class="badge status-{q.status.value}"' in timeline

    auth.login(citizen)
    response = ask(client, title="共享单车堆满地铁口", body="每天早上人行道被堵住。")
    q = only_question()
    assert response.headers["Location"].endswith(f"/q/{q.id}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "提问成功" in html and q.tracking_code in html and "待受理" in html

    base = f"/console/questions/{q.id}"
    step(liaison, f"{base}/accept", {}, shows=["受理", "办理中", "答复期限"])
    step(
        liaison,
        f"{base}/transfer",
        {"transfer-department": "jiaotong", "transfer-reason": "属交通部门职责"},
        shows=["转办", "由 市公安局 转交 市交通委", "属交通部门职责", "待受理"],
    )
    step(jiaotong, f"{base}/accept", {}, shows=["办理中"])
    step(
        jiaotong,
        f"{base}/reply",
        {"reply-text": "已约谈运营企业，增派运维人员。"},
        shows=["已约谈运营企业", "郑州市交通运输委员会 联络员", "已答复"],
    )
    step(
        citizen,
        f"/q/{q.id}/followup",
        {"followup-text": "晚上也堆着，能管吗？"},
        shows=["追问", "晚上也堆着", "追问答复期限"],
    )
    step(
        citizen,
        f"/q/{q.id}/rate",
        {"rate-rating": "unsatisfied", "rate-comment": "早上还是堵"},
        shows=["不满意", "早上还是堵", "重新办理", "办理中"],
    )
    step(jiaotong, f"{base}/reply", {"reply-text": "已施划电子围栏停放区。"}, shows=["已施划电子围栏停放区", "已答复"])
    step(citizen, f"/q/{q.id}/rate", {"rate-rating": "satisfied"}, shows=["满意", "办结", "已办结"])
    kinds = [e.kind.value for e in q.events]
    assert kinds == [
        "asked",
        "accepted",
        "transferred",
        "accepted",
        "replied",
        "followup",
        "rated",
        "reopened",
        "replied",
        "rated",
        "closed",
    ]
    assert "还剩" not in page(client, q)  # closed: no deadline shown


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_need_their_csrf_token(client, citizen):
    html = client.get("/login").get_data(as_text=True)
    client.post(
        "/login", data={"username": "citizen", "password": "correct-horse", "csrf_token": token(html, "csrf_token")}
    )
    form = client.get("/ask").get_data(as_text=True)
    data = {"department": "gongan", "title": "标题", "body": "内容", "category": "其他", "submit_token": token(form)}
    assert client.post("/ask", data=data).status_code == 400
    assert client.post("/ask", data=data | {"csrf_token": token(form, "csrf_token")}).status_code == 302
    q = only_question()
    rate_form = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "rate-csrf_token" not in rate_form  # nothing to rate yet: no form at all


def test_double_submit_makes_one_question(client, auth, citizen):
    auth.login(citizen)
    form = client.get("/ask?dept=gongan").get_data(as_text=True)
    data = {"department": "gongan", "title": "标题", "body": "内容", "category": "其他", "submit_token": token(form)}
    first, second = client.post("/ask", data=data), client.post("/ask", data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(db.select(func.count()).select_from(Question)) == 1


def test_ask_page_groups_departments_and_preselects_from_a_hall(client, auth, citizen):
    auth.login(citizen)
    html = client.get("/ask?dept=gongjiao").get_data(as_text=True)
    for group in ("委办局", "市区县", "公用事业"):
        assert f'<optgroup label="{group}">' in html
    assert re.search(r'<option selected value="gongjiao">', html)
    hall = client.get("/hall/gongjiao").get_data(as_text=True)
    assert 'href="/ask?dept=gongjiao"' in hall


def test_ask_errors_show_at_the_field_and_keep_the_text(client, auth, citizen):
    auth.login(citizen)
    response = ask(client, title="长" * 61, body="我写了很多内容")
    html = response.get_data(as_text=True)
    assert "标题最多 60 个字" in html and "我写了很多内容" in html
    assert only_question() is None


def test_ask_needs_a_citizen_account(client, auth, spokesperson):
    assert client.get("/ask").headers["Location"].startswith("/login")
    auth.login(spokesperson)
    response = client.get("/ask")
    assert response.status_code == 403 and "提问请使用网友账号" in response.get_data(as_text=True)


def test_track_by_code_without_an_account(client, make_question):
    q = make_question("accepted", at=clock.now() - timedelta(hours=3))
    code = q.tracking_code
    html = client.get(f"/track?code={code[:4].lower()} {code[4:].lower()}").get_data(as_text=True)
    assert q.title in html and "办理中" in html and f'href="/q/{q.id}"' in html
    html = client.get("/track?code=ZZZZ2222").get_data(as_text=True)
    assert "没有找到这个查询码" in html
    assert "请输入查询码" in client.get("/track?code=").get_data(as_text=True)


def test_anonymous_asker_is_a_netizen_in_public_but_staff_see_the_account(
    client, auth, make_user, make_question, liaison, other_staff, admin
):
    asker = make_user(Role.CITIZEN, username="zhangsan", display_name="张三真名")
    q = make_question("replied", at=clock.now() - timedelta(hours=5), asker=asker, anonymous=True)
    public = q.public_asker_name
    assert public.startswith("网友") and q.tracking_code[-4:] not in public  # says nothing of the 查询码
    for viewer in (None, other_staff, asker):
        auth.logout()
        if viewer:
            auth.login(viewer)
        for url in (f"/q/{q.id}", "/timeline", "/hall/gongan"):
            html = client.get(url).get_data(as_text=True)
            assert public in html and "zhangsan" not in html, (viewer, url)
            if viewer is not asker:
                assert "张三真名" not in html, (viewer, url)
    for viewer in (liaison, admin):
        auth.logout()
        auth.login(viewer)
        html = page(client, q)
        assert f"{public}（账号 zhangsan，张三真名）" in html


PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_markup_typed_into_every_field_comes_back_inert(client, auth, citizen, liaison, spokesperson, admin, make_post):
    post = make_post(spokesperson, "正常微博")
    auth.login(citizen)
    ask(client, title="标题" + PAYLOAD[:30], body="内容" + PAYLOAD, category="其他")
    q = only_question()
    auth.logout()
    auth.login(liaison)
    client.post(f"/console/questions/{q.id}/accept", data={})
    client.post(f"/console/questions/{q.id}/progress", data={"progress-text": "进展" + PAYLOAD})
    client.post(f"/console/questions/{q.id}/reply", data={"reply-text": "答复" + PAYLOAD, "reply-posts": [post.id]})
    auth.logout()
    auth.login(citizen)
    client.post(f"/q/{q.id}/followup", data={"followup-text": "追问" + PAYLOAD})
    client.post(f"/q/{q.id}/rate", data={"rate-rating": "unsatisfied", "rate-comment": "评价" + PAYLOAD})
    auth.logout()
    auth.login(liaison)
    client.post(
        f"/console/questions/{q.id}/transfer",
        data={"transfer-department": "jiaotong", "transfer-reason": "转办" + PAYLOAD},
    )
    auth.logout()
    auth.login(admin)
    client.post(f"/admin/questions/{q.id}/hide", data={"hide-reason": "隐藏" + PAYLOAD[:40]})
    assert [e.kind.value for e in q.events] == [
        "asked",
        "accepted",
        "progress",
        "replied",
        "followup",
        "rated",
        "reopened",
        "transferred",
        "hidden",
    ]
    for viewer in (admin, citizen, None):
        auth.logout()
        if viewer:
            auth.login(viewer)
        for url in (
            f"/q/{q.id}",
            "/timeline",
            f"/track?code={q.tracking_code}",
            "/me/questions",
            "/notifications",
            "/admin/escalations",
            "/hall/gongan",
        ):
            html = client.get(url).get_data(as_text=True)
            assert "<script>alert" not in html and "<img src=x" not in html, (viewer, url)
    auth.logout()
    auth.login(citizen)
    html = page(client, q)
    for text in ("内容", "进展", "答复", "追问", "评价", "转办"):
        assert f"{text}&lt;script&gt;alert(1)&lt;/script&gt;" in html, text


def test_timeline_pagination_is_keyset(app, client, make_question):
    start = clock.now() - timedelta(days=3)
    for i in range(45):
        make_question("asked", at=start + timedelta(minutes=i), title=f"问题{i:02d}")
    statements: list[tuple[str, tuple]] = []

    def count(conn, cursor, statement, parameters, *args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = client.get("/timeline").get_data(as_text=True)
        first_count = len(statements)
        cursor = re.search(r'href="/timeline\?after=([^"]+)"', first).group(1)
        second = client.get(f"/timeline?after={cursor}").get_data(as_text=True)
        cursor = re.search(r'href="/timeline\?after=([^"]+)"', second).group(1)
        statements.clear()
        third = client.get(f"/timeline?after={cursor}").get_data(as_text=True)
        assert len(statements) == first_count
        # SQLite writes LIMIT ? OFFSET ?; the offset must stay 0: the cursor does the skipping.
        assert all(params[-1] == 0 for sql, params in statements if "OFFSET" in sql)
        assert any("(question.last_activity_at, question.id) <" in sql for sql, _ in statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "问题44" in first and "问题25" in first and "问题24" not in first
    assert "问题24" in second and "问题05" in second
    assert "问题04" in third and "问题00" in third and "下一页" not in third


def test_timeline_filters(client, make_question, citizen, cal):
    from xtq.domain import questions

    now = clock.now()
    make_question("accepted", at=now - timedelta(hours=4), title="公安办理中")
    questions.ask(citizen, dept("gongjiao"), title="公交待受理", body="内容", category="交通出行", now=now, cal=cal)
    questions.ask(citizen, dept("zhongmou"), title="中牟待受理", body="内容", category="其他", now=now, cal=cal)
    make_question("asked", at=now - timedelta(days=10), title="早已逾期")
    db.session.commit()

    def titles(query):
        html = client.get(f"/timeline?{query}").get_data(as_text=True)
        return {t for t in ("公安办理中", "公交待受理", "中牟待受理", "早已逾期") if t in html}

    assert titles("") == {"公安办理中", "公交待受理", "中牟待受理", "早已逾期"}
    assert titles("department=gongan") == {"公安办理中", "早已逾期"}
    assert titles("group=utility") == {"公交待受理"}
    assert titles("group=district") == {"中牟待受理"}
    assert titles("status=accepted") == {"公安办理中"}
    assert titles("category=交通出行") == {"公交待受理"}
    assert titles("status=overdue") == {"早已逾期"}
    assert "逾期" in client.get("/timeline?status=overdue").get_data(as_text=True)


def test_department_hall_lists_its_questions_with_status(client, make_question):
    make_question("accepted", at=clock.now() - timedelta(hours=2), title="公安的问题")
    html = client.get("/hall/gongan").get_data(as_text=True)
    assert "公安的问题" in html and 'class="badge status-accepted">办理中' in html
    assert "公安的问题" not in client.get("/hall/jiaoyu").get_data(as_text=True)


def test_my_questions_lists_only_mine_with_codes(client, auth, citizen, make_user, make_question):
    mine = make_question("asked", at=clock.now() - timedelta(hours=1), title="我的问题")
    make_question("asked", at=clock.now() - timedelta(hours=1), title="别人的问题", asker=make_user(Role.CITIZEN))
    auth.login(citizen)
    html = client.get("/me/questions").get_data(as_text=True)
    assert "我的问题" in html and mine.tracking_code in html and "别人的问题" not in html


def test_wrong_person_or_wrong_state_over_http(client, auth, make_question, citizen, other_staff, liaison):
    q = make_question("asked", at=clock.now() - timedelta(hours=1))
    assert client.post(f"/console/questions/{q.id}/accept").headers["Location"].startswith("/login")
    auth.login(citizen)
    assert client.post(f"/console/questions/{q.id}/accept").status_code == 403
    auth.logout()
    auth.login(other_staff)
    assert client.post(f"/console/questions/{q.id}/accept").status_code == 403
    auth.logout()
    auth.login(liaison)
    response = client.post(f"/console/questions/{q.id}/reply", data={"reply-text": "直接答复"}, follow_redirects=True)
    assert "不能答复" in response.get_data(as_text=True) and q.status.value == "asked"
    response = client.post(f"/console/questions/{q.id}/decline", data={"decline-reason": ""})
    assert response.status_code == 400 and "请填写理由" in response.get_data(as_text=True)
    assert client.post("/console/questions/99999/accept").status_code == 404


def test_reply_links_to_the_departments_posts(
    client, auth, make_question, liaison, spokesperson, other_staff, make_post
):
    own = make_post(spokesperson, "关于路灯维修的通知")
    other = make_post(other_staff, "教育局的微博")
    q = make_question("accepted", at=clock.now() - timedelta(hours=3))
    auth.login(liaison)
    html = page(client, q)
    assert f'value="{own.id}">#{own.id}' in html and f'value="{other.id}">#{other.id}' not in html  # post options
    response = client.post(f"/console/questions/{q.id}/reply", data={"reply-text": "见通知", "reply-posts": [other.id]})
    assert response.status_code == 400 and q.status.value == "accepted"
    client.post(f"/console/questions/{q.id}/reply", data={"reply-text": "见通知", "reply-posts": [own.id]})
    assert f'href="/p/{own.id}"' in page(client, q)


def test_reply_templates_insert_without_javascript(client, auth, make_question, liaison):
    from xtq.models import ReplyTemplate

    template = ReplyTemplate(department_id=liaison.department_id, title="已受理", body="网友您好：已收到。")
    db.session.add(template)
    db.session.commit()
    q = make_question("accepted", at=clock.now() - timedelta(hours=3))
    auth.login(liaison)
    html = page(client, q)
    assert 'data-body="网友您好：已收到。"' in html
    html = client.get(f"/q/{q.id}?template={template.id}").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="reply-text"[^>]*>\s*网友您好：已收到。</textarea>', html)


def test_a_stale_reply_is_closed_when_read(client, make_question):
    q = make_question("replied", at=clock.now() - timedelta(days=9))
    html = page(client, q)
    assert "已办结" in html and "系统自动办结" in html
