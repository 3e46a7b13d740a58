"""The bell: unread count on every page, the list, opening one, marking all read."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import notifications
from xtq.extensions import db
from xtq.forms import ActionForm
from xtq.web.security import safe_next

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    """My notifications, newest first; unread ones stand out."""
    page = notifications.paginate_for(current_user, request.args.get("after"), current_app.config["PAGE_SIZE"])
    return render_template("notifications/index.html", page=page, form=ActionForm())


@bp.get("/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Mark one notification read and go where it points."""
    note = notifications.open_one(current_user, notification_id, now=clock.now()) or abort(404)
    db.session.commit()
    return redirect(safe_next(note.url, url_for("notifications.index")))


@bp.post("/read")
@login_required
def read_all():
    """Mark every notification read."""
    form = ActionForm()
    if form.validate_on_submit():
        notifications.mark_all_read(current_user, now=clock.now())
        db.session.commit()
    return redirect(url_for("notifications.index"))
