"""The coordinating office's part of the loop, and the work inside a department.

    asked of "the city" ─┐                     ┌──────── dispatch 分拨 (office) ────────┐
                         ▼                     │                                         ▼
                 at the office (待分拨, no department) ◀── return 退回 (department) ── asked / accepted

- A citizen who does not know whom to ask asks "the city"; a department that received a
  question outside its remit returns it with a public reason. Either way the question waits in
  the office's dispatch queue (`/admin/dispatch`) with its own short deadline (DISPATCH_DAYS),
  and the office dispatches it to a department, where the accept deadline starts.
- While it waits, no department holds it (`Question.department_id` is None): it is left out of
  public lists, search and figures, but its own page and the asker's tracking code still work.
- Inside the department: a handler (承办人) named among its staff, and internal notes that only
  the department's staff and the office read (never any public surface).

Who may do what is decided by xtq.domain.questions.refusal, like every other step.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import Select

from xtq.domain import deadlines
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.departments import mention_map
from xtq.domain.errors import DomainError
from xtq.domain.notifications import department_staff, notify, notify_all
from xtq.domain.questions import (REASON_MAX, TEXT_MAX, Action, Terms, _check, _end_deadline, _event, _start_deadline,
                                  _tell_asker, _text, _url)
from xtq.extensions import db
from xtq.models import (DeadlineStep, Department, EventKind, Question, QuestionEvent, QuestionNote, QuestionStatus, Role,
                        User)
from xtq.text import render

S = QuestionStatus


def dispatch_days() -> int:
    return int(current_app.config.get("DISPATCH_DAYS", 1)) if has_app_context() else 1


def office_staff() -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.role == Role.ADMIN, User.active.is_(True))))


# ---------------------------------------------------------------- the dispatch queue

def into_queue(question: Question, now: datetime, cal: WorkCalendar) -> None:
    """The question waits for the office, which has DISPATCH_DAYS working days to send it on."""
    question.department, question.department_id, question.handler_id = None, None, None
    question.status, question.accepted_at = S.ASKED, None
    question.due_at = deadlines.due_at(now, dispatch_days(), cal)
    notify_all(office_staff(), f"问题待分拨：「{question.title}」", now=now, question=question, url=_url(question))


def last_return(question: Question) -> QuestionEvent | None:
    """The latest return of a waiting question (None when it was asked of the city)."""
    returns = [e for e in question.events if e.kind == EventKind.RETURNED]
    return returns[-1] if returns else None


def queue() -> Select:
    """Questions waiting for the office, the nearest deadline first."""
    return (db.select(Question).where(Question.department_id.is_(None), Question.status == S.ASKED)
            .order_by(Question.due_at, Question.id))


def dispatch(question: Question, actor: User | None, to: Department | None, note: str = "", *,
             now: datetime, cal: WorkCalendar):
    """The office sends a waiting question to a department; its accept deadline starts there."""
    admin = _check(question, actor, Action.DISPATCH)
    if to is None:
        raise DomainError(_("请选择分拨到哪个部门。"), "department")
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise DomainError(_("说明最多 %(limit)s 个字。", limit=REASON_MAX), "note")
    event = _event(question, EventKind.DISPATCHED, admin, now, note, to_department=to)
    question.department, question.department_id = to, to.id
    question.due_at = deadlines.due_at(now, Terms.current().accept_days, cal)
    _start_deadline(question, DeadlineStep.ACCEPT, now)
    _tell_asker(question, f"您的问题「{question.title}」已由市网信办分拨给{to.short_name}办理。", now)
    notify_all(department_staff(to.id), f"市网信办分拨问题待受理：「{question.title}」", now=now, question=question,
               url=_url(question))
    return event


def return_to_office(question: Question, actor: User | None, reason: str, *, now: datetime, cal: WorkCalendar):
    """A department hands back a question outside its remit, with a public reason."""
    staff = _check(question, actor, Action.RETURN)
    reason = _text(reason, REASON_MAX, "reason", _("退回理由"))
    old = question.department
    event = _event(question, EventKind.RETURNED, staff, now, reason, from_department=old)
    _end_deadline(question, now, met=False)
    into_queue(question, now, cal)
    _tell_asker(question, f"{old.short_name}将您的问题「{question.title}」退回市网信办重新分拨：{reason}", now)
    return event


# ---------------------------------------------------------------- inside the department

def assignable(question: Question) -> list[User]:
    """The department's active staff, who may be named handler."""
    return department_staff(question.department_id) if question.department_id else []


def assign(question: Question, actor: User | None, handler: User | None, *, now: datetime) -> None:
    """Name the staff member who handles the question (承办人); the public never sees who."""
    staff = _check(question, actor, Action.ASSIGN)
    if handler is None or handler.id not in {u.id for u in assignable(question)}:
        raise DomainError(_("请在本部门的工作人员中选择承办人。"), "handler")
    if question.handler_id == handler.id:
        raise DomainError(_("已经是这位承办人了。"), "handler")
    question.handler, question.handler_id = handler, handler.id
    _note(question, staff, _("指定承办人：%(name)s", name=handler.display_name), now)
    if handler.id != staff.id:
        notify(handler, f"您被指定为「{question.title}」的承办人。", now=now, question=question, url=_url(question))


def add_note(question: Question, actor: User | None, text: str, *, now: datetime) -> QuestionNote:
    """An internal note for the department's staff and the office (never public)."""
    author = _check(question, actor, Action.NOTE)
    return _note(question, author, _text(text, TEXT_MAX, "text", _("备注内容")), now)


def _note(question: Question, author: User, text: str, now: datetime) -> QuestionNote:
    note = QuestionNote(question_id=question.id, author=author, department_id=author.department_id if author.is_staff
                        else None, text=text, text_html=render(text, mention_map()), created_at=now)
    db.session.add(note)
    return note


def notes(question: Question) -> list[QuestionNote]:
    return list(db.session.scalars(db.select(QuestionNote).where(QuestionNote.question_id == question.id)
                                   .order_by(QuestionNote.id)))


def mine(user: User) -> Select:
    """The open questions a staff member is the handler of, for the inbox's "mine"."""
    return db.select(Question).where(Question.handler_id == user.id, Question.department_id == user.department_id)
