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
- Co-handling (协办): the lead department adds assisting departments; each adds its input as
  internal notes and marks its part done; the public sees "由 X 主办，Y 协办".
- Extensions (延期): the department asks for more working days before its reply deadline passes;
  the office approves (the deadline moves, in public, and on-time figures use it) or refuses.
- Supervision (督办): the office's formal public notice on a question, with its own deadline.
- Intake on behalf (代录): a question that came by phone, letter or visit, recorded by staff.

Who may do what is decided by xtq.domain.questions.refusal, like every other step.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, func

from xtq.domain import audit, deadlines
from xtq.domain.config import settings
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.departments import mention_map
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.messages import Message, msg, split
from xtq.domain.notifications import department_staff, notify, notify_all
from xtq.domain.questions import (
    REASON_MAX,
    TEXT_MAX,
    Action,
    _check,
    _end_deadline,
    _event,
    _start_deadline,
    _tell_asker,
    _text,
    _url,
    into_queue,
    office_staff,
)
from xtq.extensions import db
from xtq.models import (
    Channel,
    DeadlineStep,
    Department,
    EventKind,
    ExtensionStatus,
    Question,
    QuestionAssist,
    QuestionEvent,
    QuestionExtension,
    QuestionNote,
    QuestionStatus,
    QuestionSupervision,
    Role,
    User,
)
from xtq.text import render

S = QuestionStatus


def last_return(question: Question) -> QuestionEvent | None:
    """The latest return of a waiting question (None when it was asked of the city)."""
    returns = [e for e in question.events if e.kind == EventKind.RETURNED]
    return returns[-1] if returns else None


def queue() -> Select:
    """Questions waiting for the office, the nearest deadline first."""
    return (
        db.select(Question)
        .where(Question.department_id.is_(None), Question.status == S.ASKED)
        .order_by(Question.due_at, Question.id)
    )


def dispatch(
    question: Question, actor: User | None, to: Department | None, note: str = "", *, now: datetime, cal: WorkCalendar
):
    """The office sends a waiting question to a department; its accept deadline starts there."""
    admin = _check(question, actor, Action.DISPATCH)
    if to is None:
        raise DomainError(_("请选择分拨到哪个部门。"), "department")
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise DomainError(_("说明最多 %(limit)s 个字。", limit=REASON_MAX), "note")
    event = _event(question, EventKind.DISPATCHED, admin, now, note, to_department=to)
    question.department, question.department_id = to, to.id
    question.due_at = deadlines.due_at(now, settings().terms.accept_days, cal)
    _start_deadline(question, DeadlineStep.ACCEPT, now)
    _tell_asker(question, msg("notify.dispatched", title=question.title, department=to.short_name), now)
    notify_all(
        department_staff(to.id),
        msg("notify.dispatched_in", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )
    return event


def return_to_office(question: Question, actor: User | None, reason: str, *, now: datetime, cal: WorkCalendar):
    """A department hands back a question outside its remit, with a public reason."""
    staff = _check(question, actor, Action.RETURN)
    reason = _text(reason, REASON_MAX, "reason", _("退回理由"))
    old = question.department
    event = _event(question, EventKind.RETURNED, staff, now, reason, from_department=old)
    _end_deadline(question, now, met=False)
    into_queue(question, now, cal)
    _tell_asker(question, msg("notify.returned", department=old.short_name, title=question.title, reason=reason), now)
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
    _note(question, staff, msg("note.assigned", name=handler.display_name), now)
    if handler.id != staff.id:
        notify(handler, msg("notify.assigned", title=question.title), now=now, question=question, url=_url(question))


def add_note(question: Question, actor: User | None, text: str, *, now: datetime) -> QuestionNote:
    """An internal note for the department's staff and the office (never public)."""
    author = _check(question, actor, Action.NOTE)
    return _note(question, author, _text(text, TEXT_MAX, "text", _("备注内容")), now)


def _note(question: Question, author: User, message: Message | str, now: datetime) -> QuestionNote:
    text, key, params = split(message)
    note = QuestionNote(
        question_id=question.id,
        author=author,
        department_id=author.department_id if author.is_staff else None,
        text=text,
        text_html=render(text, mention_map()),
        message_key=key,
        message_params=params,
        created_at=now,
    )
    db.session.add(note)
    return note


def notes(question: Question) -> list[QuestionNote]:
    return list(
        db.session.scalars(
            db.select(QuestionNote).where(QuestionNote.question_id == question.id).order_by(QuestionNote.id)
        )
    )


def mine(user: User) -> Select:
    """The open questions a staff member is the handler of, for the inbox's "mine"."""
    return db.select(Question).where(Question.handler_id == user.id, Question.department_id == user.department_id)


# ---------------------------------------------------------------- extensions (延期)

EXTENSION_MAX_DAYS = 15


def request_extension(
    question: Question, actor: User | None, days: int | None, reason: str, *, now: datetime
) -> QuestionExtension:
    """The department asks the office for `days` more working days on its running reply deadline."""
    staff = _check(question, actor, Action.EXTEND)
    if not isinstance(days, int) or not 1 <= days <= EXTENSION_MAX_DAYS:
        raise DomainError(_("延期天数须为 1–%(max)s 个工作日。", max=EXTENSION_MAX_DAYS), "days")
    reason = _text(reason, REASON_MAX, "reason", _("延期理由"))
    assert question.due_at is not None and question.department_id is not None
    if now >= question.due_at:
        raise DomainError(_("期限已过，不能再申请延期；请尽快办理。"))
    row = QuestionExtension(
        question_id=question.id,
        department_id=question.department_id,
        requested_by=staff,
        days=days,
        reason=reason,
        created_at=now,
        due_before=question.due_at,
        status=ExtensionStatus.PENDING,
        decision_reason="",
    )
    db.session.add(row)
    _note(question, staff, msg("note.extension_requested", days=days, reason=reason), now)
    notify_all(
        office_staff(),
        msg("notify.extension_requested", department=question.department.short_name, title=question.title),
        now=now,
        question=question,
        url="/admin/extensions",
    )
    return row


def extensions() -> Select:
    """Every request, waiting ones first, then the latest decisions."""
    waiting_first = QuestionExtension.status != ExtensionStatus.PENDING
    return db.select(QuestionExtension).order_by(waiting_first, QuestionExtension.id.desc())


def approve_extension(row: QuestionExtension, actor: User | None, *, now: datetime, cal: WorkCalendar) -> None:
    """The office grants the time: the deadline moves, in public, with the department's reason."""
    admin = _decide(row, actor)
    question = row.question
    new_due = deadlines.due_at(row.due_before - timedelta(microseconds=1), row.days, cal)
    row.status, row.due_after, row.decided_by_id, row.decided_at = ExtensionStatus.APPROVED, new_due, admin.id, now
    question.due_at = new_due
    for deadline in question.deadlines:  # the figures count on-time against the approved deadline
        if deadline.ended_at is None:
            deadline.due_at = new_due
    _event(question, EventKind.EXTENDED, admin, now, row.reason, from_department=row.department)
    _tell_asker(question, msg("notify.extended", title=question.title, days=row.days), now)
    notify_all(
        department_staff(row.department_id),
        msg("notify.extension_approved", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )


def refuse_extension(row: QuestionExtension, actor: User | None, reason: str, *, now: datetime) -> None:
    """The office says no, with a reason for the department (the deadline stays)."""
    admin = _decide(row, actor)
    row.decision_reason = _text(reason, REASON_MAX, "reason", _("不批准的理由"))
    row.status, row.decided_by_id, row.decided_at = ExtensionStatus.REFUSED, admin.id, now
    _note(row.question, admin, msg("note.extension_refused", reason=row.decision_reason), now)
    notify_all(
        department_staff(row.department_id),
        msg("notify.extension_refused", title=row.question.title, reason=row.decision_reason),
        now=now,
        question=row.question,
        url=_url(row.question),
    )


def _decide(row: QuestionExtension, actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise PermissionDenied(_("只有管理员可以审批延期申请。"))
    if row.status != ExtensionStatus.PENDING:
        raise DomainError(_("这份申请已经处理过了。"))
    question = row.question
    if question.department_id != row.department_id or question.due_at != row.due_before:
        raise DomainError(_("问题的期限已经变化（已答复、转办或退回），这份申请不能再审批。"))
    return actor


# ---------------------------------------------------------------- supervision (督办)

SUPERVISION_MAX_DAYS = 15


def supervise(
    question: Question, actor: User | None, reason: str, days: int | None, *, now: datetime, cal: WorkCalendar
) -> QuestionSupervision:
    """A formal public notice: the department must act by the notice's own deadline."""
    admin = _check(question, actor, Action.SUPERVISE)
    if not isinstance(days, int) or not 1 <= days <= SUPERVISION_MAX_DAYS:
        raise DomainError(_("督办期限须为 1–%(max)s 个工作日。", max=SUPERVISION_MAX_DAYS), "days")
    reason = _text(reason, REASON_MAX, "reason", _("督办理由"))
    assert question.department_id is not None
    row = QuestionSupervision(
        question_id=question.id,
        department_id=question.department_id,
        issued_by_id=admin.id,
        reason=reason,
        due_at=deadlines.due_at(now, days, cal),
        created_at=now,
    )
    db.session.add(row)
    _event(question, EventKind.SUPERVISED, admin, now, reason, to_department=question.department)
    notify_all(
        department_staff(question.department_id),
        msg("notify.supervised", title=question.title, reason=reason),
        now=now,
        question=question,
        url=_url(question),
    )
    return row


def supervisions(question: Question) -> list[QuestionSupervision]:
    return list(
        db.session.scalars(
            db.select(QuestionSupervision)
            .where(QuestionSupervision.question_id == question.id)
            .order_by(QuestionSupervision.id)
        )
    )


def supervised_ids(question_ids: list[int]) -> set[int]:
    """Which of these questions carry a 督办 notice: one query, however many (or few) there are."""
    return set(
        db.session.scalars(
            db.select(QuestionSupervision.question_id).where(QuestionSupervision.question_id.in_(question_ids))
        )
    )


# ---------------------------------------------------------------- figures


def counts_by_department(since: datetime | None, now: datetime) -> dict[int, dict[str, int]]:
    """Per department: extensions approved and asked for, and 督办 notices, in the period."""
    out: dict[int, dict[str, int]] = {}

    def add(select, key):
        for department_id, n in db.session.execute(select):
            out.setdefault(department_id, {"extensions": 0, "extensions_asked": 0, "supervisions": 0})[key] = n

    e, s = QuestionExtension, QuestionSupervision
    asked = db.select(e.department_id, func.count()).where(e.created_at <= now)
    approved = asked.where(e.status == ExtensionStatus.APPROVED)
    issued = db.select(s.department_id, func.count()).where(s.created_at <= now)
    if since is not None:
        asked, approved, issued = (
            q.where(col >= since)
            for q, col in ((asked, e.created_at), (approved, e.created_at), (issued, s.created_at))
        )
    add(asked.group_by(e.department_id), "extensions_asked")
    add(approved.group_by(e.department_id), "extensions")
    add(issued.group_by(s.department_id), "supervisions")
    return out


# ---------------------------------------------------------------- intake on behalf (代录)

INTAKE_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.VISIT)
CALLER_NAMES = {Channel.PHONE: "来电网友", Channel.LETTER: "来信网友", Channel.VISIT: "来访网友"}


def intake(
    actor: User | None,
    department: Department | None,
    channel: str,
    *,
    title: str,
    body: str,
    category: str,
    caller: str,
    now: datetime,
    cal: WorkCalendar,
    rng=None,
) -> Question:
    """Record a question that came by phone, letter or visit, for the caller to follow by its 查询码.

    The caller has no account: the question is asked by a placeholder account whose password
    nobody knows, shown anonymously; who called and how to reach them is kept as an internal note.
    Staff record for their own department; the office for any department.
    """
    from xtq.domain import questions

    if actor is None or not getattr(actor, "is_authenticated", False) or not (actor.is_admin or actor.is_staff):
        raise PermissionDenied(_("只有工作人员和管理员可以代录问题。"))
    if actor.is_staff:
        department = actor.department
    if department is None:
        raise DomainError(_("请选择承办部门。"), "department")
    try:
        how = Channel(channel)
    except ValueError:
        how = None
    if how not in INTAKE_CHANNELS:
        raise DomainError(_("请选择来源：电话、来信或来访。"), "channel")
    caller = _text(caller, REASON_MAX, "caller", _("来电人姓名和联系方式"))
    placeholder = User(
        username=f"intake_{secrets.token_hex(8)}",
        display_name=CALLER_NAMES[how],
        role=Role.CITIZEN,
        active=True,
        created_at=now,
    )
    placeholder.set_password(secrets.token_urlsafe(32))  # known to nobody: the account is never logged in
    db.session.add(placeholder)
    q = questions.ask(
        placeholder, department, title=title, body=body, category=category, anonymous=True, now=now, cal=cal, rng=rng
    )
    q.channel = how
    db.session.flush()
    _note(q, actor, msg(f"note.intake.{how.value}", caller=caller), now)
    audit.record(actor, "question.intake", "question", q.id, how.value, now=now)
    return q


def by_channel(since: datetime | None, now: datetime) -> dict[Channel, int]:
    """How many questions came in by each channel in the period (those held by a department)."""
    return dict(db.session.execute(by_channel_select(since, now)).all())


def by_channel_select(since: datetime | None, now: datetime) -> Select:
    """by_channel's statement: ix_question_created covers it."""
    select = (
        db.select(Question.channel, func.count())
        .where(Question.department_id.is_not(None), Question.hidden_at.is_(None), Question.created_at <= now)
        .group_by(Question.channel)
    )
    if since is not None:
        select = select.where(Question.created_at >= since)
    return select


# ---------------------------------------------------------------- co-handling (协办)


def assists(question: Question) -> list[QuestionAssist]:
    return list(
        db.session.scalars(
            db.select(QuestionAssist)
            .where(QuestionAssist.question_id == question.id)
            .order_by(QuestionAssist.added_at, QuestionAssist.department_id)
        )
    )


def assisting(department_id: int) -> Select:
    """The questions a department assists on and has not yet marked done, for its inbox."""
    return (
        db.select(Question)
        .join(QuestionAssist, QuestionAssist.question_id == Question.id)
        .where(QuestionAssist.department_id == department_id, QuestionAssist.done_at.is_(None))
    )


def assisted_by(user: User, question: Question) -> bool:
    """Staff of a department that assists or assisted on the question (they read its internal thread)."""
    return bool(
        user.is_staff
        and question.id is not None
        and db.session.get(QuestionAssist, (question.id, user.department_id)) is not None
    )


def add_assist(question: Question, actor: User | None, department: Department | None, *, now: datetime) -> None:
    """The lead department asks another to assist; the public sees "由 X 主办，Y 协办"."""
    staff = _check(question, actor, Action.ASSIST)
    if department is None or department.id == question.department_id:
        raise DomainError(_("请选择本部门以外的协办部门。"), "department")
    if db.session.get(QuestionAssist, (question.id, department.id)) is not None:
        raise DomainError(_("%(name)s已经是协办部门了。", name=department.short_name), "department")
    db.session.add(
        QuestionAssist(question_id=question.id, department_id=department.id, added_by_id=staff.id, added_at=now)
    )
    _note(question, staff, msg("note.assist_invited", name=department.short_name), now)
    notify_all(
        department_staff(department.id),
        msg("notify.assist_invited", department=question.department.short_name, title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )


def assist_done(question: Question, actor: User | None, *, now: datetime) -> None:
    """An assisting department has given its input (as internal notes) and marks its part done."""
    staff = _check(question, actor, Action.ASSIST_DONE)
    row = db.session.get(QuestionAssist, (question.id, staff.department_id))
    row.done_at = now
    _note(question, staff, msg("note.assist_done", name=staff.department.short_name), now)
    notify_all(
        department_staff(question.department_id),
        msg("notify.assist_done", department=staff.department.short_name, title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )
