"""Review before publishing (先审后发): the office's queue of held questions.

A question held by xtq.domain.screening waits here, oldest first, with the reasons it was held.
The office approves it (it goes public and reaches its department, whose deadline starts now),
approves it with a redaction, or rejects it with a reason the asker sees. Nobody else sees a
held or rejected question but the asker, the department's staff and the office.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from flask_babel import gettext as _

from xtq.domain import questions
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.notifications import notify
from xtq.extensions import db
from xtq.models import EventKind, Question, QuestionEvent, QuestionStatus, ReviewState, User


def _require_pending(question: Question, user: User | None) -> User:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if not user.is_admin:
        raise PermissionDenied(_("只有管理员可以审核问题。"))
    if question.review_state != ReviewState.PENDING:
        raise DomainError(_("这个问题不在待审核状态。"))
    return user


def queue():
    """Held questions, the longest waiting first."""
    return (db.select(Question).where(Question.review_state == ReviewState.PENDING)
            .order_by(Question.created_at, Question.id))


def appeals():
    """Appeals against a decline awaiting the office's decision, the nearest deadline first."""
    return (db.select(Question).where(Question.status == QuestionStatus.APPEALED)
            .order_by(Question.due_at, Question.id))


def pending_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Question)
                             .where(Question.review_state == ReviewState.PENDING)) or 0


def approve(question: Question, user: User | None, *, now: datetime, cal: WorkCalendar,
            fragment: str = "", reason: str = "") -> QuestionEvent:
    """Publish a held question (after removing `fragment`, if given) and hand it to its department."""
    admin = _require_pending(question, user)
    if fragment.strip():
        questions.redact(question, admin, fragment, reason, now=now)
    question.review_state, question.reviewed_at = None, now
    event = questions._event(question, EventKind.APPROVED, admin, now)
    questions._audit(admin, "question.approve", question, question.review_reasons, now)
    notify(question.asker, f"您的问题「{question.title}」已通过审核并公开，交{question.department.short_name}办理。",
           now=now, question=question, url=questions._url(question))
    questions.deliver(question, now=now, cal=cal)
    return event


def reject(question: Question, user: User | None, reason: str, *, now: datetime) -> QuestionEvent:
    """Keep a held question out of public view for good, with a reason the asker sees."""
    admin = _require_pending(question, user)
    reason = questions._text(reason, questions.REASON_MAX, "reason", _("不通过的理由"))
    question.review_state, question.reviewed_at, question.closed_at = ReviewState.REJECTED, now, now
    event = questions._event(question, EventKind.REJECTED, admin, now, reason)
    questions._audit(admin, "question.reject", question, reason, now)
    notify(question.asker, f"您的问题「{question.title}」未通过审核：{reason}", now=now, question=question,
           url=questions._url(question))
    return event


@dataclass(frozen=True)
class ReviewFigures:
    """How long review takes, for the office: the last `days` days of decisions, and the queue now."""

    decided: int
    median_hours: float | None
    longest_hours: float | None
    waiting: int
    oldest_waiting_hours: float | None


def figures(now: datetime, days: int = 30) -> ReviewFigures:
    rows = db.session.execute(db.select(Question.created_at, Question.reviewed_at).where(
        Question.reviewed_at.is_not(None), Question.reviewed_at >= now - timedelta(days=days))).all()
    hours = [(reviewed - created).total_seconds() / 3600 for created, reviewed in rows]
    oldest = db.session.scalar(db.select(db.func.min(Question.created_at))
                               .where(Question.review_state == ReviewState.PENDING))
    if oldest is not None and oldest.tzinfo is None:  # an aggregate skips the column's type
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return ReviewFigures(len(hours), round(median(hours), 1) if hours else None,
                         round(max(hours), 1) if hours else None, pending_count(),
                         round((now - oldest).total_seconds() / 3600, 1) if oldest else None)
