"""Departments publish: compose, schedule, publish drafts, pin, edit and delete posts.

Every rule takes `now`, checks who may act (staff of the post's own department; only a
spokesperson makes anything public) and leaves an audit row. Nothing here commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func

from xtq.domain import alerts, audit, departments
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.messages import msg
from xtq.domain.posts import record_topics
from xtq.extensions import db
from xtq.models import (
    NoticeType,
    Post,
    PostKind,
    PostRevision,
    PostStatus,
    Question,
    QuestionPostLink,
    StaffTitle,
    User,
)
from xtq.text import render

MAX_BODY = 2000
MAX_PINNED = 3
MAX_STREETS = 400


@dataclass
class Notice:
    """The structured part of a service notice (kind OUTAGE)."""

    type: NoticeType | None
    districts: list[str]
    streets: str
    start: datetime | None
    end: datetime | None


class State:
    """Where a post stands, as the console shows it."""

    DRAFT = _l("草稿")
    SCHEDULED = _l("定时发布")
    PUBLISHED = _l("已发布")
    HIDDEN = _l("已隐藏")
    DELETED = _l("已删除")


# ---- who may act -------------------------------------------------------------------------


def is_staff_of(user: User, department_id: int) -> bool:
    return bool(user.is_authenticated and user.is_staff and user.department_id == department_id)


def require_staff_of(user: User, department_id: int) -> None:
    """Only staff of the department itself may act on its posts and comments."""
    if not is_staff_of(user, department_id):
        raise PermissionDenied(_("您只能管理本部门的内容。"))


def require_spokesperson_of(user: User, department_id: int) -> None:
    require_staff_of(user, department_id)
    if user.title != StaffTitle.SPOKESPERSON:
        raise PermissionDenied(_("联络员只能撰写草稿，发布、置顶、修改和删除已发布的微博需由网络新闻发言人操作。"))


def can_publish(user: User) -> bool:
    return user.is_staff and user.title == StaffTitle.SPOKESPERSON


def require_manageable(user: User, post: Post) -> None:
    """Drafts: any staff of the department. Anything published: its spokesperson."""
    if post.status == PostStatus.DELETED:
        raise DomainError(_("这条微博已删除。"))
    if post.status == PostStatus.DRAFT:
        require_staff_of(user, post.department_id)
    else:
        require_spokesperson_of(user, post.department_id)


# ---- checks on what is written ------------------------------------------------------------


def clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请填写微博内容。"), "body")
    if len(body) > MAX_BODY:
        raise DomainError(
            _("微博内容最多 %(MAX_BODY)s 字，现在是 %(count)s 字。", MAX_BODY=MAX_BODY, count=len(body)), "body"
        )
    return body


def _check_notice(notice: Notice | None, now: datetime) -> Notice:
    if notice is None or notice.type is None:
        raise DomainError(_("请选择公告类型（停水、停电等）。"), "notice_type")
    known = {d.slug for d in departments.districts()}
    districts = list(dict.fromkeys(notice.districts))
    if not districts:
        raise DomainError(_("请至少选择一个受影响的区县。"), "notice_districts")
    if unknown := [d for d in districts if d not in known]:
        raise DomainError(_("没有这个区县：%(names)s", names="、".join(unknown)), "notice_districts")
    streets = (notice.streets or "").strip()
    if len(streets) > MAX_STREETS:
        raise DomainError(_("受影响街道最多 %(MAX_STREETS)s 字。", MAX_STREETS=MAX_STREETS), "notice_streets")
    if notice.start is None or notice.end is None:
        raise DomainError(_("请填写开始和结束时间。"), "notice_start")
    if notice.end <= notice.start:
        raise DomainError(_("结束时间须晚于开始时间。"), "notice_end")
    if notice.end <= now:
        raise DomainError(_("结束时间已过，无需再发布这条公告。"), "notice_end")
    return Notice(notice.type, districts, streets, notice.start, notice.end)


def _apply_notice(post: Post, notice: Notice | None, now: datetime) -> None:
    if post.kind != PostKind.OUTAGE:
        post.notice_type = post.notice_districts = post.notice_streets = None
        post.notice_start = post.notice_end = None
        return
    notice = _check_notice(notice, now)
    post.notice_type = notice.type
    post.notice_districts = " ".join(notice.districts)
    post.notice_streets = notice.streets or None
    post.notice_start, post.notice_end = notice.start, notice.end


# ---- the rules ---------------------------------------------------------------------------


def compose(
    author: User,
    kind: PostKind,
    body: str,
    *,
    now: datetime,
    draft: bool = False,
    publish_at: datetime | None = None,
    byline: bool = False,
    notice: Notice | None = None,
    cites: str = "",
) -> Post:
    """Write a post for the author's own department: a draft, published now, or scheduled.

    `cites` names the questions (by number) that led to the post; each side then links to the other.
    """
    if not author.is_staff or author.department_id is None:
        raise PermissionDenied(_("只有部门工作人员可以发布微博。"))
    if not draft:
        require_spokesperson_of(author, author.department_id)
    if publish_at is not None and not draft and publish_at <= now:
        raise DomainError(_("定时发布的时间须晚于现在。"), "publish_at")
    post = Post(
        department_id=author.department_id,
        department=author.department,
        author_id=author.id,
        author=author,
        kind=PostKind(kind),
        body=clean_body(body),
        byline=byline,
        created_at=now,
        status=PostStatus.DRAFT if draft else PostStatus.PUBLISHED,
        published_at=None if draft else (publish_at or now),
    )
    _apply_notice(post, notice, now)
    cited = cited_questions(author, cites)
    post.body_html = render(post.body, departments.mention_map())
    db.session.add(post)
    db.session.flush()
    record_topics(post)
    db.session.add_all(QuestionPostLink(question_id=q.id, post_id=post.id) for q in cited)
    action = "post.draft" if draft else ("post.schedule" if publish_at else "post.publish")
    audit.record(author, action, "post", post.id, post.body[:200], now=now)
    alerts.announce(post, now)  # a notice published now; a scheduled one waits for cron
    return post


def cited_questions(author: User, numbers: str) -> list[Question]:
    """The department's own public questions named in `numbers` ("12, 15"), or a clear error."""
    parts = [p for p in re.split(r"[\s,，、]+", numbers or "") if p]
    if not all(p.isdigit() and len(p) < 10 for p in parts):
        raise DomainError(_("问题编号应为数字，多个用逗号分隔。"), "cites")
    ids = list(dict.fromkeys(int(p) for p in parts))[:10]
    found = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question).where(
                Question.id.in_(ids), Question.department_id == author.department_id, Question.hidden_at.is_(None)
            )
        )
    }
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise DomainError(_("本部门没有这些问题：%(names)s。", names="、".join(missing)), "cites")
    return [found[i] for i in ids]


def publish_draft(user: User, post: Post, *, now: datetime, publish_at: datetime | None = None) -> None:
    """A spokesperson publishes a draft now, or schedules it."""
    require_spokesperson_of(user, post.department_id)
    if post.status != PostStatus.DRAFT:
        raise DomainError(_("只有草稿可以发布。"))
    if publish_at is not None and publish_at <= now:
        raise DomainError(_("定时发布的时间须晚于现在。"), "publish_at")
    if post.kind == PostKind.OUTAGE and post.notice_end is not None and post.notice_end <= now:
        raise DomainError(_("这条公告的结束时间已过，无需再发布。"))
    post.status = PostStatus.PUBLISHED
    post.published_at = publish_at or now
    post.author_id, post.author = user.id, user  # the one who published signs it
    audit.record(user, "post.publish", "post", post.id, msg("audit.post_publish_draft"), now=now)
    alerts.announce(post, now)


def edit(user: User, post: Post, body: str, *, now: datetime, byline: bool | None = None) -> None:
    """Change a post's text; the earlier text is kept and a published post shows 已编辑."""
    require_manageable(user, post)
    body = clean_body(body)
    if body == post.body and (byline is None or byline == post.byline):
        raise DomainError(_("内容没有变化。"), "body")
    db.session.add(PostRevision(post_id=post.id, editor_id=user.id, body=post.body, created_at=now))
    if post.status == PostStatus.PUBLISHED:
        post.edited_at = now
    post.body = body
    post.body_html = render(body, departments.mention_map())
    if byline is not None:
        post.byline = byline
    record_topics(post)
    audit.record(user, "post.edit", "post", post.id, body[:200], now=now)


def delete(user: User, post: Post, *, now: datetime) -> None:
    """Take a post away from the public; the row stays for the record."""
    require_manageable(user, post)
    post.status = PostStatus.DELETED
    post.deleted_at = now
    post.pinned_at = None
    audit.record(user, "post.delete", "post", post.id, post.body[:200], now=now)


def pinned_count(department_id: int) -> int:
    return (
        db.session.scalar(
            db.select(func.count())
            .select_from(Post)
            .where(
                Post.department_id == department_id,
                Post.status == PostStatus.PUBLISHED,
                Post.pinned_at.is_not(None),
            )
        )
        or 0
    )


def pin(user: User, post: Post, *, now: datetime) -> None:
    """Pin a published post to the top of its department's hall (at most 3)."""
    require_spokesperson_of(user, post.department_id)
    if post.status != PostStatus.PUBLISHED:
        raise DomainError(_("只有已发布的微博可以置顶。"))
    if post.pinned_at is not None:
        raise DomainError(_("这条微博已经置顶。"))
    if pinned_count(post.department_id) >= MAX_PINNED:
        raise DomainError(_("每个部门最多置顶 %(MAX_PINNED)s 条微博，请先取消一条。", MAX_PINNED=MAX_PINNED))
    post.pinned_at = now
    audit.record(user, "post.pin", "post", post.id, "", now=now)


def unpin(user: User, post: Post, *, now: datetime) -> None:
    require_spokesperson_of(user, post.department_id)
    if post.pinned_at is None:
        raise DomainError(_("这条微博没有置顶。"))
    post.pinned_at = None
    audit.record(user, "post.unpin", "post", post.id, "", now=now)


# ---- reading for the console -------------------------------------------------------------


def state(post: Post, now: datetime) -> str:
    if post.status == PostStatus.DELETED:
        return State.DELETED
    if post.status == PostStatus.DRAFT:
        return State.DRAFT
    if post.hidden_at is not None:
        return State.HIDDEN
    if post.published_at is not None and post.published_at > now:
        return State.SCHEDULED
    return State.PUBLISHED


def department_posts(department_id: int) -> Select:
    """Everything a department has written except what it deleted: drafts and scheduled too."""
    return db.select(Post).where(Post.department_id == department_id, Post.status != PostStatus.DELETED)
