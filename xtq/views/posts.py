"""A post's own page and topic pages."""

from flask import Blueprint, abort, current_app, render_template, request

from xtq import clock
from xtq.domain import posts
from xtq.models import Post
from xtq.pagination import paginate

bp = Blueprint("posts", __name__)


@bp.get("/p/<int:post_id>")
def post(post_id: int):
    """One post, as shared and linked from other platforms."""
    item = posts.public_post(post_id, clock.now()) or abort(404)
    return render_template("posts/post.html", post=item)


@bp.get("/topic/<name>")
def topic(name: str):
    """Every public post carrying #name#."""
    if len(name) > 30:
        abort(404)
    page = paginate(posts.by_topic(name, clock.now()), Post.published_at, Post.id, request.args.get("after"), current_app.config["PAGE_SIZE"])
    return render_template("posts/topic.html", name=name, page=page)
