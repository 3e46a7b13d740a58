"""The coordinating office's side of the loop: the escalation list, hiding and redacting questions.

Kept apart from the other admin pages (its own blueprint) so that areas stay small.
"""

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from xtq import clock
from xtq.domain import deadlines, departments, questions
from xtq.domain.errors import DomainError
from xtq.domain.questions import Action
from xtq.extensions import db
from xtq.models import Question, QuestionEvent, Role
from xtq.pagination import paginate
from xtq.views.question_display import rows
from xtq.views.questions import perform
from xtq.views.roles import restrict
from xtq.web import page_cache

bp = Blueprint("question_admin", __name__, url_prefix="/admin")
restrict(bp, Role.ADMIN)

ESCALATE_AFTER = 3  # working days overdue


@bp.get("/escalations")
@page_cache.for_readers()  # the office's list, across departments: kept until the next write
def escalations():
    """Questions overdue by 3 or more working days, most overdue first, and years the calendar does not cover."""
    now, cal = clock.now(), clock.work_calendar()
    page = paginate(
        questions.late_questions(now, cal, ESCALATE_AFTER),
        Question.due_at,
        Question.id,
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
        ascending=True,
    )
    this_year = deadlines.local_date(now).year
    # A reply deadline set in late December runs into next year: check that year too.
    uncovered = cal.uncovered_years({this_year, deadlines.local_date(now + timedelta(days=45)).year})
    from xtq.domain import office

    return render_template(
        "question_admin/escalations.html",
        rows=rows(page.items, current_user, now, cal),
        page=page,
        uncovered=uncovered,
        days=ESCALATE_AFTER,
        supervised=office.supervised_ids([q.id for q in page.items]),
    )


@bp.post("/questions/<int:question_id>/hide")
def hide(question_id: int):
    """Hide a question from the public, with a public reason."""
    return perform(
        question_id,
        Action.HIDE,
        lambda q, f: questions.hide(q, current_user, f.reason.data, now=clock.now()),
        _("问题已隐藏。"),
    )


@bp.post("/questions/<int:question_id>/unhide")
def unhide(question_id: int):
    """Show a hidden question again."""
    return perform(
        question_id,
        Action.UNHIDE,
        lambda q, f: questions.unhide(q, current_user, now=clock.now()),
        _("问题已恢复显示。"),
    )


@bp.post("/questions/<int:question_id>/redact")
def redact(question_id: int):
    """Remove part of a question's text (or of one of its events) and say why in public."""

    def call(q, f):
        event = None
        if f.target.data != "question":
            event = db.session.get(QuestionEvent, int(f.target.data)) if f.target.data.isdigit() else None
            if event is None or event.question_id != q.id:
                raise DomainError(_("请选择要处理的内容。"), "target")
        return questions.redact(q, current_user, f.fragment.data, f.reason.data, now=clock.now(), event=event)

    return perform(question_id, Action.REDACT, call, _("已处理，并公开说明了理由。"))


@bp.post("/questions/<int:question_id>/uphold")
def uphold(question_id: int):
    """The office confirms the decline after an appeal."""
    return perform(
        question_id,
        Action.UPHOLD,
        lambda q, f: questions.uphold(q, current_user, f.reason.data, now=clock.now()),
        _("已维持不予受理。"),
    )


@bp.post("/questions/<int:question_id>/reopen")
def reopen(question_id: int):
    """The office overturns the decline and hands the question to a department."""
    return perform(
        question_id,
        Action.REOPEN,
        lambda q, f: questions.reopen(
            q,
            current_user,
            departments.by_slug(f.department.data),
            f.reason.data,
            now=clock.now(),
            cal=clock.work_calendar(),
        ),
        _("问题已重新交办。"),
    )
