"""Service notices in force: the "current notices" box on the hall home and district halls."""

from datetime import datetime

import sqlalchemy as sa

from xtq.domain.posts import public_posts
from xtq.extensions import db
from xtq.models import Department, DeptGroup, Post, PostKind

BOX_SIZE = 10


def current(
    now: datetime, district_slug: str | None = None, limit: int = BOX_SIZE, district_slugs: list[str] | None = None
) -> list[Post]:
    """Public notices that have not ended, soonest first; a notice leaves once its end passes.

    Only those covering `district_slug`, or any of `district_slugs`, when given.
    """
    # Notices in force, found through ix_post_notice_end: left to itself, SQLite's planner walks
    # every public post by ix_post_public instead (65 ms at 50,000 posts, against 1 ms).
    in_force = db.select(Post.id).where(Post.kind == PostKind.OUTAGE, Post.notice_end > now)
    select = public_posts(now).where(Post.id.in_(in_force.scalar_subquery()))
    if district_slug is not None:
        district_slugs = [district_slug]
    if district_slugs is not None:
        select = select.where(sa.or_(sa.false(), *(_covers(slug) for slug in district_slugs)))
    return list(db.session.scalars(select.order_by(Post.notice_start, Post.id).limit(limit)))


def _covers(district_slug: str):
    return (" " + Post.notice_districts + " ").contains(f" {district_slug} ", autoescape=True)


def for_district(now: datetime, district_slug: str) -> sa.Select:
    """Every public notice that covers a district, ended ones too (for its feed)."""
    return public_posts(now).where(Post.kind == PostKind.OUTAGE, _covers(district_slug))


def district_names() -> dict[str, str]:
    """District slug → short name, to show where a notice applies."""
    rows = db.session.execute(
        db.select(Department.slug, Department.short_name).where(Department.group == DeptGroup.DISTRICT)
    ).all()
    return dict(rows)
