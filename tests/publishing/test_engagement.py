"""Citizens follow, comment and report; the admin decides; hidden things say so in their place."""

import pytest

from xtq.extensions import db
from xtq.models import AuditLog, Comment, Follow, Report, ReportStatus


@pytest.fixture
def post(spokesperson, make_post):
    return make_post(spokesperson, "公安发布的微博")


def test_new_users_journey_follow_comment_report_admin_hides(client, auth, post, citizen, admin, make_user):
    auth.login(citizen)
    assert client.post("/hall/gongan/follow").status_code == 302
    assert "已关注" in client.get("/hall/gongan").get_data(as_text=True)
    assert "公安发布的微博" in client.get("/me/following").get_data(as_text=True)
    assert client.post(f"/p/{post.id}/comments", data={"body": "买发票加微信"}).status_code == 302
    comment = db.session.scalar(db.select(Comment))
    page = client.get(f"/p/{post.id}").get_data(as_text=True)
    assert "买发票加微信" in page and '评论 <span class="muted">1</span>' in page
    response = client.post(f"/report/comment/{comment.id}", data={"reason": "广告", "next": f"/p/{post.id}"})
    assert response.status_code == 302 and response.location.endswith(f"/p/{post.id}")
    auth.logout()

    auth.login(admin)
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert "买发票加微信" in queue and "广告" in queue and "1 人举报" in queue
    assert (
        client.post(f"/admin/reports/comment/{comment.id}", data={"reason": "垃圾广告", "hide": "隐藏"}).status_code
        == 302
    )
    page = client.get(f"/p/{post.id}").get_data(as_text=True)
    assert "该内容已被隐藏（原因：垃圾广告）" in page and "买发票加微信" not in page
    queue = client.get("/admin/reports").get_data(as_text=True)
    assert "没有待处理的举报" in queue and "隐藏评论" in queue and "垃圾广告" in queue
    log = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "comment.hide"))
    assert (log.actor_id, log.detail) == (admin.id, "垃圾广告")
    report = db.session.scalar(db.select(Report))
    assert (report.status, report.resolved_by_id) == (ReportStatus.HIDDEN, admin.id) and report.resolved_at


def test_three_reports_hide_a_comment_on_the_page_until_the_admin_dismisses(
    client, auth, post, citizen, admin, make_user
):
    auth.login(citizen)
    client.post(f"/p/{post.id}/comments", data={"body": "有争议的评论"})
    comment = db.session.scalar(db.select(Comment))
    for _ in range(3):
        auth.logout()
        auth.login(make_user())
        client.post(f"/report/comment/{comment.id}", data={"reason": ""})
    page = client.get(f"/p/{post.id}").get_data(as_text=True)
    assert "该内容已被隐藏（原因：多名网友举报，等待管理员处理）" in page and "有争议的评论" not in page
    auth.logout()
    auth.login(admin)
    client.post(f"/admin/reports/comment/{comment.id}", data={"reason": "", "dismiss": "驳回举报"})
    assert "有争议的评论" in client.get(f"/p/{post.id}").get_data(as_text=True)
    assert "举报不成立" in client.get("/admin/reports").get_data(as_text=True)  # recorded with its reason


def test_admin_hides_a_post_and_its_page_says_so(client, auth, post, citizen, admin):
    auth.login(citizen)
    client.post(f"/report/post/{post.id}", data={"reason": "不实信息"})
    auth.logout()
    auth.login(admin)
    client.post(f"/admin/reports/post/{post.id}", data={"reason": "正在核实", "hide": "隐藏"})
    auth.logout()
    page = client.get(f"/p/{post.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "该内容已被隐藏（原因：正在核实）" in html and "公安发布的微博" not in html
    assert "公安发布的微博" not in client.get("/hall/gongan").get_data(as_text=True)
    assert client.get(f"/api/v1/posts/{post.id}").status_code == 404


def test_reporting_twice_says_so(client, auth, post, citizen):
    auth.login(citizen)
    client.post(f"/report/post/{post.id}", data={"reason": ""})
    html = client.post(
        f"/report/post/{post.id}", data={"reason": "", "next": f"/p/{post.id}"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "您已举报过该内容" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 1


def test_report_redirect_stays_on_this_site(client, auth, post, citizen):
    auth.login(citizen)
    response = client.post(f"/report/post/{post.id}", data={"reason": "", "next": "https://evil.example/"})
    assert response.location == "/"


def test_staff_hide_a_comment_from_the_post_page(client, auth, post, citizen, liaison):
    auth.login(citizen)
    client.post(f"/p/{post.id}/comments", data={"body": "辱骂内容"})
    comment = db.session.scalar(db.select(Comment))
    assert "隐藏评论" not in client.get(f"/p/{post.id}").get_data(as_text=True)
    auth.logout()
    auth.login(liaison)
    assert "隐藏评论" in client.get(f"/p/{post.id}").get_data(as_text=True)
    html = client.post(f"/console/comments/{comment.id}/hide", data={"reason": ""}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "请说明原因" in html
    client.post(f"/console/comments/{comment.id}/hide", data={"reason": "含有辱骂"})
    assert "该内容已被隐藏（原因：含有辱骂）" in client.get(f"/p/{post.id}").get_data(as_text=True)


def test_comment_errors_are_flashed_and_staff_cannot_comment(client, auth, post, citizen, spokesperson):
    auth.login(citizen)
    html = client.post(f"/p/{post.id}/comments", data={"body": "评" * 501}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "最多 500 字" in html
    assert "发表评论" in client.get(f"/p/{post.id}").get_data(as_text=True)  # a citizen has the comment form
    auth.logout()
    auth.login(spokesperson)
    assert "发表评论" not in client.get(f"/p/{post.id}").get_data(as_text=True)
    assert client.post(f"/p/{post.id}/comments", data={"body": "工作人员"}).status_code == 403


def test_unfollow_and_the_following_page_only_shows_followed_departments(
    client, auth, citizen, spokesperson, other_staff, make_post
):
    make_post(spokesperson, "公安的消息")
    make_post(other_staff, "教育的消息")
    auth.login(citizen)
    html = client.get("/me/following").get_data(as_text=True)
    assert "您还没有关注任何部门" in html
    client.post("/hall/jiaoyu/follow")
    html = client.get("/me/following").get_data(as_text=True)
    assert "教育的消息" in html and "公安的消息" not in html
    html = client.post("/hall/jiaoyu/follow", follow_redirects=True).get_data(as_text=True)
    assert "您已经关注了" in html
    client.post("/hall/jiaoyu/unfollow")
    assert db.session.scalar(db.select(db.func.count()).select_from(Follow)) == 0
    assert "教育的消息" not in client.get("/me/following").get_data(as_text=True)


def test_anonymous_sees_a_login_link_to_follow_and_comment(client, post):
    assert 'href="/login?next=/hall/gongan"' in client.get("/hall/gongan").get_data(as_text=True)
    assert "登录</a>后可以评论" in client.get(f"/p/{post.id}").get_data(as_text=True)
