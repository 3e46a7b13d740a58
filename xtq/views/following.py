"""Follow and unfollow departments; "我的关注", the timeline of their posts."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import departments, following, notices
from xtq.forms import ActionForm
from xtq.models import Post
from xtq.pagination import Page, paginate
from xtq.views._rules import apply

bp = Blueprint("following", __name__)


@bp.post("/hall/<slug>/follow")
@login_required
def follow(slug: str):
    """Follow a department."""
    dept = departments.by_slug(slug) or abort(404)
    if ActionForm().validate_on_submit():
        apply(
            lambda: following.follow(current_user, dept, now=clock.now()),
            _("已关注%(short_name)s。", short_name=dept.short_name),
        )
    return redirect(url_for("hall.department", slug=slug))


@bp.post("/hall/<slug>/unfollow")
@login_required
def unfollow(slug: str):
    """Stop following a department."""
    dept = departments.by_slug(slug) or abort(404)
    if ActionForm().validate_on_submit():
        apply(
            lambda: following.unfollow(current_user, dept), _("已取消关注%(short_name)s。", short_name=dept.short_name)
        )
    return redirect(url_for("hall.department", slug=slug))


@bp.get("/me/following")
@login_required
def timeline():
    """Posts of the departments I follow, newest first."""
    followed = following.followed_departments(current_user)
    # Following nobody, the keyset walk would read every public post to find none.
    page = (
        paginate(
            following.timeline(current_user, clock.now()),
            Post.published_at,
            Post.id,
            request.args.get("after"),
            current_app.config["PAGE_SIZE"],
        )
        if followed
        else Page([], None)
    )
    return render_template(
        "following/timeline.html", page=page, followed=followed, district_names=notices.district_names()
    )
