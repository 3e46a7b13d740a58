"""The coordinating office's pages: an index and the moderation queue of reports."""

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from xtq import clock
from xtq.domain import moderation
from xtq.publish_forms import DecisionForm
from xtq.views._rules import apply, flash_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")
DISMISS_REASON = "举报不成立"


@bp.before_request
def admin_only():
    """Anonymous visitors log in first; anyone but the admin gets 403."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


@bp.get("")
def index():
    """The admin's start page."""
    return render_template("admin/index.html", open_reports=moderation.open_count())


@bp.get("/reports")
def reports():
    """Reported posts and comments, the longest waiting first, and the latest decisions."""
    decisions = [(row, moderation.describe(row.action)) for row in moderation.recent_decisions()]
    return render_template("admin/reports.html", items=moderation.queue(), form=DecisionForm(), decisions=decisions)


@bp.post("/reports/<target_type>/<int:target_id>")
def decide(target_type: str, target_id: int):
    """Hide the reported thing or dismiss its reports, with a reason kept on record."""
    form = DecisionForm()
    if form.validate_on_submit():
        hide = bool(form.hide.data)
        reason = (form.reason.data or "").strip() or ("" if hide else DISMISS_REASON)
        apply(lambda: moderation.decide(current_user, target_type, target_id, hide, reason, now=clock.now()),
              "已隐藏。" if hide else "已驳回举报。")
    else:
        flash_errors(form)
    return redirect(url_for("admin.reports"))
