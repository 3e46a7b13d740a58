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
- the system (no actor): reminders, reopening after an unsatisfied rating, closing;
- the coordinating office's own steps (dispatch, supervision) and the work inside a department
  (return, handler, internal notes, co-handling, extensions) are actions here too, carried out
  by xtq.domain.office.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from xtq.domain import audit, deadlines, privacy, screening
from xtq.domain.config import settings
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.departments import mention_map
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.messages import Message, msg, split
from xtq.domain.notifications import Topic, department_staff, notify, notify_all
from xtq.extensions import db
from xtq.models import (
    CATEGORIES,
    DeadlineStep,
    Department,
    DeptGroup,
    EventKind,
    ExtensionStatus,
    MeToo,
    Photo,
    Post,
    PostStatus,
    Question,
    QuestionAssist,
    QuestionDeadline,
    QuestionEvent,
    QuestionExtension,
    QuestionPostLink,
    QuestionStatus,
    QuestionSupervision,
    Rating,
    ReviewState,
    Role,
    StrEnum,
    User,
)
from xtq.text import render

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
    # the asker's corrections and recourse, and the office's appeal review (issue 16)
    EDIT = "edit"
    WITHDRAW = "withdraw"
    APPEAL = "appeal"
    UPHOLD = "uphold"
    REOPEN = "reopen"
    METOO = "metoo"
    UNMETOO = "unmetoo"
    # the coordinating office's work (issue 13; rules in xtq.domain.office)
    DISPATCH = "dispatch"
    RETURN = "return"
    ASSIGN = "assign"
    NOTE = "note"
    EXTEND = "extend"
    SUPERVISE = "supervise"
    ASSIST = "assist"  # the lead department adds an assisting department (协办)
    ASSIST_DONE = "assist_done"  # an assisting department marks its part done

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
    Action.EDIT: lazy_pgettext("action", "修改"),
    Action.WITHDRAW: lazy_pgettext("action", "撤回"),
    Action.APPEAL: lazy_pgettext("action", "申请复核"),
    Action.UPHOLD: lazy_pgettext("action", "维持不予受理"),
    Action.REOPEN: lazy_pgettext("action", "重新交办"),
    Action.METOO: lazy_pgettext("action", "同问"),
    Action.UNMETOO: lazy_pgettext("action", "取消同问"),
    Action.DISPATCH: lazy_pgettext("action", "分拨"),
    Action.RETURN: lazy_pgettext("action", "退回"),
    Action.ASSIGN: lazy_pgettext("action", "指定承办人"),
    Action.NOTE: lazy_pgettext("action", "写内部备注"),
    Action.EXTEND: lazy_pgettext("action", "申请延期"),
    Action.SUPERVISE: lazy_pgettext("action", "督办"),
    Action.ASSIST: lazy_pgettext("action", "邀请协办"),
    Action.ASSIST_DONE: lazy_pgettext("action", "完成协办"),
}
STAFF_ACTIONS = frozenset(
    {
        Action.ACCEPT,
        Action.DECLINE,
        Action.TRANSFER,
        Action.PROGRESS,
        Action.REPLY,
        Action.RETURN,
        Action.ASSIGN,
        Action.EXTEND,
        Action.ASSIST,
    }
)
ASKER_ACTIONS = frozenset({Action.FOLLOWUP, Action.RATE, Action.EDIT, Action.WITHDRAW, Action.APPEAL})
ADMIN_ACTIONS = frozenset(
    {Action.HIDE, Action.UNHIDE, Action.REDACT, Action.UPHOLD, Action.REOPEN, Action.DISPATCH, Action.SUPERVISE}
)
METOO_ACTIONS = frozenset({Action.METOO, Action.UNMETOO})  # other citizens: the asker has already asked
STAFF_OR_OFFICE_ACTIONS = frozenset({Action.NOTE})
# Done in the internal panel under a question (handler, notes, extensions, co-handling), not its action card.
INTERNAL_ACTIONS = frozenset({Action.ASSIGN, Action.NOTE, Action.EXTEND, Action.ASSIST, Action.ASSIST_DONE})
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
    Action.EDIT: {S.ASKED},
    Action.WITHDRAW: {S.ASKED},
    Action.APPEAL: {S.DECLINED},
    Action.UPHOLD: {S.APPEALED},
    Action.REOPEN: {S.APPEALED},
    Action.METOO: set(OPEN),
    Action.UNMETOO: set(S),
    Action.DISPATCH: {S.ASKED},  # and waiting at the office (no department)
    Action.RETURN: {S.ASKED, S.ACCEPTED},
    Action.ASSIGN: set(OPEN),
    Action.NOTE: set(S),
    Action.EXTEND: {S.ACCEPTED, S.REPLIED},  # a reply deadline runs (in replied: a follow-up awaits)
    Action.SUPERVISE: set(OPEN),
    Action.ASSIST: {S.ASKED, S.ACCEPTED},
    Action.ASSIST_DONE: set(OPEN),
}
EDIT_MINUTES = 10  # the asker may correct a question this long after asking, before acceptance


# ---------------------------------------------------------------- who may do what, when


def is_department_staff(user: User | None, question: Question) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.role == Role.STAFF
        and user.active
        and question.department_id is not None
        and user.department_id == question.department_id
    )


def _assisting(user: User, question: Question) -> bool:
    """Staff of a department assisting on the question, whose part is not yet done (协办)."""
    return is_assisting_staff(user, question)


def at_office(question: Question) -> bool:
    """Waiting in the coordinating office's dispatch queue: no department holds it."""
    return question.department_id is None


def is_asker(user: User | None, question: Question) -> bool:
    return bool(user and user.is_authenticated and user.id == question.asker_id)


def awaits_followup_answer(question: Question) -> bool:
    """A follow-up was asked after the last reply and is not yet answered."""
    return question.status == S.REPLIED and question.due_at is not None


def refusal(question: Question, user: User | None, action: Action, now: datetime | None = None) -> DomainError | None:
    """Why `user` may not do `action` to `question` now, or None if they may.

    `now` matters only to time-limited actions (an edit); without it they are refused.
    """
    why = _why_not(question, user, action, now)
    return None if why is None else why()


Refusal = Callable[[], DomainError]  # words a refusal: only one that is shown pays for its translation


def _why_not(question: Question, user: User | None, action: Action, now: datetime | None) -> Refusal | None:
    """refusal's rules; allowed_actions asks them about every action and shows none of their words."""
    if user is None or not getattr(user, "is_authenticated", False):
        return lambda: PermissionDenied(_("请先登录。"))
    if at_office(question) and action in STAFF_ACTIONS:
        return lambda: PermissionDenied(
            _("这个问题正在等待市网信办分拨；分拨后，只有承办部门的工作人员可以%(label)s。", label=action.label)
        )
    if action in STAFF_OR_OFFICE_ACTIONS and not (
        user.is_admin or is_department_staff(user, question) or _assisting(user, question)
    ):
        return lambda: PermissionDenied(_("只有承办部门的工作人员和管理员可以%(label)s。", label=action.label))
    if action == Action.ASSIST_DONE and not _assisting(user, question):
        return lambda: PermissionDenied(_("只有协办部门的工作人员可以%(label)s。", label=action.label))
    if action in STAFF_ACTIONS and not is_department_staff(user, question):
        return lambda: PermissionDenied(
            _(
                "只有%(short_name)s的工作人员可以%(label)s这个问题。",
                short_name=question.department.short_name,
                label=action.label,
            )
        )
    if action in ASKER_ACTIONS and not is_asker(user, question):
        return lambda: PermissionDenied(_("只有提问人本人可以%(label)s。", label=action.label))
    if action in ADMIN_ACTIONS and not user.is_admin:
        return lambda: PermissionDenied(_("只有管理员可以%(label)s问题。", label=action.label))
    if action in METOO_ACTIONS:
        if not _may_metoo(user, question):
            return lambda: PermissionDenied(_("只有提问人以外的网友可以%(label)s。", label=action.label))
        return _metoo_refusal(question, action, has_me_too(question, user))
    return _state_refusal(question, action) or _recourse_refusal(question, action, now)


def _may_metoo(user: User, question: Question) -> bool:
    """同问 is for citizens other than the asker (who has already asked)."""
    return user.role == Role.CITIZEN and not is_asker(user, question)


def _metoo_refusal(question: Question, action: Action, done: bool) -> Refusal | None:
    """Whether one who may 同问 can add theirs or take it back, given whether they have (`done`)."""
    if action == Action.UNMETOO:
        return None if done else lambda: DomainError(_("您还没有同问这个问题，不能取消。"))
    if done:
        return lambda: DomainError(_("您已经同问过这个问题了。"))
    if question.hidden_at is not None:
        return lambda: DomainError(_("这个问题已隐藏，不能同问。"))
    if not is_listed(question) or question.private:
        return lambda: DomainError(_("这个问题没有公开，不能同问。"))
    return _state_refusal(question, action)


def has_me_too(question: Question, user: User) -> bool:
    return db.session.get(MeToo, (question.id, user.id)) is not None


def _state_refusal(question: Question, action: Action) -> Refusal | None:
    status = question.status
    if status not in _STATES[action]:
        return lambda: DomainError(
            _("这个问题现在是「%(label)s」，不能%(label2)s。", label=status.label, label2=action.label)
        )
    if action == Action.REPLY and status == S.REPLIED and not awaits_followup_answer(question):
        return lambda: DomainError(_("已经答复过了；网友追问或评价不满意后才能再次答复。"))
    if action == Action.FOLLOWUP and awaits_followup_answer(question):
        return lambda: DomainError(_("上一条追问还在等待答复，请等部门答复后再追问。"))
    if action == Action.HIDE and question.hidden_at is not None:
        return lambda: DomainError(_("这个问题已经隐藏了。"))
    if action == Action.UNHIDE and question.hidden_at is None:
        return lambda: DomainError(_("这个问题没有被隐藏，不能恢复显示。"))
    if action == Action.DISPATCH and not at_office(question):
        return lambda: DomainError(_("这个问题已经有承办部门了，不能再分拨；部门可以转办或退回。"))
    if (
        action in (Action.ASSIGN, Action.EXTEND, Action.SUPERVISE)
        and status == S.REPLIED
        and not awaits_followup_answer(question)
    ):
        return lambda: DomainError(_("已经答复了，现在不能%(label)s。", label=action.label))
    if action == Action.SUPERVISE and at_office(question):
        return lambda: DomainError(_("这个问题还没有承办部门，不能督办；请先分拨。"))
    if action == Action.SUPERVISE and question.review_state is not None:
        return lambda: DomainError(_("这个问题还在审核中，不能督办。"))
    if action == Action.EXTEND and pending_extension(question) is not None:
        return lambda: DomainError(_("已有一份延期申请还在等待审批，不能再申请。"))
    return None


def allowed_actions(
    question: Question, user: User | None, now: datetime | None = None, among: Iterable[Action] = Action
) -> frozenset[Action]:
    """Everything (of `among`) `user` may do to `question` now; pure, for views and templates.

    `now` decides the time-limited actions (an edit within EDIT_MINUTES); a stale reply is
    closed before anyone reads it (see close_if_stale).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()  # refusal's first answer, without asking it once per action
    return frozenset(a for a in among if _why_not(question, user, a, now) is None)


def open_to_metoo(question: Question) -> bool:
    """Whether 同问 is still open on this question (a reader who is not signed in is asked to sign in)."""
    return question.status in OPEN and question.hidden_at is None


def metoo_actions(question: Question, user: User | None) -> frozenset[Action]:
    """Which of 同问 and taking it back `user` may do now: the per-reader part of a question page
    (refusal's answers, with the reader's 同问 looked up once)."""
    if user is None or not getattr(user, "is_authenticated", False) or not _may_metoo(user, question):
        return frozenset()
    done = has_me_too(question, user)
    return frozenset(a for a in METOO_ACTIONS if _metoo_refusal(question, a, done) is None)


def _check(question: Question, user: User | None, action: Action, now: datetime | None = None) -> User:
    if (error := refusal(question, user, action, now)) is not None:
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
    if due is None or question.status not in (*OPEN, S.APPEALED):
        return NO_DEADLINE
    return Timing(
        due, now >= due, deadlines.working_days_late(due, now, cal), deadlines.working_days_left(due, now, cal)
    )


def deadline_label(question: Question) -> str:
    """What the running deadline is called on the question's page."""
    if at_office(question):
        return _("分拨期限")
    if question.status == S.ASKED:
        return _("受理期限")
    if question.status == S.APPEALED:
        return _("复核期限")
    if awaits_followup_answer(question):
        return _("追问答复期限")
    return _("答复期限")


def may_see_hidden(question: Question, user: User | None) -> bool:
    """The asker, the department's staff and the admin still see a hidden question."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_admin or is_asker(user, question) or is_department_staff(user, question))
    )


def may_see_account(question: Question, user: User | None) -> bool:
    """Who sees the account behind an anonymous question: the department's staff and the admin."""
    return bool(user and user.is_authenticated and (user.is_admin or is_department_staff(user, question)))


def by_id(question_id: int) -> Question | None:
    return db.session.get(Question, question_id)


def for_page(question_id: int) -> Question | None:
    """The question with its whole history in one query, for its page: half what a second query costs."""
    return db.session.execute(_FOR_PAGE, {"qid": question_id}).unique().scalar_one_or_none()


_FOR_PAGE = sa.select(Question).options(joinedload(Question.events)).where(Question.id == sa.bindparam("qid"))


def for_update(question_id: int) -> Question | None:
    """The question, locked until the transaction ends, read fresh.

    Two staff acting on one question at once must not both pass the state check (two replies,
    an accept after a transfer): a no-op UPDATE takes the row lock on PostgreSQL and the write
    lock on SQLite first, so the second request waits, then reads the state the first left.
    """
    lock = sa.update(Question).where(Question.id == question_id).values(id=Question.id)
    db.session.execute(lock.execution_options(row_lock=True))  # changes nothing a page shows (xtq/web/page_cache.py)
    return db.session.scalar(
        db.select(Question).where(Question.id == question_id).execution_options(populate_existing=True)
    )


def by_tracking_code(code: str) -> Question | None:
    code = code.strip().upper().replace(" ", "").replace("-", "")
    if not code or len(code) > 12:
        return None
    return db.session.scalar(db.select(Question).where(Question.tracking_code == code))


def by_submit_token(token: str) -> Question | None:
    return db.session.scalar(db.select(Question).where(Question.submit_token == token))


def public_questions() -> Select:
    """Questions the public may list, for keyset pagination: not hidden, withdrawn, awaiting review or
    waiting at the office for dispatch.

    Private questions are listed (the public sees that one was received and answered on time)
    but never their text: see public_texts and shows_text.
    """
    return db.select(Question).where(
        Question.hidden_at.is_(None),
        Question.status != S.WITHDRAWN,
        Question.review_state.is_(None),
        Question.department_id.is_not(None),
    )


def public_texts() -> Select:
    """Questions whose text the public may read: feeds, the API, search, the screen."""
    return public_questions().where(Question.private.is_(False))


def is_listed(question: Question) -> bool:
    """The Python twin of public_questions()."""
    return is_readable(question) and question.department_id is not None


def is_readable(question: Question) -> bool:
    """Not hidden, withdrawn or awaiting review: its own page shows it (even while it waits at the office)."""
    return question.hidden_at is None and question.status != S.WITHDRAWN and question.review_state is None


def asked_unreadable(user: User) -> bool:
    """Whether `user` asked a question the public may not read: lists show it to them alone."""
    unreadable = (
        Question.private
        | Question.hidden_at.is_not(None)
        | (Question.status == S.WITHDRAWN)
        | Question.review_state.is_not(None)
    )
    return bool(db.session.scalar(sa.select(sa.exists().where(Question.asker_id == user.id, unreadable))))


def shows_text(question: Question, user: User | None) -> bool:
    """May `user` read the question's text and history? The public only a readable, non-private one."""
    return (is_readable(question) and not question.private) or may_see_hidden(question, user)


def may_see_unmasked(question: Question, user: User | None) -> bool:
    """The department's staff and the office read personal data in full; everyone else masked."""
    return may_see_account(question, user)


def recent_for_department(department_id: int, limit: int = 10) -> list[Question]:
    return list(
        db.session.scalars(
            public_questions()
            .where(Question.department_id == department_id)
            .order_by(Question.last_activity_at.desc(), Question.id.desc())
            .limit(limit)
        )
    )


def overdue_filter(now: datetime):
    return Question.status.in_(OPEN) & Question.due_at.is_not(None) & (Question.due_at <= now)


def waiting_on_department() -> sa.ColumnElement[bool]:
    """The inbox's 待办: questions the department must accept, reply to, or whose follow-up it must answer.

    A question held for review reaches the department's inbox when it is approved. Written as one
    IN with a side condition, not an OR of two statuses, so that SQLite seeks
    ix_question_department_due (department, status) instead of walking all the department's questions.
    """
    return (
        Question.status.in_((S.ASKED, S.ACCEPTED, S.REPLIED))
        & ((Question.status != S.REPLIED) | Question.due_at.is_not(None))
        & Question.review_state.is_(None)
    )


def citeable_posts(question: Question, now: datetime) -> Select:
    """The posts a reply to `question` may cite: its department's own, public at `now`; newest first."""
    return (
        db.select(Post)
        .where(
            Post.department_id == question.department_id,
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= now,
            Post.hidden_at.is_(None),
        )
        .order_by(Post.published_at.desc(), Post.id.desc())
    )


def linked_posts(question: Question) -> list[Post]:
    return list(
        db.session.scalars(
            db.select(Post)
            .join(QuestionPostLink, QuestionPostLink.post_id == Post.id)
            .where(
                QuestionPostLink.question_id == question.id,
                Post.status == PostStatus.PUBLISHED,
                Post.hidden_at.is_(None),
            )
            .order_by(Post.id)
        )
    )


@dataclass(frozen=True)
class Attached:
    """Which of the rarer things hang off a question; a page asks for each only where there is one."""

    photos: bool  # on the question or on one of its events
    posts: bool  # linked posts
    supervisions: bool
    assists: bool


NOTHING_ATTACHED = Attached(False, False, False, False)


def attached(question: Question) -> Attached:
    """One small query instead of one for each kind: most questions have none of them."""
    return Attached(*(bool(x) for x in db.session.execute(_ATTACHED, {"qid": question.id}).one()))


def _attached_statement() -> Select:
    qid = sa.bindparam("qid")
    event_ids = sa.select(QuestionEvent.id).where(QuestionEvent.question_id == qid)
    return sa.select(
        sa.exists().where(Photo.question_id == qid) | sa.exists().where(Photo.event_id.in_(event_ids)),
        sa.exists().where(QuestionPostLink.question_id == qid),
        sa.exists().where(QuestionSupervision.question_id == qid),
        sa.exists().where(QuestionAssist.question_id == qid),
    )


_ATTACHED = _attached_statement()  # built once: building it costs ten times what running it does


def questions_for_post(post_id: int) -> list[Question]:
    """The public questions a post answers or that led to it ("this question led to …")."""
    return list(
        db.session.scalars(
            public_texts()
            .join(QuestionPostLink, QuestionPostLink.question_id == Question.id)
            .where(QuestionPostLink.post_id == post_id)
            .order_by(Question.id)
        )
    )


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
    private: bool = False,
    submit_token: str | None = None,
    to_office: bool = False,
    now: datetime,
    cal: WorkCalendar,
    rng: random.Random | None = None,
) -> Question:
    """A citizen asks a department. The same submit token twice gives back the first question.

    Personal data is masked for the public (xtq.domain.privacy). A question the deployment's
    review rules hold (xtq.domain.screening) waits for the office: its deadline starts on approval.
    With `to_office` and no department, the question goes to the coordinating office's dispatch
    queue instead (the asker did not know whom to ask; see xtq.domain.office).
    """
    if asker is None or not getattr(asker, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if asker.role != Role.CITIZEN:
        raise PermissionDenied(_("提问请使用网友账号；工作人员和管理员账号不能提问。"))
    if submit_token and (earlier := by_submit_token(submit_token)) is not None:
        if earlier.asker_id != asker.id:
            raise DomainError(_("表单已失效，请刷新页面后重新提交。"))
        return earlier
    if department is None and not to_office:
        raise DomainError(_("请选择要提问的部门。"), "department")
    if district is not None and district.group != DeptGroup.DISTRICT:
        raise DomainError(_("请选择一个区县（市）。"), "district")
    if category not in CATEGORIES:
        raise DomainError(_("请选择问题分类。"), "category")
    title = _text(title, TITLE_MAX, "title", _("标题"))
    body = _text(body, BODY_MAX, "body", _("问题内容"))
    held = screening.reasons_to_hold(f"{title}\n{body}")
    q = Question(
        tracking_code=new_tracking_code(rng),
        submit_token=submit_token or None,
        asker=asker,
        department=department,
        district=district,
        category=category,
        anonymous=anonymous,
        private=private,
        status=S.ASKED,
        created_at=now,
        last_activity_at=now,
        review_state=ReviewState.PENDING if held else None,
        review_reasons="\n".join(held),
    )
    privacy.write_question(q, title, body, TITLE_MAX)
    db.session.add(q)
    _event(q, EventKind.ASKED, asker, now, to_department=department)
    db.session.flush()
    if held:
        notify(
            asker,
            msg("notify.asked_held", title=q.title, department=_receiver(q), code=q.tracking_code),
            now=now,
            question=q,
            url=_url(q),
        )
        return q
    if department is None:
        deliver(q, now=now, cal=cal)
        notify(asker, msg("notify.asked_office", title=q.title, code=q.tracking_code), now=now, question=q, url=_url(q))
        return q
    notify(
        asker,
        msg("notify.asked", title=q.title, department=department.short_name, code=q.tracking_code),
        now=now,
        question=q,
        url=_url(q),
    )
    deliver(q, now=now, cal=cal)
    return q


def _receiver(question: Question) -> str:
    return question.department.short_name if question.department else "市网信办"


def deliver(question: Question, *, now: datetime, cal: WorkCalendar) -> None:
    """The question reaches its department (or the office's dispatch queue, when the asker chose no
    department): at once, or when the office approves it after review."""
    if question.department_id is None:
        into_queue(question, now, cal)
        return
    question.due_at = deadlines.due_at(now, settings().terms.accept_days, cal)
    _start_deadline(question, DeadlineStep.ACCEPT, now)
    notify_all(
        department_staff(question.department_id),
        msg("notify.new_question", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )


# ---------------------------------------------------------------- the department's steps


def accept(question: Question, actor: User | None, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The department takes the question on; the reply deadline starts."""
    staff = _check(question, actor, Action.ACCEPT)
    event = _event(question, EventKind.ACCEPTED, staff, now, from_department=question.department)
    question.status, question.accepted_at = S.ACCEPTED, now
    _end_deadline(question, now, met=True)
    question.due_at = deadlines.due_at(now, settings().terms.reply_days, cal)
    _start_deadline(question, DeadlineStep.REPLY, now)
    _tell_asker(question, msg("notify.accepted", department=question.department.short_name, title=question.title), now)
    return event


def decline(question: Question, actor: User | None, reason: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The department will not take the question on, and says why in public."""
    staff = _check(question, actor, Action.DECLINE)
    reason = _text(reason, REASON_MAX, "reason", _("不予受理的理由"))
    event = _event(question, EventKind.DECLINED, staff, now, reason, from_department=question.department)
    question.status, question.due_at, question.closed_at = S.DECLINED, None, now
    _end_deadline(question, now, met=True)
    _tell_asker(
        question,
        msg("notify.declined", department=question.department.short_name, title=question.title, reason=reason),
        now,
    )
    return event


def transfer(
    question: Question, actor: User | None, to: Department | None, reason: str, *, now: datetime, cal: WorkCalendar
) -> QuestionEvent:
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
    question.due_at = deadlines.due_at(now, settings().terms.accept_days, cal)
    _start_deadline(question, DeadlineStep.ACCEPT, now)
    _tell_asker(
        question,
        msg("notify.transferred", title=question.title, source=old.short_name, target=to.short_name, reason=reason),
        now,
    )
    notify_all(
        department_staff(to.id),
        msg("notify.transferred_in", source=old.short_name, title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )
    return event


def progress(question: Question, actor: User | None, text: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """An interim update while the department works on the question (the deadline stays)."""
    staff = _check(question, actor, Action.PROGRESS)
    text = _text(text, TEXT_MAX, "text", _("进展内容"))
    event = _event(question, EventKind.PROGRESS, staff, now, text, from_department=question.department)
    _tell_asker(question, msg("notify.progress", department=question.department.short_name, title=question.title), now)
    return event


def reply(
    question: Question, actor: User | None, text: str, *, post_ids: Sequence[int] = (), now: datetime, cal: WorkCalendar
) -> QuestionEvent:
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
    answers_followup = awaits_followup_answer(question)
    question.status, question.replied_at, question.due_at = S.REPLIED, now, None
    if answers_followup:
        _tell_asker(
            question,
            msg("notify.followup_answered", department=question.department.short_name, title=question.title),
            now,
            Topic.FOLLOWUP,
        )
    else:
        _tell_asker(
            question,
            msg("notify.replied", department=question.department.short_name, title=question.title),
            now,
            Topic.REPLY,
        )
    return event


def _department_posts(question: Question, post_ids: Sequence[int], now: datetime) -> list[Post]:
    ids = sorted(set(post_ids))
    if not ids:
        return []
    posts = list(db.session.scalars(citeable_posts(question, now).where(Post.id.in_(ids))))
    if len(posts) != len(ids):
        raise DomainError(_("只能关联本部门已发布的微博。"), "posts")
    return posts


# ---------------------------------------------------------------- the asker's steps


def followup(question: Question, actor: User | None, text: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The asker asks more after a reply; the department owes an answer within REPLY_DAYS."""
    asker = _check(question, actor, Action.FOLLOWUP)
    text = _text(text, TEXT_MAX, "text", _("追问内容"))
    event = _event(question, EventKind.FOLLOWUP, asker, now, to_department=question.department)
    privacy.write_event_text(event, text)
    if not hold_for_review(event, text):  # a held follow-up reaches the department on approval
        expect_followup_answer(question, now, cal)
    return event


def expect_followup_answer(question: Question, now: datetime, cal: WorkCalendar) -> None:
    """The department owes an answer to a follow-up within REPLY_DAYS from now."""
    question.due_at = deadlines.due_at(now, settings().terms.reply_days, cal)
    _start_deadline(question, DeadlineStep.REPLY, now)
    notify_all(
        department_staff(question.department_id),
        msg("notify.followup", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )


def hold_for_review(event: QuestionEvent, text: str) -> bool:
    """Hold a citizen's text on a question for the office's review if the deployment's rules say so."""
    held = screening.reasons_to_hold(text) if text else []
    if held:
        event.review_state, event.review_reasons = ReviewState.PENDING, "\n".join(held)
    return bool(held)


def rate(
    question: Question, actor: User | None, rating: Rating | str, comment: str = "", *, now: datetime, cal: WorkCalendar
) -> QuestionEvent:
    """Satisfied closes the question; unsatisfied reopens it with a new reply deadline."""
    asker = _check(question, actor, Action.RATE)
    try:
        rating = Rating(rating)
    except ValueError:
        raise DomainError(_("请选择满意或不满意。"), "rating") from None
    comment = (comment or "").strip()
    if len(comment) > REASON_MAX:
        raise DomainError(_("评价说明最多 %(REASON_MAX)s 个字。", REASON_MAX=REASON_MAX), "comment")
    event = _event(question, EventKind.RATED, asker, now, rating=rating)
    privacy.write_event_text(event, comment)
    hold_for_review(event, comment)  # the rating stands; its comment waits if held
    question.rating = rating
    _end_deadline(question, now, met=False)  # a follow-up still awaiting its answer is overtaken
    staff = department_staff(question.department_id)
    if rating == Rating.SATISFIED:
        _event(question, EventKind.CLOSED, None, now, msg("event.closed.satisfied"))
        question.status, question.closed_at, question.due_at = S.CLOSED, now, None
        notify_all(staff, msg("notify.satisfied", title=question.title), now=now, question=question, url=_url(question))
    else:
        _event(
            question,
            EventKind.REOPENED,
            None,
            now,
            msg("event.reopened.unsatisfied"),
            to_department=question.department,
        )
        question.status = S.ACCEPTED
        question.due_at = deadlines.due_at(now, settings().terms.reply_days, cal)
        _start_deadline(question, DeadlineStep.REPLY, now)
        notify_all(
            staff, msg("notify.unsatisfied", title=question.title), now=now, question=question, url=_url(question)
        )
    return event


# ---------------------------------------------------------------- the system's steps


def close_if_stale(question: Question, now: datetime) -> bool:
    """Close a reply left unrated for STALE_RATING_DAYS (not while a follow-up awaits its answer).

    Applied by `flask close-stale` and whenever the question is read, with the same result:
    the question counts as closed from the moment it went stale.
    """
    days = settings().terms.stale_rating_days
    if question.status != S.REPLIED or awaits_followup_answer(question) or question.replied_at is None:
        return False
    stale_at = question.replied_at + timedelta(days=days)
    if now < stale_at:
        return False
    _event(question, EventKind.CLOSED, None, stale_at, msg("event.closed.stale", days=days))
    question.status, question.closed_at = S.CLOSED, stale_at
    _tell_asker(question, msg("notify.closed_stale", title=question.title, days=days), now)
    return True


def close_stale(now: datetime) -> int:
    """Close every stale replied question; returns how many."""
    cutoff = now - timedelta(days=settings().terms.stale_rating_days)
    candidates = db.session.scalars(
        db.select(Question).where(
            Question.status == S.REPLIED, Question.due_at.is_(None), Question.replied_at <= cutoff
        )
    )
    return sum(close_if_stale(q, now) for q in list(candidates))


_STEP = {S.ASKED: "accept", S.ACCEPTED: "reply", S.REPLIED: "followup"}  # the reminder messages' keys


def remind(now: datetime, cal: WorkCalendar) -> int:
    """催办: tell the department's staff on the last working day of a deadline and once it has passed.

    Each reminder is a public event naming the deadline; the same one is never sent twice.
    Returns how many reminders were sent.
    """
    sent = 0
    rows = db.session.scalars(
        db.select(Question)
        .where(
            Question.status.in_(OPEN), Question.due_at.is_not(None), Question.department_id.is_not(None)
        )  # not the office's queue
        .order_by(Question.due_at, Question.id)
    )
    for q in list(rows):
        assert q.due_at is not None
        step = _STEP[q.status]
        last_day = Timing(q.due_at, False, 0, None).last_day
        if now >= q.due_at:
            reminder = msg(f"event.remind.{step}.overdue", day=str(last_day))
        elif deadlines.working_days_left(q.due_at, now, cal) <= 1:
            reminder = msg(f"event.remind.{step}.last_day", day=str(last_day))
        else:
            continue
        if db.session.scalar(
            db.select(QuestionEvent.id).where(
                QuestionEvent.question_id == q.id,
                QuestionEvent.kind == EventKind.REMINDED,
                QuestionEvent.to_department_id == q.department_id,
                QuestionEvent.text == reminder.source_text(),
            )
        ):
            continue
        _event(q, EventKind.REMINDED, None, now, reminder, to_department=q.department, touch=False)
        notify_all(
            department_staff(q.department_id),
            msg("notify.reminder", title=q.title, reminder=reminder),
            now=now,
            question=q,
            url=_url(q),
        )
        if now >= q.due_at:
            _tell_asker(
                q,
                msg(f"notify.overdue.{step}", title=q.title, day=str(last_day), department=q.department.short_name),
                now,
                Topic.OVERDUE,
            )
        sent += 1
    return sent


def escalations(now: datetime, cal: WorkCalendar, min_days: int = 3) -> list[tuple[Question, int]]:
    """Questions overdue by at least `min_days` working days, the most overdue first, for the admin."""
    rows = db.session.scalars(late_questions(now, cal, min_days).order_by(Question.due_at, Question.id))
    return [(q, deadlines.working_days_late(q.due_at, now, cal)) for q in rows]


def late_questions(now: datetime, cal: WorkCalendar, min_days: int = 3) -> sa.Select:
    """Open questions overdue by at least `min_days` working days (order and paginate by due_at, id)."""
    return db.select(Question).where(
        overdue_filter(now), Question.due_at < deadlines.late_by_cutoff(now, min_days, cal)
    )


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


def redact(
    question: Question,
    actor: User | None,
    fragment: str,
    reason: str,
    *,
    now: datetime,
    event: QuestionEvent | None = None,
) -> QuestionEvent:
    """Replace a fragment (a phone number typed by mistake, say) in the question or one of its events.

    The public sees a mark where the text was and an event saying why; the removed text is
    not kept anywhere (the audit log records only its length).
    """
    admin = _check(question, actor, Action.REDACT)
    reason = _text(reason, REASON_MAX, "reason", _("处理理由"))
    if not fragment or not fragment.strip():
        raise DomainError(_("请填写要删去的文字。"), "fragment")
    if event is not None:
        typed = event.unmasked_text or event.text
        if event.question_id != question.id or fragment not in typed:
            raise DomainError(_("所选记录里没有这段文字。"), "fragment")
        if event.actor_id == question.asker_id:
            privacy.write_event_text(event, typed.replace(fragment, REDACTED_MARK))
        else:
            event.text = event.text.replace(fragment, REDACTED_MARK)
            event.text_html = render(event.text, mention_map())
    else:
        title, body = question.unmasked_title or question.title, question.unmasked_body or question.body
        if fragment not in title and fragment not in body:
            raise DomainError(_("问题标题和内容里都没有这段文字。"), "fragment")
        privacy.write_question(
            question, title.replace(fragment, REDACTED_MARK), body.replace(fragment, REDACTED_MARK), TITLE_MAX
        )
    _audit(admin, "question.redact", question, msg("audit.question_redact", count=len(fragment), reason=reason), now)
    return _event(question, EventKind.REDACTED, admin, now, reason, touch=False)


# ---------------------------------------------------------------- the asker's recourse (issue 16)
#
#   asked 待受理 ──withdraw──▶ withdrawn 已撤回 (kept for audit, out of public view)
#   asked 待受理 ──edit (within EDIT_MINUTES of asking)──▶ asked
#   declined 不予受理 ──appeal (once)──▶ appealed 复核中 ──uphold──▶ declined (final)
#                                                    └──reopen──▶ asked 待受理 at the chosen department


def _recourse_refusal(question: Question, action: Action, now: datetime | None) -> Refusal | None:
    if question.review_state is not None and action in STAFF_ACTIONS:
        return lambda: DomainError(_("这个问题还在审核，审核通过后才能办理。"))
    if action == Action.EDIT and (now is None or now > question.created_at + timedelta(minutes=EDIT_MINUTES)):
        return lambda: DomainError(_("提问 %(minutes)s 分钟后不能再修改。", minutes=EDIT_MINUTES))
    if action == Action.APPEAL and any(e.kind == EventKind.APPEALED for e in question.events):
        return lambda: DomainError(_("每个问题只能申请一次复核，已经申请过了。"))
    return None


def edit(question: Question, actor: User | None, *, title: str, body: str, now: datetime) -> QuestionEvent:
    """The asker corrects the title or text soon after asking; the public trail says so."""
    asker = _check(question, actor, Action.EDIT, now)
    title = _text(title, TITLE_MAX, "title", _("标题"))
    body = _text(body, BODY_MAX, "body", _("问题内容"))
    before_title, before_body = question.unmasked_title or question.title, question.unmasked_body or question.body
    if (title, body) == (before_title, before_body):
        raise DomainError(_("内容没有变化。"), "body")
    _audit(asker, "question.edit", question, msg("audit.question_edit", title=before_title, body=before_body), now)
    privacy.write_question(question, title, body, TITLE_MAX)
    question.edited_at = now
    if (held := screening.reasons_to_hold(f"{title}\n{body}")) and question.review_state is None:
        # the new text has not been reviewed: out of public view again until approved (see review.approve)
        question.review_state, question.review_reasons, question.due_at = ReviewState.PENDING, "\n".join(held), None
        _end_deadline(question, now, met=False)
    return _event(question, EventKind.EDITED, asker, now, touch=False)


def withdraw(question: Question, actor: User | None, *, now: datetime) -> QuestionEvent:
    """The asker takes back a question not yet accepted; it stays on record, out of public view."""
    asker = _check(question, actor, Action.WITHDRAW, now)
    event = _event(question, EventKind.WITHDRAWN, asker, now, from_department=question.department)
    _end_deadline(question, now, met=False)
    question.status, question.due_at, question.closed_at = S.WITHDRAWN, None, now
    notify_all(
        department_staff(question.department_id),
        msg("notify.withdrawn", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )
    return event


def appeal(question: Question, actor: User | None, reason: str, *, now: datetime, cal: WorkCalendar) -> QuestionEvent:
    """The asker asks the office to review a decline (once); the office owes a decision in APPEAL_DAYS."""
    asker = _check(question, actor, Action.APPEAL, now)
    reason = _text(reason, REASON_MAX, "reason", _("申请复核的理由"))
    event = _event(question, EventKind.APPEALED, asker, now, from_department=question.department)
    privacy.write_event_text(event, reason)
    hold_for_review(event, reason)  # the office decides the appeal either way; the public reads the reason after review
    question.status, question.closed_at = S.APPEALED, None
    question.due_at = deadlines.due_at(now, settings().terms.appeal_days, cal)
    notify_all(_admins(), msg("notify.appealed", title=question.title), now=now, question=question, url=_url(question))
    return event


def uphold(question: Question, actor: User | None, reason: str, *, now: datetime) -> QuestionEvent:
    """The office confirms the decline, with a public reason; the question is final."""
    admin = _check(question, actor, Action.UPHOLD, now)
    reason = _text(reason, REASON_MAX, "reason", _("维持的理由"))
    event = _event(question, EventKind.APPEAL_UPHELD, admin, now, reason)
    question.status, question.due_at, question.closed_at = S.DECLINED, None, now
    _audit(admin, "question.uphold", question, reason, now)
    _tell_asker(question, msg("notify.appeal_upheld", title=question.title, reason=reason), now)
    return event


def reopen(
    question: Question, actor: User | None, to: Department | None, reason: str, *, now: datetime, cal: WorkCalendar
) -> QuestionEvent:
    """The office overturns the decline and hands the question to a department (the same or another)."""
    admin = _check(question, actor, Action.REOPEN, now)
    if to is None:
        raise DomainError(_("请选择交由哪个部门办理。"), "department")
    reason = _text(reason, REASON_MAX, "reason", _("重新交办的理由"))
    event = _event(
        question, EventKind.APPEAL_REOPENED, admin, now, reason, from_department=question.department, to_department=to
    )
    question.department, question.department_id = to, to.id
    question.status, question.closed_at, question.accepted_at = S.ASKED, None, None
    _audit(admin, "question.reopen", question, reason, now)
    _tell_asker(question, msg("notify.appeal_reopened", title=question.title, department=to.short_name), now)
    deliver(question, now=now, cal=cal)
    return event


def _admins() -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.role == Role.ADMIN, User.active.is_(True))))


# ---------------------------------------------------------------- helpers


def _text(value: str | None, limit: int, field: str, name: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写%(name)s。", name=name), field)
    if len(value) > limit:
        raise DomainError(
            _("%(name)s最多 %(limit)s 个字，现在是 %(count)s 个。", name=name, limit=limit, count=len(value)), field
        )
    return value


def _event(
    question: Question,
    kind: EventKind,
    actor: User | None,
    now: datetime,
    text: str | Message = "",
    *,
    from_department: Department | None = None,
    to_department: Department | None = None,
    rating: Rating | None = None,
    touch: bool = True,
) -> QuestionEvent:
    """Add a step to the question's history: `text` is the actor's words, or a Message from the system."""
    text, key, params = split(text)
    event = QuestionEvent(
        kind=kind,
        actor=actor,
        created_at=now,
        text=text,
        message_key=key,
        message_params=params,
        text_html=render(text, mention_map()) if text else "",
        from_department=from_department,
        to_department=to_department,
        rating=rating,
    )
    question.events.append(event)
    if touch:
        question.last_activity_at = max(question.last_activity_at or now, now)
    return event


def received_at(question: Question) -> datetime:
    """When the question's current department received it: asked (or approved after review), or the
    last transfer or dispatch to it (or reopening after an appeal)."""
    handovers = (EventKind.TRANSFERRED, EventKind.APPROVED, EventKind.APPEAL_REOPENED, EventKind.DISPATCHED)
    transfers = [e.created_at for e in question.events if e.kind in handovers]
    return max(transfers, default=question.created_at)


def _start_deadline(question: Question, step: DeadlineStep, now: datetime) -> None:
    assert question.due_at is not None and question.department is not None
    question.deadlines.append(
        QuestionDeadline(department_id=question.department.id, step=step, started_at=now, due_at=question.due_at)
    )


def _end_deadline(question: Question, now: datetime, *, met: bool) -> None:
    for row in question.deadlines:
        if row.ended_at is None:
            row.ended_at, row.met_at = now, now if met else None


def _tell_asker(question: Question, message: Message, now: datetime, topic: Topic = Topic.PROGRESS) -> None:
    notify(question.asker, message, now=now, question=question, url=_url(question), topic=topic)


def _url(question: Question) -> str:
    return f"/q/{question.id}"


def _audit(actor: User, action: str, question: Question, detail: str | Message, now: datetime) -> None:
    audit.record(actor, action, "question", question.id, detail, now=now)


# ---------------------------------------------------------------- the office's dispatch queue and co-handling
# (the rules the state machine itself consults; the office's actions are in xtq.domain.office)


def office_staff() -> list[User]:
    return list(db.session.scalars(db.select(User).where(User.role == Role.ADMIN, User.active.is_(True))))


# ---------------------------------------------------------------- the dispatch queue


def into_queue(question: Question, now: datetime, cal: WorkCalendar) -> None:
    """The question waits for the office, which has DISPATCH_DAYS working days to send it on."""
    question.department, question.department_id, question.handler_id = None, None, None
    question.status, question.accepted_at = S.ASKED, None
    question.due_at = deadlines.due_at(now, settings().terms.dispatch_days, cal)
    notify_all(
        office_staff(),
        msg("notify.dispatch_waiting", title=question.title),
        now=now,
        question=question,
        url=_url(question),
    )


def pending_extension(question: Question) -> QuestionExtension | None:
    return db.session.scalar(
        db.select(QuestionExtension).where(
            QuestionExtension.question_id == question.id, QuestionExtension.status == ExtensionStatus.PENDING
        )
    )


def is_assisting_staff(user: User | None, question: Question) -> bool:
    if not (user and user.is_authenticated and user.is_staff and user.active and question.id is not None):
        return False
    row = db.session.get(QuestionAssist, (question.id, user.department_id))
    return row is not None and row.done_at is None
