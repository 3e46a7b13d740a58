"""What the publishing half adds to the hall's pages: pinned posts, notices, follow state, feeds."""

from datetime import datetime

from flask import current_app
from flask_login import current_user

from xtq.domain import following, notices, posts
from xtq.models import Department, DeptGroup, Post
from xtq.pagination import paginate
from xtq.web import holes


def home_context(now: datetime) -> dict:
    """Values for the hall home: the current notices box."""
    return {
        "notices": notices.current(now),
        "district_names": notices.district_names(),
    }


def department_context(dept: Department, now: datetime, cursor: str | None) -> dict:
    """Values for a department's hall: pinned posts first (page 1 only), then the rest newest first."""
    page = paginate(
        posts.unpinned_by_department(dept.id, now), Post.published_at, Post.id, cursor, current_app.config["PAGE_SIZE"]
    )
    return {
        "page": page,
        "pinned": [] if cursor else posts.pinned(dept.id, now),
        "notices": notices.current(now, dept.slug) if dept.group == DeptGroup.DISTRICT else [],
        "district_names": notices.district_names(),
    }


@holes.renderer("follow")
def follow_row(department_id: str, slug: str) -> str:
    """The follow button as this reader sees it (following or not), and the feed link."""
    signed_in = current_user.is_authenticated
    return holes.render(
        "_partials/follow.html",
        dept={"slug": slug},
        following=signed_in and following.is_following(current_user, int(department_id)),
        can_follow=signed_in,
    )
