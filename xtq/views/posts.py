"""A post's own page with its comments, commenting, and topic pages."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import comments, notices, photos, posts, publishing, questions
from xtq.extensions import limiter
from xtq.federation import reactions
from xtq.forms.publishing import CommentForm
from xtq.models import Comment, Post, Role
from xtq.pagination import paginate
from xtq.views._rules import apply, flash_errors

bp = Blueprint("posts", __name__)


@bp.get("/p/<int:post_id>")
def post(post_id: int):
    """One post, as shared and linked from other platforms, with its comments."""
    item = posts.shown_post(post_id, clock.now()) or abort(404)
    page = paginate(
        comments.for_post(item.id),
        Comment.created_at,
        Comment.id,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    signed_in = current_user.is_authenticated
    can_hide = publishing.is_staff_of(current_user, item.department_id)
    return render_template(
        "posts/post.html",
        post=item,
        comments=page,
        comment_form=CommentForm(),
        can_comment=signed_in and current_user.role == Role.CITIZEN,
        can_report=signed_in,
        can_hide=can_hide,
        full_comments=can_hide or (signed_in and current_user.is_admin),  # personal data unmasked
        district_names=notices.district_names(),
        led_by=questions.questions_for_post(item.id),
        history=posts.edit_history(item),
        post_photos=[
            p for p in photos.of_post(item) if photos.may_see(p, current_user if signed_in else None, clock.now())
        ],
        fediverse=reactions.counts(item.id),
    )


@bp.post("/p/<int:post_id>/comments")
@limiter.limit(lambda: current_app.config["COMMENT_LIMIT"])
@login_required
def comment(post_id: int):
    """A logged-in citizen comments on a post."""
    item = posts.shown_post(post_id, clock.now()) or abort(404)
    form = CommentForm()
    if form.validate_on_submit():
        added = []
        if (
            apply(
                lambda: added.append(comments.add(current_user, item, form.body.data, now=clock.now())),
                _("评论已发表。"),
            )
            and added[0].review_state is not None
        ):
            flash(_("评论审核通过后显示。"), "info")
    else:
        flash_errors(form)
    return redirect(url_for("posts.post", post_id=item.id, _anchor="comments"))


@bp.get("/topic/<name>")
def topic(name: str):
    """Every public post carrying #name#."""
    if len(name) > 30:
        abort(404)
    page = paginate(
        posts.by_topic(name, clock.now()),
        Post.published_at,
        Post.id,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    return render_template("posts/topic.html", name=name, page=page, district_names=notices.district_names())
