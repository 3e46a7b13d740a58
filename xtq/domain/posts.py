"""Reading posts: what the public may see, newest first."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func

from xtq.domain.departments import mention_map
from xtq.extensions import db
from xtq.models import Post, PostRevision, PostStatus, PostTopic
from xtq.text import render, topics_in


def public_posts(now: datetime) -> Select:
    """Posts the public may read at `now`: published, due, not deleted or hidden."""
    return db.select(Post).where(
        Post.status == PostStatus.PUBLISHED,
        Post.published_at <= now,
        Post.hidden_at.is_(None),
    )


def public_post(post_id: int, now: datetime) -> Post | None:
    return db.session.scalar(public_posts(now).where(Post.id == post_id))


def by_department(department_id: int, now: datetime) -> Select:
    return public_posts(now).where(Post.department_id == department_id)


def by_topic(topic: str, now: datetime) -> Select:
    return public_posts(now).where(Post.id.in_(db.select(PostTopic.post_id).where(PostTopic.topic == topic)))


def hot_topics(since: datetime, now: datetime, limit: int = 8) -> list[tuple[str, int]]:
    """The most used topics in public posts published since `since`."""
    visible = public_posts(now).where(Post.published_at >= since).with_only_columns(Post.id)
    rows = db.session.execute(
        db.select(PostTopic.topic, func.count().label("n"))
        .where(PostTopic.post_id.in_(visible))
        .group_by(PostTopic.topic)
        .order_by(func.count().desc(), PostTopic.topic)
        .limit(limit)
    ).all()
    return [(topic, n) for topic, n in rows]


def record_topics(post: Post) -> None:
    """Keep the post's #话题# rows in step with its text."""
    db.session.execute(db.delete(PostTopic).where(PostTopic.post_id == post.id))
    for name in topics_in(post.body):
        db.session.add(PostTopic(post_id=post.id, topic=name))


def pinned(department_id: int, now: datetime) -> list[Post]:
    """A department's public pinned posts, latest pinned first (at most a few)."""
    select = by_department(department_id, now).where(Post.pinned_at.is_not(None))
    return list(db.session.scalars(select.order_by(Post.pinned_at.desc(), Post.id.desc())))


def unpinned_by_department(department_id: int, now: datetime) -> Select:
    return by_department(department_id, now).where(Post.pinned_at.is_(None))


def shown_post(post_id: int, now: datetime) -> Post | None:
    """A post whose time has come, hidden ones included: its page then says it is hidden."""
    return db.session.scalar(
        db.select(Post).where(Post.id == post_id, Post.status == PostStatus.PUBLISHED, Post.published_at <= now)
    )


@dataclass(frozen=True)
class Version:
    """One text of a post as the public saw it, from `shown_from` until `shown_until` (None: today's text)."""

    body_html: str
    shown_from: datetime
    shown_until: datetime | None


def edit_history(post: Post) -> list[Version]:
    """Every text the public has seen of an edited post, newest first (as Weibo shows them).

    Edits made before the post went public (a draft, a scheduled post) are not part of it.
    A change of byline alone keeps the text, so it adds no version.
    """
    if post.published_at is None or post.edited_at is None:
        return []
    revisions = list(
        db.session.scalars(
            db.select(PostRevision)
            .where(PostRevision.post_id == post.id, PostRevision.created_at > post.published_at)
            .order_by(PostRevision.created_at, PostRevision.id)
        )
    )
    texts = [r.body for r in revisions] + [post.body]  # a revision keeps the text its edit replaced
    starts = [post.published_at] + [r.created_at for r in revisions]
    spans: list[list] = []  # [text, shown from, shown until]
    for text, start, until in zip(texts, starts, starts[1:] + [None]):
        if spans and spans[-1][0] == text:
            spans[-1][2] = until
        else:
            spans.append([text, start, until])
    if len(spans) < 2:
        return []
    mentions = mention_map()
    return [Version(render(text, mentions), start, until) for text, start, until in reversed(spans)]
