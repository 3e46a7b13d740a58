"""The asker's corrections and recourse: edit, withdraw, appeal (the office decides appeals in question_admin)."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import questions
from xtq.domain.questions import Action
from xtq.views.questions import perform

bp = Blueprint("recourse", __name__)


@bp.post("/q/<int:question_id>/edit")
@login_required
def edit(question_id: int):
    """The asker corrects the title or text within minutes of asking, before acceptance."""
    return perform(
        question_id,
        Action.EDIT,
        lambda q, f: questions.edit(q, current_user, title=f.title.data, body=f.body.data, now=clock.now()),
        _("问题已修改。"),
    )


@bp.post("/q/<int:question_id>/withdraw")
@login_required
def withdraw(question_id: int):
    """The asker takes back a question not yet accepted."""
    return perform(
        question_id,
        Action.WITHDRAW,
        lambda q, f: questions.withdraw(q, current_user, now=clock.now()),
        _("问题已撤回，不再公开。"),
    )


@bp.post("/q/<int:question_id>/appeal")
@login_required
def appeal(question_id: int):
    """The asker asks the office to review a decline, once."""
    return perform(
        question_id,
        Action.APPEAL,
        lambda q, f: questions.appeal(q, current_user, f.reason.data, now=clock.now(), cal=clock.work_calendar()),
        _("复核申请已提交。"),
    )
