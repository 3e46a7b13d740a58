"""The coordinating office's pages: an index, the moderation queue of reports, the demo clock."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from xtq import clock
from xtq.demo import clock as demo_clock
from xtq.domain import moderation, review, screening
from xtq.forms.launch import AdvanceForm
from xtq.forms.publishing import DecisionForm
from xtq.models import Role
from xtq.views import review as review_views
from xtq.views._rules import apply, flash_errors
from xtq.views.roles import restrict
from xtq.web import site_state

bp = Blueprint("admin", __name__, url_prefix="/admin")
DISMISS_REASON = "举报不成立"

restrict(bp, Role.ADMIN)


@bp.get("")
def index():
    """The admin's start page."""
    state = site_state.current()
    return render_template(
        "admin/index.html",
        open_reports=moderation.open_count(),
        demo_mode=state.demo_mode,
        demo_now=clock.now() if state.demo_mode else None,
        advance_form=AdvanceForm(),
        review_form=review_views.mode_form(mode=screening.mode()),
        pending_reviews=review.pending_count(),
    )


@bp.get("/reports")
def reports():
    """Reported posts, comments, questions and replies, the longest waiting first, and the latest decisions."""
    decisions = [(row, moderation.describe(row.action)) for row in moderation.recent_decisions()]
    items = [(item, moderation.TARGET_LABELS[item.target_type], *_place(item)) for item in moderation.queue()]
    return render_template("admin/reports.html", items=items, decisions=decisions)


def _place(item: moderation.QueueItem) -> tuple[str, Markup]:
    """Where the reported thing stands, and its text as the public sees it."""
    t = item.target
    if item.target_type == "post":
        return url_for("posts.post", post_id=t.id), Markup(t.body_html)
    if item.target_type == "comment":
        return url_for("posts.post", post_id=t.post_id, _anchor=f"c{t.id}"), Markup(t.body_html)
    if item.target_type == "question":
        return url_for("questions.question", question_id=t.id), Markup("<strong>%s</strong><br>") % t.title + Markup(
            t.body_html
        )
    if item.target_type == "photo":
        return url_for("media.photo", photo_id=t.id), Markup('<img src="%s" alt="" class="photo-thumb">') % url_for(
            "media.thumb", photo_id=t.id
        )
    return url_for("questions.question", question_id=t.question_id, _anchor=f"event-{t.id}"), Markup(t.text_html)


@bp.post("/reports/<target_type>/<int:target_id>")
def decide(target_type: str, target_id: int):
    """Hide the reported thing or dismiss its reports, with a reason kept on record."""
    form = DecisionForm()
    if form.validate_on_submit():
        hide = bool(form.hide.data)
        reason = (form.reason.data or "").strip() or ("" if hide else DISMISS_REASON)
        apply(
            lambda: moderation.decide(current_user, target_type, target_id, hide, reason, now=clock.now()),
            _("已隐藏。") if hide else _("已驳回举报。"),
        )
    else:
        flash_errors(form)
    return redirect(url_for("admin.reports"))


@bp.post("/demo/advance")
def advance_demo_clock():
    """Demo mode only: jump the hall's clock ahead by working days; deadlines pass, reminders go out."""
    form = AdvanceForm()
    if form.validate_on_submit():
        days = form.days.data
        apply(
            lambda: demo_clock.advance(
                current_user, days, now=clock.now(), cal=clock.work_calendar(), state=site_state.current()
            ),
            _("演示时钟已前进 %(days)s 个工作日。", days=days),
        )
    else:
        flash_errors(form)
    return redirect(url_for("admin.index"))
