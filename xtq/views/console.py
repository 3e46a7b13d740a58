"""The staff console: compose, schedule, publish, edit, pin and delete one's own department's posts."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from xtq import clock
from xtq.domain import comments, notices, photos, publishing
from xtq.extensions import db
from xtq.forms import ActionForm, HideForm
from xtq.forms.publishing import EditForm, PostForm, utc
from xtq.models import Comment, NoticeType, Post, PostKind, PostStatus, Role
from xtq.pagination import paginate
from xtq.views._rules import apply, flash_errors, guard
from xtq.views.photo_uploads import accepts_photos, uploads
from xtq.views.roles import restrict
from xtq.web import page_cache

bp = Blueprint("console", __name__, url_prefix="/console")

restrict(bp, Role.STAFF)


def _post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or post.status == PostStatus.DELETED:
        abort(404)
    return post


@bp.get("")
@page_cache.for_readers()  # kept per department and title, until the department writes
def index():
    """The department's posts: drafts, scheduled and published, newest written first."""
    now = clock.now()
    dept = current_user.department
    page_cache.depends_on(dept.id)
    page = paginate(
        publishing.department_posts(dept.id),
        Post.created_at,
        Post.id,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    rows = [(post, publishing.state(post, now)) for post in page.items]
    return render_template(
        "console/index.html",
        dept=dept,
        page=page,
        rows=rows,
        can_publish=publishing.can_publish(current_user),
        pinned=publishing.pinned_count(dept.id),
        max_pinned=publishing.MAX_PINNED,
        State=publishing.State,
    )


@bp.route("/compose", methods=["GET", "POST"])
@page_cache.for_readers()  # kept per department and title: what may be published and where it links
@accepts_photos
def compose():
    """Write a post: publish now, schedule it, or keep it as a draft."""
    page_cache.shows()  # an empty form: the district names, nothing else a write changes
    form = PostForm()
    form.notice_districts.choices = [SelectChoice(slug, name) for slug, name in notices.district_names().items()]
    can_publish = publishing.can_publish(current_user)
    if request.method == "GET" and request.args.get("cites"):
        form.cites.data = request.args["cites"][:200]  # "write a post about this question" from the inbox
    if not can_publish and request.method == "GET":
        form.when.data = "draft"  # the only choice shown; the rule refuses anything else (403)
    if form.validate_on_submit():
        notice = publishing.Notice(
            NoticeType(form.notice_type.data) if form.notice_type.data else None,
            form.notice_districts.data or [],
            form.notice_streets.data or "",
            utc(form.notice_start.data),
            utc(form.notice_end.data),
        )
        when = form.when.data
        if when == "later" and form.publish_at.data is None:
            form.publish_at.errors = [_("请填写定时发布的时间。")]
        else:

            def write() -> None:
                prepared = photos.prepare(uploads(form.photos))  # refused photos: nothing is written
                post = publishing.compose(
                    current_user,
                    PostKind(form.kind.data),
                    form.body.data,
                    now=clock.now(),
                    draft=when == "draft",
                    publish_at=utc(form.publish_at.data) if when == "later" else None,
                    byline=form.byline.data,
                    notice=notice,
                    cites=form.cites.data,
                )
                photos.store(prepared, current_user, now=clock.now(), post=post)

            done = apply(
                write,
                {"now": _("微博已发布。"), "later": _("已设定定时发布。"), "draft": _("草稿已保存。")}[when],
                form,
            )
            if done:
                return redirect(url_for("console.index"))
    return render_template("console/compose.html", form=form, can_publish=can_publish, max_body=publishing.MAX_BODY)


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int):
    """Change a post's text; the earlier text is kept and the post shows 已编辑."""
    post = _post(post_id)
    guard(lambda: publishing.require_manageable(current_user, post))
    form = EditForm(obj=post)
    if form.validate_on_submit() and apply(
        lambda: publishing.edit(current_user, post, form.body.data, now=clock.now(), byline=form.byline.data),
        _("修改已保存。"),
        form,
    ):
        return redirect(url_for("console.index"))
    return render_template("console/edit.html", form=form, post=post, max_body=publishing.MAX_BODY)


def _act(post_id: int, rule, success: str):
    post = _post(post_id)
    if ActionForm().validate_on_submit():
        apply(lambda: rule(current_user, post, now=clock.now()), success)
    return redirect(url_for("console.index"))


@bp.post("/posts/<int:post_id>/publish")
def publish(post_id: int):
    """A spokesperson publishes a draft now."""
    return _act(post_id, publishing.publish_draft, _("草稿已发布。"))


@bp.post("/posts/<int:post_id>/pin")
def pin(post_id: int):
    """Pin a post to the top of the department's hall."""
    return _act(post_id, publishing.pin, _("已置顶。"))


@bp.post("/posts/<int:post_id>/unpin")
def unpin(post_id: int):
    """Take a post off the top."""
    return _act(post_id, publishing.unpin, _("已取消置顶。"))


@bp.post("/posts/<int:post_id>/delete")
def delete(post_id: int):
    """Delete a post: gone from the public, kept for the record."""
    return _act(post_id, publishing.delete, _("微博已删除。"))


@bp.post("/comments/<int:comment_id>/hide")
def hide_comment(comment_id: int):
    """Staff of the post's department hide a comment, with a public reason."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    post = _post(comment.post_id)
    guard(lambda: publishing.require_staff_of(current_user, post.department_id))
    form = HideForm()
    if form.validate_on_submit():
        apply(lambda: comments.hide(current_user, comment, form.reason.data, now=clock.now()), _("评论已隐藏。"))
    else:
        flash_errors(form)
    return redirect(url_for("posts.post", post_id=post.id, _anchor=f"c{comment.id}"))
