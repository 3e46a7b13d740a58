"""Reporting a post or a comment to the admin's moderation queue."""

from flask import Blueprint, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import moderation
from xtq.forms.publishing import ReportForm
from xtq.views._rules import apply, flash_errors
from xtq.web.security import safe_next

bp = Blueprint("reports", __name__)


@bp.post("/report/<target_type>/<int:target_id>")
@login_required
def report(target_type: str, target_id: int):
    """File a report; the admin decides. Goes back to the page it came from."""
    form = ReportForm()
    if form.validate_on_submit():
        apply(
            lambda: moderation.report(current_user, target_type, target_id, form.reason.data, now=clock.now()),
            _("已收到您的举报，管理员会尽快处理。"),
        )
    else:
        flash_errors(form)
    return redirect(safe_next(form.next.data, url_for("hall.index")))
