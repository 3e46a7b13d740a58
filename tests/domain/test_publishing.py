"""The publishing rules, called directly with an explicit clock."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq.domain import notices, posts, publishing
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.extensions import db
from xtq.models import AuditLog, NoticeType, Post, PostKind, PostRevision, PostStatus, PostTopic, Role

pytestmark = pytest.mark.usefixtures("app")


def audit_actions(post_id):
    return list(
        db.session.scalars(
            db.select(AuditLog.action).where(AuditLog.target_id == post_id, AuditLog.target_type == "post")
        )
    )


def water_notice(start_hours=2, hours=6, districts=("jinshui", "erqi")):
    return publishing.Notice(
        NoticeType.WATER_OUTAGE,
        list(districts),
        "花园路、经三路",
        NOW + timedelta(hours=start_hours),
        NOW + timedelta(hours=start_hours + hours),
    )


@pytest.mark.parametrize("kind", [PostKind.DECISION, PostKind.SERVICE, PostKind.NOTICE, PostKind.DAILY])
def test_spokesperson_publishes_each_kind_now(spokesperson, kind):
    post = publishing.compose(spokesperson, kind, "  内容 #供暖# @市教育局  ", now=NOW)
    assert post.status == PostStatus.PUBLISHED and post.published_at == NOW
    assert post.body == "内容 #供暖# @市教育局"  # stripped
    assert 'href="/hall/jiaoyu"' in post.body_html and 'class="topic"' in post.body_html
    assert posts.public_post(post.id, NOW) is not None
    assert audit_actions(post.id) == ["post.publish"]


@pytest.mark.parametrize(
    "body, message", [("", "请填写微博内容"), ("   \n ", "请填写微博内容"), ("字" * 2001, "最多 2000 字")]
)
def test_body_must_be_present_and_at_most_2000_characters(spokesperson, body, message):
    with pytest.raises(DomainError, match=message) as e:
        publishing.compose(spokesperson, PostKind.DAILY, body, now=NOW)
    assert e.value.field == "body"


def test_exactly_2000_characters_is_fine(spokesperson):
    assert len(publishing.compose(spokesperson, PostKind.DAILY, "字" * 2000, now=NOW).body) == 2000


def test_liaison_writes_drafts_only(liaison):
    with pytest.raises(PermissionDenied, match="联络员"):
        publishing.compose(liaison, PostKind.DAILY, "直接发布", now=NOW)
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    assert draft.status == PostStatus.DRAFT and draft.published_at is None
    assert posts.public_post(draft.id, NOW + timedelta(days=365)) is None


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.ADMIN])
def test_only_staff_compose(make_user, role):
    with pytest.raises(PermissionDenied):
        publishing.compose(make_user(role), PostKind.DAILY, "内容", now=NOW, draft=True)


def test_scheduled_post_is_public_only_from_its_time(spokesperson):
    at = NOW + timedelta(hours=3)
    post = publishing.compose(spokesperson, PostKind.NOTICE, "定时", now=NOW, publish_at=at)
    assert publishing.state(post, NOW) == publishing.State.SCHEDULED
    assert posts.public_post(post.id, at - timedelta(seconds=1)) is None
    assert posts.public_post(post.id, at) is not None
    assert audit_actions(post.id) == ["post.schedule"]


def test_schedule_must_be_later_than_now(spokesperson):
    with pytest.raises(DomainError, match="晚于现在"):
        publishing.compose(spokesperson, PostKind.NOTICE, "定时", now=NOW, publish_at=NOW)


def test_spokesperson_publishes_a_liaisons_draft(spokesperson, liaison):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    with pytest.raises(PermissionDenied):
        publishing.publish_draft(liaison, draft, now=NOW)
    publishing.publish_draft(spokesperson, draft, now=NOW + timedelta(minutes=5))
    assert draft.status == PostStatus.PUBLISHED and draft.published_at == NOW + timedelta(minutes=5)
    assert draft.author_id == spokesperson.id
    with pytest.raises(DomainError, match="只有草稿"):
        publishing.publish_draft(spokesperson, draft, now=NOW)


def test_staff_of_another_department_can_do_nothing(spokesperson, other_staff):
    post = publishing.compose(spokesperson, PostKind.DAILY, "公安的微博", now=NOW)
    for rule in (publishing.pin, publishing.delete):
        with pytest.raises(PermissionDenied):
            rule(other_staff, post, now=NOW)
    with pytest.raises(PermissionDenied):
        publishing.edit(other_staff, post, "改", now=NOW)
    draft = publishing.compose(spokesperson, PostKind.DAILY, "草稿", now=NOW, draft=True)
    with pytest.raises(PermissionDenied):
        publishing.publish_draft(other_staff, draft, now=NOW)


def test_at_most_three_pinned_per_department(spokesperson, other_staff):
    made = [publishing.compose(spokesperson, PostKind.DAILY, f"第{i}条", now=NOW) for i in range(4)]
    for post in made[:3]:
        publishing.pin(spokesperson, post, now=NOW)
    with pytest.raises(DomainError, match="最多置顶 3 条"):
        publishing.pin(spokesperson, made[3], now=NOW)
    publishing.pin(
        other_staff, publishing.compose(other_staff, PostKind.DAILY, "教育", now=NOW), now=NOW
    )  # per department
    publishing.unpin(spokesperson, made[0], now=NOW)
    publishing.pin(spokesperson, made[3], now=NOW)
    assert publishing.pinned_count(spokesperson.department_id) == 3
    assert [p.id for p in posts.pinned(spokesperson.department_id, NOW)] == [made[3].id, made[2].id, made[1].id]


def test_liaison_cannot_pin_and_drafts_cannot_be_pinned(spokesperson, liaison):
    post = publishing.compose(spokesperson, PostKind.DAILY, "内容", now=NOW)
    with pytest.raises(PermissionDenied):
        publishing.pin(liaison, post, now=NOW)
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    with pytest.raises(DomainError, match="已发布"):
        publishing.pin(spokesperson, draft, now=NOW)


def test_edit_keeps_the_old_text_rerenders_and_rerecords_topics(spokesperson):
    post = publishing.compose(spokesperson, PostKind.DAILY, "原文 #旧话题#", now=NOW)
    later = NOW + timedelta(minutes=30)
    publishing.edit(spokesperson, post, "新文 #新话题# @市公安局", now=later)
    db.session.flush()
    assert post.edited_at == later and post.body == "新文 #新话题# @市公安局"
    assert "新话题" in post.body_html and 'href="/hall/gongan"' in post.body_html
    revisions = db.session.scalars(db.select(PostRevision.body).where(PostRevision.post_id == post.id)).all()
    assert revisions == ["原文 #旧话题#"]
    topics = db.session.scalars(db.select(PostTopic.topic).where(PostTopic.post_id == post.id)).all()
    assert topics == ["新话题"]
    assert "post.edit" in audit_actions(post.id)


def test_edit_history_is_every_text_the_public_saw_newest_first(spokesperson, liaison):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿一稿", now=NOW - timedelta(hours=3), draft=True)
    publishing.edit(liaison, draft, "第一版", now=NOW - timedelta(hours=2))  # before it was public: not history
    publishing.publish_draft(spokesperson, draft, now=NOW - timedelta(hours=1))
    assert posts.edit_history(draft) == []  # never edited in public: nothing to show
    publishing.edit(spokesperson, draft, "第二版", now=NOW)
    publishing.edit(spokesperson, draft, "第二版", now=NOW + timedelta(minutes=5), byline=True)  # byline only
    publishing.edit(spokesperson, draft, "第三版 @市公安局", now=NOW + timedelta(minutes=10))
    history = posts.edit_history(draft)
    assert [(v.shown_from, v.shown_until) for v in history] == [
        (NOW + timedelta(minutes=10), None),
        (NOW, NOW + timedelta(minutes=10)),
        (NOW - timedelta(hours=1), NOW),
    ]
    assert ["第三版" in history[0].body_html, "第二版" in history[1].body_html, "第一版" in history[2].body_html] == [
        True
    ] * 3
    assert 'href="/hall/gongan"' in history[0].body_html  # rendered as the post is, through xtq.text


def test_edit_checks_the_body_and_refuses_no_change(spokesperson):
    post = publishing.compose(spokesperson, PostKind.DAILY, "原文", now=NOW)
    with pytest.raises(DomainError, match="没有变化"):
        publishing.edit(spokesperson, post, "原文", now=NOW)
    with pytest.raises(DomainError, match="请填写"):
        publishing.edit(spokesperson, post, "  ", now=NOW)


def test_liaison_edits_drafts_but_not_published_posts(spokesperson, liaison):
    draft = publishing.compose(liaison, PostKind.DAILY, "草稿", now=NOW, draft=True)
    publishing.edit(liaison, draft, "草稿二稿", now=NOW)
    assert draft.edited_at is None  # nobody saw the first text: no 已编辑
    post = publishing.compose(spokesperson, PostKind.DAILY, "已发布", now=NOW)
    with pytest.raises(PermissionDenied):
        publishing.edit(liaison, post, "改", now=NOW)
    with pytest.raises(PermissionDenied):
        publishing.delete(liaison, post, now=NOW)


def test_delete_hides_from_the_public_but_keeps_the_row(spokesperson):
    post = publishing.compose(spokesperson, PostKind.DAILY, "将被删除", now=NOW)
    publishing.pin(spokesperson, post, now=NOW)
    publishing.delete(spokesperson, post, now=NOW)
    db.session.commit()
    assert posts.public_post(post.id, NOW) is None and posts.shown_post(post.id, NOW) is None
    kept = db.session.get(Post, post.id)
    assert kept.status == PostStatus.DELETED and kept.deleted_at == NOW and kept.pinned_at is None
    assert audit_actions(post.id) == ["post.publish", "post.pin", "post.delete"]
    with pytest.raises(DomainError, match="已删除"):
        publishing.edit(spokesperson, post, "复活", now=NOW)


def test_byline_shows_the_title_and_the_name_only_when_the_department_chooses(spokesperson):
    post = publishing.compose(spokesperson, PostKind.DAILY, "署名", now=NOW, byline=True)
    assert post.byline_text == "网络新闻发言人"
    spokesperson.department.show_staff_names = True
    assert post.byline_text == f"网络新闻发言人 {spokesperson.display_name}"
    assert publishing.compose(spokesperson, PostKind.DAILY, "不署名", now=NOW).byline_text == ""


def test_service_notice_is_structured_and_validated(make_user):
    from xtq.models import StaffTitle

    water = make_user(Role.STAFF, slug="zilaishui", title=StaffTitle.SPOKESPERSON)
    post = publishing.compose(water, PostKind.OUTAGE, "停水通知", now=NOW, notice=water_notice())
    assert post.notice_type == NoticeType.WATER_OUTAGE and post.district_slugs == ["jinshui", "erqi"]
    assert post.notice_streets == "花园路、经三路"
    bad = [
        (publishing.Notice(None, ["jinshui"], "", NOW, NOW + timedelta(hours=1)), "公告类型"),
        (publishing.Notice(NoticeType.ROADWORK, [], "", NOW, NOW + timedelta(hours=1)), "至少选择一个"),
        (publishing.Notice(NoticeType.ROADWORK, ["gongan"], "", NOW, NOW + timedelta(hours=1)), "没有这个区县"),
        (
            publishing.Notice(NoticeType.ROADWORK, ["jinshui"], "", NOW + timedelta(hours=2), NOW + timedelta(hours=1)),
            "晚于开始",
        ),
        (
            publishing.Notice(NoticeType.ROADWORK, ["jinshui"], "", NOW - timedelta(hours=3), NOW - timedelta(hours=1)),
            "已过",
        ),
        (publishing.Notice(NoticeType.ROADWORK, ["jinshui"], "", None, None), "开始和结束"),
        (publishing.Notice(NoticeType.ROADWORK, ["jinshui"], "街" * 401, NOW, NOW + timedelta(hours=1)), "街道"),
    ]
    for notice, message in bad:
        with pytest.raises(DomainError, match=message):
            publishing.compose(water, PostKind.OUTAGE, "通知", now=NOW, notice=notice)
    daily = publishing.compose(water, PostKind.DAILY, "日常", now=NOW, notice=water_notice())
    assert daily.notice_type is None and daily.notice_end is None  # only outages carry notice fields


def test_notice_is_current_until_its_end_then_leaves_the_box(spokesperson):
    post = publishing.compose(
        spokesperson, PostKind.OUTAGE, "停水", now=NOW, notice=water_notice(start_hours=1, hours=4)
    )
    db.session.commit()
    end = post.notice_end
    assert [p.id for p in notices.current(NOW)] == [post.id]  # announced before it starts
    assert [p.id for p in notices.current(end - timedelta(seconds=1), "jinshui")] == [post.id]
    assert notices.current(NOW, "zhongmou") == []  # not a district it names
    assert notices.current(end) == [] and notices.current(end, "jinshui") == []
    assert posts.public_post(post.id, end + timedelta(days=30)) is not None  # still in the history


def test_district_slug_match_is_whole_word(spokesperson):
    notice = publishing.Notice(NoticeType.ROADWORK, ["xinzheng"], "", NOW, NOW + timedelta(hours=1))
    publishing.compose(spokesperson, PostKind.OUTAGE, "施工", now=NOW, notice=notice)
    db.session.commit()
    assert notices.current(NOW, "zheng") == [] and len(notices.current(NOW, "xinzheng")) == 1
