"""API: the hall's posts and one post."""

from flask import abort

from xtq import clock
from xtq.domain import posts
from xtq.models import Post
from xtq.views.api import bp, page_of, serialize


@bp.get("/posts")
def post_list():
    """Every department's public posts, newest first."""
    page = page_of(posts.public_posts(clock.now()), Post.published_at, Post.id)
    return {"items": [serialize.post(p) for p in page.items], "next_cursor": page.next_cursor}


@bp.get("/posts/<int:post_id>")
def post_detail(post_id: int):
    """One public post."""
    item = posts.public_post(post_id, clock.now()) or abort(404)
    return serialize.post(item)
