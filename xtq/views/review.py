"""Review before publishing (/admin/review): the queue, approve, reject, and the review mode."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from xtq import clock
from xtq.domain import questions, review, screening
from xtq.extensions import db
from xtq.forms.questions import ApproveForm, RejectForm, ReviewModeForm
from xtq.models import Role
from xtq.views._rules import apply
from xtq.views.question_display import rows
from xtq.views.roles import restrict
from xtq.web import page_cache

bp = Blueprint("review", __name__, url_prefix="/admin")
restrict(bp, Role.ADMIN)
QUEUE_SIZE = 50


def mode_form(**kwargs) -> ReviewModeForm:
    form = ReviewModeForm(**kwargs)
    form.mode.choices = [SelectChoice(m, screening.mode_label(m)) for m in screening.MODES]
    return form


@bp.get("/review")
@page_cache.for_readers()  # held rows of any kind and department: kept until the next write
def queue():
    """Held questions, oldest first, with why each was held; the review mode and how long review takes."""
    items = list(db.session.scalars(review.queue().limit(QUEUE_SIZE)))
    events = list(db.session.scalars(review.held_events().limit(QUEUE_SIZE)))
    held_comments = list(db.session.scalars(review.held_comments().limit(QUEUE_SIZE)))
    reasons = {
        (kind, x.id): [screening.describe(r) for r in x.review_reasons.splitlines()]
        for kind, xs in (("question", items), ("event", events), ("comment", held_comments))
        for x in xs
    }
    now, cal = clock.now(), clock.work_calendar()
    appeals = rows(list(db.session.scalars(review.appeals().limit(QUEUE_SIZE))), current_user, now, cal)
    figures = review.figures(now)
    return render_template(
        "review/queue.html",
        items=items,
        reasons=reasons,
        total=figures.waiting,
        appeals=appeals,
        events=events,
        comments=held_comments,
        approve_form=ApproveForm(),
        reject_form=RejectForm(),
        mode=screening.mode_label(screening.mode()),
        figures=figures,
    )


def _held(kind: str, item_id: int):
    if kind == "question":
        return questions.for_update(item_id) or abort(404)
    cls = review.KINDS.get(kind) or abort(404)
    return db.session.get(cls, item_id) or abort(404)


@bp.post("/review/<kind>/<int:item_id>/approve")
def approve(kind: str, item_id: int):
    """Publish a held question, follow-up or comment, removing a fragment first if one is given."""
    item = _held(kind, item_id)
    form = ApproveForm()
    if form.validate_on_submit():
        apply(
            lambda: review.approve(
                item,
                current_user,
                now=clock.now(),
                cal=clock.work_calendar(),
                fragment=form.fragment.data or "",
                reason=form.reason.data or "",
            ),
            _("已通过审核并公开。"),
        )
    return redirect(url_for("review.queue"))


@bp.post("/review/<kind>/<int:item_id>/reject")
def reject(kind: str, item_id: int):
    """Keep a held item out of public view, with a reason its writer sees."""
    item = _held(kind, item_id)
    form = RejectForm()
    if form.validate_on_submit():
        apply(
            lambda: review.reject(item, current_user, form.reason.data, now=clock.now()),
            _("已退回，发布人会看到理由。"),
        )
    else:
        flash(_("请填写不通过的理由。"), "error")
    return redirect(url_for("review.queue"))


@bp.post("/review/mode")
def set_mode():
    """Choose how citizens' questions are reviewed before they go public."""
    form = mode_form()
    if form.validate_on_submit():
        apply(lambda: screening.set_mode(form.mode.data), _("审核方式已保存。"))
    return redirect(url_for("admin.index"))
