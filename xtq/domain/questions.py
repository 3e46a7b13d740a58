"""The closed loop of a question: its states, who may move it, its deadlines.

This is the one module that knows the rules; views and templates ask it (`allowed_actions`,
`refusal`, `timing`) and never decide for themselves.

    asked 待受理 ──accept──▶ accepted 办理中 ──reply──▶ replied 已答复 ──rate 满意──▶ closed 已办结
       │  ▲                    │  ▲  progress            │  followup ⇄ reply        ▲
       │  └──── transfer ──────┘  └──── rate 不满意 ──────┘  (7 days unrated) ─────┘
       └──decline──▶ declined 不予受理 (final, with a public reason)

Who may act:
- the asker (a citizen account): follow up and rate their own question;
- staff of the question's *current* department, spokesperson and liaison alike: accept,
  decline, transfer, post progress, reply (a reply is signed by the department and title);
- the admin (the coordinating office) moderates: hides and redacts. The admin does not
  accept or reply for a department: a reply is the department's word, and the escalation
  list plus reminders are how the office pushes a late department;
- the system (no actor): reminders, reopening after an unsatisfied rating, closing.

Deadlines (`Question.due_at`) are the end of the current step in working days: accept
within ACCEPT_DAYS of asking (a transfer starts that again at the new department), reply
within REPLY_DAYS of accepting or reopening, answer a follow-up within REPLY_DAYS. In the
replied state `due_at` is set exactly while a follow-up awaits its answer.

Every deadline is also kept as a QuestionDeadline row of the department that held the question,
ended when the step is done (met) or the question leaves that department, so the figures can
count lateness against the right department after a transfer.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
import sqlalchemy as sa
from sqlalchemy import Select

from xtq.domain import deadlines
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.departments import mention_map
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.notifications import department_staff, notify, notify_all
from xtq.extensions import db
from xtq.models import (
    CATEGORIES,
    AuditLog,
    DeadlineStep,
    Department,
    DeptGroup,
    EventKind,
    Post,
    PostStatus,
    Question,
    QuestionDeadline,
    QuestionEvent,
    QuestionPostLink,
    QuestionStatus,
    Rating,
    Role,
    StrEnum,
    User,
)
from xtq.text import render
from flask_babel import gettext as _, lazy_pgettext

S = QuestionStatus
TITLE_MAX, BODY_MAX, TEXT_MAX, REASON_MAX = 60, 2000, 2000, 200
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
CODE_LENGTH = 8
OPEN = (S.ASKED, S.ACCEPTED, S.REPLIED)  # states in which a deadline may be running
REDACTED_MARK = "〔已删除〕"


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    TRANSFER = "transfer"
    PROGRESS = "progress"
    REPLY = "reply"
    FOLLOWUP = "followup"
    RATE = "rate"
    HIDE = "hide"
    UNHIDE = "unhide"
    REDACT = "redact"

    @property
    def label(self) -> str:
        return str(_VERBS[self])


_VERBS = {  # verbs, as in "只有管理员可以隐藏问题" ("Only the admin can hide questions")
    Action.ACCEPT: lazy_pgettext("action", "受理"),
    Action.DECLINE: lazy_pgettext("action", "不予受理"),
    Action.TRANSFER: lazy_pgettext("action", "转办"),
    Action.PROGRESS: lazy_pgettext("action", "发布办理进展"),
    Action.REPLY: lazy_pgettext("action", "答复"),
    Action.FOLLOWUP: lazy_pgettext("action", "追问"),
    Action.RATE: lazy_pgettext("action", "评价"),
    Action.HIDE: lazy_pgettext("action", "隐藏"),
    Action.UNHIDE: lazy_pgettext("action", "恢复显示"),
    Action.REDACT: lazy_pgettext("action", "处理内容"),
}
STAFF_ACTIONS = frozenset({Action.ACCEPT, Action.DECLINE, Action.TRANSFER, Action.PROGRESS, Action.REPLY})
ASKER_ACTIONS = frozenset({Action.FOLLOWUP, Action.RATE})
ADMIN_ACTIONS = frozenset({Action.HIDE, Action.UNHIDE, Action.REDACT})
# The states in which each action makes sense (further conditions in _state_refusal).
_STATES = {
    Action.ACCEPT: {S.ASKED},
    Action.DECLINE: {S.ASKED},
    Action.TRANSFER: {S.ASKED, S.ACCEPTED},
    Action.PROGRESS: {S.ACCEPTED},
    Action.REPLY: {S.ACCEPTED, S.REPLIED},
    Action.FOLLOWUP: {S.REPLIED},
    Action.RATE: {S.REPLIED},
    Action.HIDE: set(S),
    Action.UNHIDE: set(S),
    Action.REDACT: set(S),
}


@dataclass(frozen=True)
class Terms:
    """How many days each step may take; from the app's config (ACCEPT_DAYS, REPLY_DAYS, ...)."""

    accept_days: int = deadlines.ACCEPT_DAYS
    reply_days: int = deadlines.REPLY_DAYS
    stale_rating_days: int = deadlines.STALE_RATING_DAYS

    @classmethod
    def current(cls) -> Terms:
        if not has_app_context():
            return cls()
        c = current_app.config
        return cls(int(c.get("ACCEPT_DAYS", cls.accept_days)), int(c.get("REPLY_DAYS", cls.reply_days)),
                   int(c.get("STALE_RATING_DAYS", cls.stale_rating_days)))


# ---------------------------------------------------------------- who may do what, when

def is_department_staff(user: User | None, question: Question) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.STAFF and user.active
                and user.department_id == question.department_id)


def is_asker(user: User | None, question: Question) -> bool:
    return bool(user and user.is_authenticated and user.id == question.asker_id)


def awaits_followup_answer(question: Question) -> bool:
    """A follow-up was asked after the last reply and is not yet answered."""
    return question.status == S.REPLIED and question.due_at is not None


def refusal(question: Question, user: User | None, action: Action) -> DomainError | None:
    """Why `user` may not do `action` to `question` now, or None if they may."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PermissionDenied(_("请先登录。"))
    if action in STAFF_ACTIONS and not is_department_staff(user, question):
        return PermissionDenied(_("只有%(short_name)s的工作人员可以%(label)s这个问题。", short_name=question.department.short_name, label=action.label))
    if action in ASKER_ACTIONS and not is_asker(user, question):
        return PermissionDenied(_("只有提问人本人可以%(label)s。", label=action.label))
    if action in ADMIN_ACTIONS and not user.is_admin:
        return PermissionDenied(_("只有管理员可以%(label)s问题。", label=action.label))
    return _state_refusal(question, action)


def _state_refusal(question: Question, action: Action) -> DomainError | None:
    status = question.status
    if status not in _STATES[action]:
        return DomainError(_("这个问题现在是「%(label)s」，不能%(label2)s。", label=status.label, label2=action.label))
    if action == Action.REPLY and status == S.REPLIED and not awaits_followup_answer(question):
        return DomainError(_("已经答复过了；网友追问或评价不满意后才能再次答复。"))
    if action == Action.FOLLOWUP and awaits_followup_answer(question):
        return DomainError(_("上一条追问还在等待答复，请等部门答复后再追问。"))
    if action == Action.HIDE and question.hidden_at is not None:
        return DomainError(_("这个问题已经隐藏了。"))
    if action == Action.UNHIDE and question.hidden_at is None:
        return DomainError(_("这个问题没有被隐藏，不能恢复显示。"))
    return None


def allowed_actions(question: Question, user: User | None, now: datetime | None = None) -> frozenset[Action]:
    """Everything `user` may do to `question` now; pure, for views and templates.

    `now` is accepted so callers need not know that no rule depends on the time yet
    (a stale reply is closed before anyone reads it: see close_if_stale).
    """
    return frozenset(a for a in Action if refusal(question, user, a) is None)


def _check(question: Question, user: User | None, action: Action) -> User:
    if (error := refusal(question, user, action)) is not None:
        raise error
    assert user is not None
    return user


# ---------------------------------------------------------------- reading

@dataclass(frozen=True)
class Timing:
    """Where a question stands against its deadline, in working days."""

    due_at: datetime | None
    overdue: bool
    days_late: int
    days_left: int | None  # None when no deadline runs

    @property
    def last_day(self) -> date | None:
        """The last allowed day (Shanghai), as people say a deadline."""
        return None if self.due_at is None else deadlines.local_date(self.due_at - timedelta(microseconds=1))


NO_DEADLINE = Timing(None, False, 0, None)


def timing(question: Question, now: datetime, cal: WorkCalendar) -> Timing:
    due = question.due_at
    if due is None or question.status not in OPEN:
        return NO_DEADLINE
    return Timing(due, now >= due, deadlines.working_days_late(due, now, cal),
                  deadlines.working_days_left(due, now, cal))


def may_see_hidden(question: Question, user: User | None) -> bool:
    """The asker, the department's staff and the admin still see a hidden question."""
    return bool(user and user.is_authenticated and (user.is_admin or is_asker(user, question)
                                                       or is_department_staff(user, question)))


def may_see_account(question: Question, user: User | None) -> bool:
    """Who sees the account behind an anonymous question: the department's staff and the admin."""
    return bool(user and user.is_authenticated and (user.is_admin or is_department_staff(user, question)))


def by_id(question_id: int) -> Question | None:
    return db.session.get(Question, question_id)


def for_update(question_id: int) -> Question | None:
    """The question, locked until the transaction ends, read fresh.

    Two staff acting on one question at once must not both pass the state check (two replies,
    an accept after a transfer): a no-op UPDATE takes the row lock on PostgreSQL and the write
    lock on SQLite first, so the second request waits, then reads the state the first left.
    """
    db.session.execute(sa.update(Question).where(Question.id == question_id).values(id=Question.id))
    return db.session.scalar(db.select(Question).where(Question.id == question_id)
                             .execution_options(populate_existing=True))


def by_tracking_code(code: str) -> Question | None:
    code = code.strip().upper().replace(" ", "").replace("-", "")
    if not code or len(code) > 12:
        return None
    return db.session.scalar(db.select(Question).where(Question.tracking_code == code))


def by_submit_token(token: str) -> Question | None:
    return db.session.scalar(db.select(Question).where(Question.submit_token == token))


def public_questions() -> Select:
    """Questions the public may list (hidden ones are left out), for keyset pagination."""
    return db.select(Question).where(Question.hidden_at.is_(None))


def recent_for_department(department_id: int, limit: int = 10) -> list[Question]:
    return list(db.session.scalars(
        public_questions().where(Question.department_id == department_id)
        .order_by(Question.last_activity_at.desc(), Question.id.desc()).limit(limit)))


def overdue_filter(now: datetime):
    return Question.status.in_(OPEN) & Question.due_at.is_not(None) & (Question.due_at <= now)


def linked_posts(question: Question) -> list[Post]:
    return list(db.session.scalars(
        db.select(Post).join(QuestionPostLink, QuestionPostLink.post_id == Post.id)
        .where(QuestionPostLink.question_id == question.id, Post.status == PostStatus.PUBLISHED,
               Post.hidden_at.is_(None))
        .order_by(Post.id)
    ))


def questions_for_post(post_id: int) -> list[Question]:
    """The public questions a post answers or that led to it ("this question led to …")."""
    return list(db.session.scalars(
        public_questions().join(QuestionPostLink, QuestionPostLink.question_id == Question.id)
        .where(QuestionPostLink.post_id == post_id).order_by(Question.id)
    ))


# ---------------------------------------------------------------- asking

def new_tracking_code(rng: random.Random | None = None) -> str:
    """A short code with no look-alike characters, not yet used by any question."""
    choose = rng.choice if rng else secrets.choice
    while True:
        code = "".join(choose(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(db.select(Question.id).where(Question.tracking_code == code)):
            return code


def ask(
    asker: User | None,
    department: Department | None,
    *,
    title: str,
    body: str,
    category: str,
    district: Department | None = None,
    anonymous: bool = False,
    submit_token: str | None = None,
    now: datetime,
    cal: WorkCalendar,
    rng: random.Random | None = None,
) -> Question:
    """A citizen asks a department. The same submit token twice gives back the first question."""
    if asker is None or not getattr(asker, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if asker.role != Role.CITIZEN:
        raise PermissionDenied(_("提问请使用网友账号；工作人员和管理员账号不能提问。"))
    if submit_token and (earlier := by_submit_token(submit_token)) is not None:
        if earlier.asker_id != asker.id:
            raise DomainError(_("表单已失效，请刷新页面后重新提交。"))
        return earlier
    if department is None:
        raise DomainError(_("请选择要提问的部门。"), "department")
    if district is not None and district.group != DeptGroup.DISTRICT:
        raise DomainError(_("请选择一个区县（市）。"), "district")
    if category not in CATEGORIES:
        raise DomainError(_("请选择问题分类。"), "category")
    title = _text(title, TITLE_MAX, "title", _("标题"))
    body = _text(body, BODY_MAX, "body", _("问题内容"))
    q = Question(
        tracking_code=new_tracking_code(rng), submit_token=submit_token or None, asker=asker,
        department=department, district=district, category=category, title=title, body=body,
        body_html=render(body, mention_map()), anonymous=anonymous, status=S.ASKED,
        created_at=now, last_activity_at=now, due_at=deadlines.due_at(now, Terms.current().accept_days, cal),
    )
    db.session.add(q)
    _event(q, EventKind.ASKED, asker, now, to_department=department)
    _start_deadline(q, DeadlineStep.ACCEPT, now)
    db.session.flush()
    notify(asker, f"您的问题「{q.title}」已提交给{department.short_name}，查询码 {q.tracking_code}。",
           now=now, question=q, url=_url(q))
    notify_all(department_staff(department.id), f"新问题待受理：「{q.title}」", now=now, question=q, url=_url(q))
    return q


# ---------------------------------------------------------------- the department's steps

def accept(question: Question, actor: User | None, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The department takes the question on; the reply deadline starts."""
    staff = _check(question, actor, Action.ACCEPT)
    event = _event(question, EventKind.ACCEPTED, staff, now, from_department=question.department)
    question.status, question.accepted_at = S.ACCEPTED, now
    _end_deadline(question, now, met=True)
    question.due_at = deadlines.due_at(now, Terms.current().reply_days, cal)
    _start_deadline(question, DeadlineStep.REPLY, now)
    _tell_asker(question, f"{question.department.short_name}已受理您的问题「{question.title}」。", now)
    return event


def decline(question: Question, actor: User | None, reason: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The department will not take the question on, and says why in public."""
    staff = _check(question, actor, Action.DECLINE)
    reason = _text(reason, REASON_MAX, "reason", _("不予受理的理由"))
    event = _event(question, EventKind.DECLINED, staff, now, reason, from_department=question.department)
    question.status, question.due_at, question.closed_at = S.DECLINED, None, now
    _end_deadline(question, now, met=True)
    _tell_asker(question, f"{question.department.short_name}对您的问题「{question.title}」不予受理：{reason}", now)
    return event


def transfer(question: Question, actor: User | None, to: Department | None, reason: str, *,
             now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """Hand the question to the department it belongs to; its accept deadline starts again there."""
    staff = _check(question, actor, Action.TRANSFER)
    if to is None:
        raise DomainError(_("请选择转办到哪个部门。"), "department")
    if to.id == question.department_id:
        raise DomainError(_("不能转办给本部门。"), "department")
    reason = _text(reason, REASON_MAX, "reason", _("转办理由"))
    old = question.department
    event = _event(question, EventKind.TRANSFERRED, staff, now, reason, from_department=old, to_department=to)
    _end_deadline(question, now, met=False)
    question.department, question.department_id = to, to.id
    question.status, question.accepted_at = S.ASKED, None
    question.due_at = deadlines.due_at(now, Terms.current().accept_days, cal)
    _start_deadline(question, DeadlineStep.ACCEPT, now)
    _tell_asker(question, f"您的问题「{question.title}」已由{old.short_name}转交{to.short_name}办理：{reason}", now)
    notify_all(department_staff(to.id), f"{old.short_name}转来问题待受理：「{question.title}」",
               now=now, question=question, url=_url(question))
    return event


def progress(question: Question, actor: User | None, text: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """An interim update while the department works on the question (the deadline stays)."""
    staff = _check(question, actor, Action.PROGRESS)
    text = _text(text, TEXT_MAX, "text", _("进展内容"))
    event = _event(question, EventKind.PROGRESS, staff, now, text, from_department=question.department)
    _tell_asker(question, f"{question.department.short_name}更新了您的问题「{question.title}」的办理进展。", now)
    return event


def reply(question: Question, actor: User | None, text: str, *, post_ids: Sequence[int] = (),
          now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The department's public reply (or its answer to a follow-up), optionally citing its posts."""
    staff = _check(question, actor, Action.REPLY)
    text = _text(text, TEXT_MAX, "text", _("答复内容"))
    posts = _department_posts(question, post_ids, now)
    event = _event(question, EventKind.REPLIED, staff, now, text, from_department=question.department)
    for post in posts:
        if db.session.get(QuestionPostLink, (question.id, post.id)) is None:
            db.session.add(QuestionPostLink(question_id=question.id, post_id=post.id))
    _end_deadline(question, now, met=True)
    if question.first_replied_at is None:
        question.first_replied_at = now
        question.first_reply_working_hours = deadlines.working_hours_between(received_at(question), now, cal)
    question.status, question.replied_at, question.due_at = S.REPLIED, now, None
    _tell_asker(question, f"{question.department.short_name}答复了您的问题「{question.title}」，欢迎评价。", now)
    return event


def _department_posts(question: Question, post_ids: Sequence[int], now: datetime) -> list[Post]:
    ids = sorted(set(post_ids))
    if not ids:
        return []
    posts = list(db.session.scalars(db.select(Post).where(
        Post.id.in_(ids), Post.department_id == question.department_id, Post.status == PostStatus.PUBLISHED,
        Post.published_at <= now, Post.hidden_at.is_(None))))
    if len(posts) != len(ids):
        raise DomainError(_("只能关联本部门已发布的微博。"), "posts")
    return posts


# ---------------------------------------------------------------- the asker's steps

def followup(question: Question, actor: User | None, text: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The asker asks more after a reply; the department owes an answer within REPLY_DAYS."""
    asker = _check(question, actor, Action.FOLLOWUP)
    text = _text(text, TEXT_MAX, "text", _("追问内容"))
    event = _event(question, EventKind.FOLLOWUP, asker, now, text, to_department=question.department)
    question.due_at = deadlines.due_at(now, Terms.current().reply_days, cal)
    _start_deadline(question, DeadlineStep.REPLY, now)
    notify_all(department_staff(question.department_id), f"网友追问了「{question.title}」",
               now=now, question=question, url=_url(question))
    return event


def rate(question: Question, actor: User | None, rating: Rating | str, comment: str = "", *,
         now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """Satisfied closes the question; unsatisfied reopens it with a new reply deadline."""
    asker = _check(question, actor, Action.RATE)
    try:
        rating = Rating(rating)
    except ValueError:
        raise DomainError(_("请选择满意或不满意。"), "rating") from None
    comment = (comment or "").strip()
    if len(comment) > REASON_MAX:
        raise DomainError(_("评价说明最多 %(REASON_MAX)s 个字。", REASON_MAX=REASON_MAX), "comment")
    event = _event(question, EventKind.RATED, asker, now, comment, rating=rating)
    question.rating = rating
    _end_deadline(question, now, met=False)  # a follow-up still awaiting its answer is overtaken
    staff = department_staff(question.department_id)
    if rating == Rating.SATISFIED:
        _event(question, EventKind.CLOSED, None, now, "网友评价满意，问题办结。")
        question.status, question.closed_at, question.due_at = S.CLOSED, now, None
        notify_all(staff, f"网友对「{question.title}」的答复表示满意，问题已办结。", now=now, question=question,
                   url=_url(question))
    else:
        _event(question, EventKind.REOPENED, None, now, "网友评价不满意，问题重新办理。", to_department=question.department)
        question.status = S.ACCEPTED
        question.due_at = deadlines.due_at(now, Terms.current().reply_days, cal)
        _start_deadline(question, DeadlineStep.REPLY, now)
        notify_all(staff, f"网友对「{question.title}」的答复不满意，问题已重新办理，请再次答复。",
                   now=now, question=question, url=_url(question))
    return event


# ---------------------------------------------------------------- the system's steps

def close_if_stale(question: Question, now: datetime) -> bool:
    """Close a reply left unrated for STALE_RATING_DAYS (not while a follow-up awaits its answer).

    Applied by `flask close-stale` and whenever the question is read, with the same result:
    the question counts as closed from the moment it went stale.
    """
    days = Terms.current().stale_rating_days
    if question.status != S.REPLIED or awaits_followup_answer(question) or question.replied_at is None:
        return False
    stale_at = question.replied_at + timedelta(days=days)
    if now < stale_at:
        return False
    _event(question, EventKind.CLOSED, None, stale_at, f"答复后 {days} 天内未评价，系统自动办结。")
    question.status, question.closed_at = S.CLOSED, stale_at
    _tell_asker(question, f"您的问题「{question.title}」答复后 {days} 天未评价，已自动办结。", now)
    return True


def close_stale(now: datetime) -> int:
    """Close every stale replied question; returns how many."""
    cutoff = now - timedelta(days=Terms.current().stale_rating_days)
    candidates = db.session.scalars(db.select(Question).where(
        Question.status == S.REPLIED, Question.due_at.is_(None), Question.replied_at <= cutoff))
    return sum(close_if_stale(q, now) for q in list(candidates))


_STEP = {S.ASKED: "受理", S.ACCEPTED: "答复", S.REPLIED: "答复追问"}


def remind(now: datetime, cal: WorkCalendar) -> int:
    """催办: tell the department's staff on the last working day of a deadline and once it has passed.

    Each reminder is a public event naming the deadline; the same one is never sent twice.
    Returns how many reminders were sent.
    """
    sent = 0
    rows = db.session.scalars(db.select(Question).where(Question.status.in_(OPEN), Question.due_at.is_not(None))
                              .order_by(Question.due_at, Question.id))
    for q in list(rows):
        assert q.due_at is not None
        step = _STEP[q.status]
        last_day = Timing(q.due_at, False, 0, None).last_day
        if now >= q.due_at:
            text = f"已超过{step}期限（{last_day}），请尽快办理。"
        elif deadlines.working_days_left(q.due_at, now, cal) <= 1:
            text = f"今天是{step}期限（{last_day}）的最后一个工作日，请抓紧办理。"
        else:
            continue
        if db.session.scalar(db.select(QuestionEvent.id).where(
                QuestionEvent.question_id == q.id, QuestionEvent.kind == EventKind.REMINDED,
                QuestionEvent.to_department_id == q.department_id, QuestionEvent.text == text)):
            continue
        _event(q, EventKind.REMINDED, None, now, text, to_department=q.department, touch=False)
        notify_all(department_staff(q.department_id), f"催办「{q.title}」：{text}", now=now, question=q, url=_url(q))
        sent += 1
    return sent


def escalations(now: datetime, cal: WorkCalendar, min_days: int = 3) -> list[tuple[Question, int]]:
    """Questions overdue by at least `min_days` working days, the most overdue first, for the admin."""
    rows = db.session.scalars(late_questions(now, cal, min_days).order_by(Question.due_at, Question.id))
    return [(q, deadlines.working_days_late(q.due_at, now, cal)) for q in rows]


def late_questions(now: datetime, cal: WorkCalendar, min_days: int = 3) -> sa.Select:
    """Open questions overdue by at least `min_days` working days (order and paginate by due_at, id)."""
    return db.select(Question).where(overdue_filter(now), Question.due_at < deadlines.late_by_cutoff(now, min_days, cal))


# ---------------------------------------------------------------- moderation

def hide(question: Question, actor: User | None, reason: str, *, now: datetime) -> QuestionEvent:
    """The admin takes a question out of public view; the public sees that it was hidden and why."""
    admin = _check(question, actor, Action.HIDE)
    reason = _text(reason, REASON_MAX, "reason", _("隐藏理由"))
    question.hidden_at, question.hidden_reason = now, reason
    _audit(admin, "question.hide", question, reason, now)
    return _event(question, EventKind.HIDDEN, admin, now, reason, touch=False)


def unhide(question: Question, actor: User | None, *, now: datetime) -> None:
    admin = _check(question, actor, Action.UNHIDE)
    question.hidden_at, question.hidden_reason = None, None
    _audit(admin, "question.unhide", question, "", now)


def redact(question: Question, actor: User | None, fragment: str, reason: str, *, now: datetime,
           event: QuestionEvent | None = None) -> QuestionEvent:
    """Replace a fragment (a phone number typed by mistake, say) in the question or one of its events.

    The public sees a mark where the text was and an event saying why; the removed text is
    not kept anywhere (the audit log records only its length).
    """
    admin = _check(question, actor, Action.REDACT)
    reason = _text(reason, REASON_MAX, "reason", _("处理理由"))
    if not fragment or not fragment.strip():
        raise DomainError(_("请填写要删去的文字。"), "fragment")
    if event is not None:
        if event.question_id != question.id or fragment not in event.text:
            raise DomainError(_("所选记录里没有这段文字。"), "fragment")
        event.text = event.text.replace(fragment, REDACTED_MARK)
        event.text_html = render(event.text, mention_map())
    else:
        if fragment not in question.title and fragment not in question.body:
            raise DomainError(_("问题标题和内容里都没有这段文字。"), "fragment")
        question.title = question.title.replace(fragment, REDACTED_MARK)[:TITLE_MAX]
        question.body = question.body.replace(fragment, REDACTED_MARK)
        question.body_html = render(question.body, mention_map())
    _audit(admin, "question.redact", question, f"删去 {len(fragment)} 个字符；理由：{reason}", now)
    return _event(question, EventKind.REDACTED, admin, now, reason, touch=False)


# ---------------------------------------------------------------- helpers

def _text(value: str | None, limit: int, field: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写%(name)s。", name=name), field)
    if len(value) > limit:
        raise DomainError(_("%(name)s最多 %(limit)s 个字，现在是 %(count)s 个。", name=name, limit=limit, count=len(value)), field)
    return value


def _event(question: Question, kind: EventKind, actor: User | None, now: datetime, text: str = "", *,
           from_department: Department | None = None, to_department: Department | None = None,
           rating: Rating | None = None, touch: bool = True) -> QuestionEvent:
    event = QuestionEvent(kind=kind, actor=actor, created_at=now, text=text,
                          text_html=render(text, mention_map()) if text else "",
                          from_department=from_department, to_department=to_department, rating=rating)
    question.events.append(event)
    if touch:
        question.last_activity_at = max(question.last_activity_at or now, now)
    return event


def received_at(question: Question) -> datetime:
    """When the question's current department received it: asked, or the last transfer to it."""
    transfers = [e.created_at for e in question.events if e.kind == EventKind.TRANSFERRED]
    return max(transfers, default=question.created_at)


def _start_deadline(question: Question, step: DeadlineStep, now: datetime) -> None:
    assert question.due_at is not None
    question.deadlines.append(QuestionDeadline(department_id=question.department.id, step=step, started_at=now,
                                               due_at=question.due_at))


def _end_deadline(question: Question, now: datetime, *, met: bool) -> None:
    for row in question.deadlines:
        if row.ended_at is None:
            row.ended_at, row.met_at = now, now if met else None


def _tell_asker(question: Question, text: str, now: datetime) -> None:
    notify(question.asker, text, now=now, question=question, url=_url(question))


def _url(question: Question) -> str:
    return f"/q/{question.id}"


def _audit(actor: User, action: str, question: Question, detail: str, now: datetime) -> None:
    db.session.add(AuditLog(actor_id=actor.id, action=action, target_type="question", target_id=question.id,
                            detail=detail, created_at=now))

