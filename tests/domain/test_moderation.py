"""Comments, reports and the admin's decisions, called directly with an explicit clock."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq.domain import comments, moderation, publishing
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.extensions import db
from xtq.models import AuditLog, PostKind, Report, ReportStatus, Role

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def post(spokesperson):
    made = publishing.compose(spokesperson, PostKind.DAILY, "公安微博", now=NOW - timedelta(hours=1))
    db.session.commit()
    return made


@pytest.fixture
def comment(post, citizen):
    made = comments.add(citizen, post, "一条评论", now=NOW)
    db.session.commit()
    return made


def test_citizen_comments_and_the_count_follows(post, citizen):
    comments.add(citizen, post, "  好的 @市公安局 ", now=NOW)
    assert post.comment_count == 1


@pytest.mark.parametrize("body, message", [("", "请填写"), ("   ", "请填写"), ("评" * 501, "最多 500 字")])
def test_comment_must_be_present_and_at_most_500(post, citizen, body, message):
    with pytest.raises(DomainError, match=message):
        comments.add(citizen, post, body, now=NOW)


def test_only_citizens_comment(post, spokesperson, admin):
    for user in (spokesperson, admin):
        with pytest.raises(PermissionDenied):
            comments.add(user, post, "评论", now=NOW)


def test_no_comments_on_drafts_scheduled_or_hidden_posts(spokesperson, liaison, citizen, post):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    scheduled = publishing.compose(spokesperson, PostKind.DAILY, "定时", now=NOW, publish_at=NOW + timedelta(days=1))
    for target in (draft, scheduled):
        with pytest.raises(NotFound):
            comments.add(citizen, target, "评论", now=NOW)
    post.hidden_at = NOW
    with pytest.raises(DomainError, match="已被隐藏"):
        comments.add(citizen, post, "评论", now=NOW)


def test_staff_of_the_posts_department_hide_a_comment_with_a_reason(comment, liaison, other_staff):
    with pytest.raises(PermissionDenied):
        comments.hide(other_staff, comment, "广告", now=NOW)
    with pytest.raises(DomainError, match="原因"):
        comments.hide(liaison, comment, " ", now=NOW)
    comments.hide(liaison, comment, "广告信息", now=NOW)
    assert comment.hidden_at == NOW and comment.hidden_reason == "广告信息"
    assert db.session.scalar(db.select(AuditLog.action).where(AuditLog.target_type == "comment")) == "comment.hide"


def test_one_report_per_user_per_target(comment, citizen):
    moderation.report(citizen, "comment", comment.id, "广告", now=NOW)
    with pytest.raises(DomainError, match="已举报过"):
        moderation.report(citizen, "comment", comment.id, "", now=NOW)


def test_unknown_or_unpublished_targets_cannot_be_reported(citizen, liaison):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    for target_type, target_id in (("comment", 999), ("question", 1), ("post", draft.id)):
        with pytest.raises(NotFound):
            moderation.report(citizen, target_type, target_id, "", now=NOW)


def test_three_different_reporters_hide_a_comment_until_the_admin_decides(comment, make_user, admin):
    reporters = [make_user() for _ in range(3)]
    moderation.report(reporters[0], "comment", comment.id, "", now=NOW)
    moderation.report(reporters[1], "comment", comment.id, "", now=NOW)
    assert comment.hidden_at is None
    moderation.report(reporters[2], "comment", comment.id, "", now=NOW)
    assert comment.hidden_at == NOW and comment.hidden_reason == moderation.AUTO_HIDE_REASON
    # The admin finds the reports unfounded: the comment is shown again.
    moderation.decide(admin, "comment", comment.id, False, "正常的意见", now=NOW + timedelta(hours=1))
    assert comment.hidden_at is None and comment.hidden_reason is None
    rows = db.session.scalars(db.select(Report)).all()
    assert {r.status for r in rows} == {ReportStatus.DISMISSED}
    assert {(r.resolved_by_id, r.resolved_at) for r in rows} == {(admin.id, NOW + timedelta(hours=1))}
    log = db.session.scalar(db.select(AuditLog).where(AuditLog.action == "comment.dismiss"))
    assert (log.actor_id, log.detail) == (admin.id, "正常的意见")


def test_a_departments_post_waits_for_the_admin(post, make_user, admin):
    for _ in range(5):
        moderation.report(make_user(), "post", post.id, "不实", now=NOW)
    assert post.hidden_at is None
    assert [(i.target_type, i.target_id, i.reports) for i in moderation.queue()] == [("post", post.id, 5)]
    moderation.decide(admin, "post", post.id, True, "内容有误，待核实", now=NOW)
    assert post.hidden_at == NOW and post.hidden_reason == "内容有误，待核实"
    assert moderation.queue() == [] and moderation.open_count() == 0
    with pytest.raises(DomainError, match="没有待处理"):
        moderation.decide(admin, "post", post.id, True, "再次", now=NOW)


def test_only_the_admin_decides_and_always_with_a_reason(comment, citizen, spokesperson, admin):
    moderation.report(citizen, "comment", comment.id, "", now=NOW)
    with pytest.raises(PermissionDenied):
        moderation.decide(spokesperson, "comment", comment.id, True, "隐藏", now=NOW)
    with pytest.raises(DomainError, match="原因"):
        moderation.decide(admin, "comment", comment.id, True, "", now=NOW)


def test_hidden_things_cannot_be_reported_again(comment, liaison, citizen):
    comments.hide(liaison, comment, "广告", now=NOW)
    with pytest.raises(DomainError, match="已被隐藏"):
        moderation.report(citizen, "comment", comment.id, "", now=NOW)


def test_any_logged_in_role_may_report(post, make_user):
    for role in Role:
        moderation.report(make_user(role, slug="jiaoyu" if role == Role.STAFF else None), "post", post.id, "", now=NOW)
    assert moderation.queue()[0].reports == len(Role)
