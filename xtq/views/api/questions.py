"""API: questions and their public history."""

from flask import abort, request

from xtq import clock
from xtq.domain import departments, questions
from xtq.models import Question, QuestionStatus
from xtq.views.api import BadParameter, bp, page_of, serialize
from flask_babel import gettext as _


@bp.get("/questions")
def question_list():
    """Public questions, newest activity first; filters by department and status."""
    select = questions.public_questions()
    if slug := request.args.get("department"):
        dept = departments.by_slug(slug)
        if dept is None:
            raise BadParameter("department", _("没有这个部门，department 参数应为部门标识，如 gongan。"))
        select = select.where(Question.department_id == dept.id)
    if status := request.args.get("status"):
        if status not in {s.value for s in QuestionStatus}:
            raise BadParameter("status", _("status 参数应为 asked、accepted、declined、replied 或 closed。"))
        select = select.where(Question.status == QuestionStatus(status))
    page = page_of(select, Question.last_activity_at, Question.id)
    now = clock.now()
    return {"items": [serialize.question(q, now) for q in page.items], "next_cursor": page.next_cursor}


@bp.get("/questions/<int:question_id>")
def question_detail(question_id: int):
    """One public question with every step of its history."""
    q = questions.by_id(question_id)
    if q is None or q.hidden_at is not None or q.department_id is None:  # hidden, or waiting for dispatch
        abort(404)
    return serialize.question(q, clock.now(), with_events=True)
