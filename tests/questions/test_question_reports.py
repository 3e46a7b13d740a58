"""Questions and the steps of their history can be reported like posts; the admin decides."""

from datetime import timedelta

from tests.helpers import NOW
from xtq.extensions import db
from xtq.models import EventKind, QuestionEvent, Report, ReportStatus, Role


def test_citizens_report_a_question_and_a_reply_and_the_admin_hides_them(client, auth, make_question, make_user, admin):
    q = make_question("replied", at=NOW - timedelta(days=1), title="电话 13800000000 请联系我")
    reply = db.session.scalar(db.select(QuestionEvent).where(QuestionEvent.kind == EventKind.REPLIED))
    reporter = make_user(Role.CITIZEN)
    auth.login(reporter)
    page = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert f'action="/report/question/{q.id}"' in page and f'action="/report/event/{reply.id}"' in page
    assert (
        client.post(f"/report/question/{q.id}", data={"reason": "含有电话号码", "next": f"/q/{q.id}"}).status_code
        == 302
    )
    client.post(f"/report/event/{reply.id}", data={"reason": "答非所问", "next": f"/q/{q.id}"})
    assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 2
    auth.logout()

    auth.login(admin)
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert "提问" in queue and "办理记录" in queue and "含有电话号码" in queue and "已安排维修" in queue
    assert f'href="/q/{q.id}#event-{reply.id}"' in queue
    client.post(f"/admin/reports/event/{reply.id}", data={"reason": "与问题无关", "hide": "隐藏"})
    client.post(f"/admin/reports/question/{q.id}", data={"reason": "", "dismiss": "驳回举报"})
    assert {r.status for r in db.session.scalars(db.select(Report))} == {ReportStatus.HIDDEN, ReportStatus.DISMISSED}
    auth.logout()

    page = client.get(f"/q/{q.id}").get_data(as_text=True)
    assert "此条内容已被管理员隐藏：与问题无关" in page and "已安排维修" not in page
    assert client.get(f"/api/v1/questions/{q.id}").json["events"][2]["hidden_reason"] == "与问题无关"


def test_hidden_questions_cannot_be_reported_and_anonymous_readers_see_no_report_form(
    client, auth, make_question, make_user
):
    hidden = make_question("hidden", at=NOW - timedelta(days=1))
    shown = make_question("asked", at=NOW - timedelta(days=1))
    assert "/report/" not in client.get(f"/q/{shown.id}").get_data(as_text=True)
    auth.login(make_user(Role.CITIZEN))
    client.post(f"/report/question/{hidden.id}", data={"reason": "x"})
    assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 0


def test_a_post_cites_the_questions_that_led_to_it_and_both_link(client, auth, make_question, spokesperson):
    q = make_question("replied", at=NOW - timedelta(days=2), title="路口红绿灯太短")
    other = make_question("asked", at=NOW - timedelta(days=1), department="jiaoyu")
    auth.login(spokesperson)
    assert f'href="/console/compose?cites={q.id}"' in client.get(f"/q/{q.id}").get_data(as_text=True)
    assert f'value="{q.id}"' in client.get(f"/console/compose?cites={q.id}").get_data(as_text=True)
    form = {"kind": "decision", "body": "红绿灯时长已调整", "when": "now"}
    refused = client.post("/console/compose", data={**form, "cites": f"{q.id}, {other.id}"})
    assert f"本部门没有这些问题：{other.id}" in refused.get_data(as_text=True)
    assert "问题编号应为数字" in client.post("/console/compose", data={**form, "cites": "12a"}).get_data(as_text=True)
    assert client.post("/console/compose", data={**form, "cites": f"{q.id}"}).status_code == 302
    auth.logout()

    from xtq.models import Post

    post = db.session.scalar(db.select(Post).where(Post.body == "红绿灯时长已调整"))
    assert "路口红绿灯太短" in client.get(f"/p/{post.id}").get_data(as_text=True)
    assert f'href="/p/{post.id}"' in client.get(f"/q/{q.id}").get_data(as_text=True)
