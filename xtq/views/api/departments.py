"""API: departments and a department's posts."""

from flask import abort

from xtq import clock
from xtq.domain import departments, posts
from xtq.models import Post
from xtq.views.api import bp, page_of, serialize


@bp.get("/departments")
def department_list():
    """Every department, in directory order (one page: there are only a few dozen)."""
    return {"items": [serialize.department(d) for d in departments.all_in_order()], "next_cursor": None}


@bp.get("/departments/<slug>")
def department_detail(slug: str):
    """One department's profile and contacts."""
    dept = departments.by_slug(slug) or abort(404)
    return serialize.department(dept)


@bp.get("/departments/<slug>/posts")
def department_posts(slug: str):
    """A department's public posts, newest first."""
    dept = departments.by_slug(slug) or abort(404)
    page = page_of(posts.by_department(dept.id, clock.now()), Post.published_at, Post.id)
    return {"items": [serialize.post(p) for p in page.items], "next_cursor": page.next_cursor}
