"""Outage alerts: citizens who chose districts (and optionally streets) hear of service notices there.

A notice is announced once (`Post.notice_alerted_at`): when it is published, or, if it was
scheduled, by the cron run after it goes public (`flask close-stale`). Each subscriber gets a
notification, and its e-mail copy when they keep the outage topic on.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from xtq.domain import notices
from xtq.domain.deadlines import SHANGHAI
from xtq.domain.notifications import Topic, notify
from xtq.domain.posts import public_posts
from xtq.extensions import db
from xtq.models import Post, PostKind, User


def concerns(post: Post, user: User) -> bool:
    """Whether a notice covers one of the user's districts and, if they named streets, one of those
    (a notice that names no street covers its whole district)."""
    if not set(post.district_slugs) & set((user.notice_districts or "").split()):
        return False
    streets = (user.notice_streets or "").split()
    return not streets or not post.notice_streets or any(s in post.notice_streets for s in streets)


def subscribers(post: Post) -> list[User]:
    """Active accounts whose chosen districts and streets the notice covers."""
    padded = " " + User.notice_districts + " "
    candidates = db.session.scalars(
        db.select(User)
        .where(
            User.active.is_(True),
            sa.or_(sa.false(), *(padded.contains(f" {slug} ", autoescape=True) for slug in post.district_slugs)),
        )
        .order_by(User.id)
    )
    return [u for u in candidates if concerns(post, u)]


def announce(post: Post, now: datetime) -> int:
    """Tell the notice's subscribers, once; returns how many were told."""
    if (
        post.kind != PostKind.OUTAGE
        or post.notice_alerted_at is not None
        or post.published_at is None
        or post.published_at > now
        or (post.notice_end is not None and post.notice_end <= now)
    ):
        return 0
    names = notices.district_names()
    where = "、".join(names.get(slug, slug) for slug in post.district_slugs)
    if post.notice_streets:
        where += f"（{post.notice_streets}）"
    text = (
        f"{post.department.short_name}发布{post.notice_type.label if post.notice_type else '服务公告'}："
        f"{where}，{_local(post.notice_start)}至{_local(post.notice_end)}。"
    )
    told = subscribers(post)
    for user in told:
        notify(user, text, now=now, url=f"/p/{post.id}", topic=Topic.OUTAGE)
    post.notice_alerted_at = now
    return len(told)


def announce_due(now: datetime) -> int:
    """Announce every public notice in force that nobody was told of yet (scheduled ones, for cron)."""
    due = db.session.scalars(
        public_posts(now)
        .where(Post.kind == PostKind.OUTAGE, Post.notice_alerted_at.is_(None), Post.notice_end > now)
        .order_by(Post.id)
    )
    return sum(announce(post, now) for post in list(due))


def _local(moment: datetime | None) -> str:
    return moment.astimezone(SHANGHAI).strftime("%m-%d %H:%M") if moment else ""


def mine(user: User, now: datetime) -> list[Post]:
    """The notices in force that concern the user (the "my notices" box)."""
    slugs = (user.notice_districts or "").split()
    if not slugs:
        return []
    return [p for p in notices.current(now, district_slugs=slugs, limit=50) if concerns(p, user)][: notices.BOX_SIZE]
