"""The asker's corrections and recourse (edit, withdraw, appeal) and the office's appeal decisions."""

from flask import Blueprint
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import departments, questions
from xtq.domain.questions import Action
from xtq.models import Role
from xtq.views.questions import perform
from xtq.views.roles import role_required

bp = Blueprint("recourse", __name__)


@bp.post("/q/<int:question_id>/edit")
@login_required
def edit(question_id: int):
    """The asker corrects the title or text within minutes of asking, before acceptance."""
    return perform(question_id, Action.EDIT, lambda q, f: questions.edit(
        q, current_user, title=f.title.data, body=f.body.data, now=clock.now()), _("问题已修改。"))


@bp.post("/q/<int:question_id>/withdraw")
@login_required
def withdraw(question_id: int):
    """The asker takes back a question not yet accepted."""
    return perform(question_id, Action.WITHDRAW, lambda q, f: questions.withdraw(q, current_user, now=clock.now()),
                   _("问题已撤回，不再公开。"))


@bp.post("/q/<int:question_id>/appeal")
@login_required
def appeal(question_id: int):
    """The asker asks the office to review a decline, once."""
    return perform(question_id, Action.APPEAL, lambda q, f: questions.appeal(
        q, current_user, f.reason.data, now=clock.now(), cal=clock.work_calendar()), _("复核申请已提交。"))


@bp.post("/admin/questions/<int:question_id>/uphold")
@role_required(Role.ADMIN)
def uphold(question_id: int):
    """The office confirms the decline after an appeal."""
    return perform(question_id, Action.UPHOLD, lambda q, f: questions.uphold(
        q, current_user, f.reason.data, now=clock.now()), _("已维持不予受理。"))


@bp.post("/admin/questions/<int:question_id>/reopen")
@role_required(Role.ADMIN)
def reopen(question_id: int):
    """The office overturns the decline and hands the question to a department."""
    return perform(question_id, Action.REOPEN, lambda q, f: questions.reopen(
        q, current_user, departments.by_slug(f.department.data), f.reason.data, now=clock.now(),
        cal=clock.work_calendar()), _("问题已重新交办。"))
