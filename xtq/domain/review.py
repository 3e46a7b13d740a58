"""Review before publishing (先审后发): the office's queue of held citizen text.

Questions, citizens' text on a question (a follow-up, a rating's comment, an appeal's reason) and
comments held by xtq.domain.screening wait here, oldest first, with the reasons they were held.
The office approves (a question then reaches its department, whose deadline starts now; a
follow-up likewise), approves with a redaction, or rejects with a reason the writer sees. Until
then only the writer, the department's staff and the office see a held item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from flask_babel import gettext as _

from xtq.domain import audit, privacy, questions
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.messages import msg
from xtq.domain.notifications import notify
from xtq.extensions import db
from xtq.models import Comment, EventKind, Post, Question, QuestionEvent, QuestionStatus, ReviewState, User

Held = Question | QuestionEvent | Comment
KINDS: dict[str, type] = {"question": Question, "event": QuestionEvent, "comment": Comment}


def _require_pending(item: Held, user: User | None) -> User:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if not user.is_admin:
        raise PermissionDenied(_("只有管理员可以审核问题。"))
    if item.review_state != ReviewState.PENDING:
        raise DomainError(_("这条内容不在待审核状态。"))
    return user


def queue():
    """Held questions, the longest waiting first."""
    return (
        db.select(Question)
        .where(Question.review_state == ReviewState.PENDING)
        .order_by(Question.created_at, Question.id)
    )


def held_events():
    """Held follow-ups, rating comments and appeal reasons, the longest waiting first."""
    return (
        db.select(QuestionEvent)
        .where(QuestionEvent.review_state == ReviewState.PENDING)
        .order_by(QuestionEvent.created_at, QuestionEvent.id)
    )


def held_comments():
    return (
        db.select(Comment).where(Comment.review_state == ReviewState.PENDING).order_by(Comment.created_at, Comment.id)
    )


def appeals():
    """Appeals against a decline awaiting the office's decision, the nearest deadline first."""
    return db.select(Question).where(Question.status == QuestionStatus.APPEALED).order_by(Question.due_at, Question.id)


def pending_count() -> int:
    return sum(
        db.session.scalar(db.select(db.func.count()).select_from(cls).where(cls.review_state == ReviewState.PENDING))
        or 0
        for cls in KINDS.values()
    )


def approve(
    item: Held, user: User | None, *, now: datetime, cal: WorkCalendar, fragment: str = "", reason: str = ""
) -> None:
    """Publish a held item, after removing `fragment` if one is given (with a public reason)."""
    if isinstance(item, Question):
        approve_question(item, user, now=now, cal=cal, fragment=fragment, reason=reason)
        return
    admin = _require_pending(item, user)
    if isinstance(item, Comment):
        if fragment.strip():
            _redact_comment(item, admin, fragment, reason, now)
        item.review_state = None
        post = db.session.get(Post, item.post_id)
        post.comment_count = (post.comment_count or 0) + 1
        audit.record(admin, "comment.approve", "comment", item.id, item.review_reasons, now=now)
        return
    q = item.question
    if fragment.strip():
        questions.redact(q, admin, fragment, reason, now=now, event=item)
    item.review_state = None
    questions._audit(admin, "event.approve", q, item.review_reasons, now)
    if (
        item.kind == EventKind.FOLLOWUP
        and q.status == QuestionStatus.REPLIED
        and not questions.awaits_followup_answer(q)
    ):
        questions.expect_followup_answer(q, now, cal)


def reject(item: Held, user: User | None, reason: str, *, now: datetime) -> None:
    """Keep a held item out of public view for good, with a reason the writer sees."""
    if isinstance(item, Question):
        reject_question(item, user, reason, now=now)
        return
    admin = _require_pending(item, user)
    reason = questions._text(reason, questions.REASON_MAX, "reason", _("不通过的理由"))
    item.review_state = ReviewState.REJECTED
    if isinstance(item, Comment):
        audit.record(admin, "comment.reject", "comment", item.id, reason, now=now)
        notify(item.author, msg("notify.comment_rejected", reason=reason), now=now, url=f"/p/{item.post_id}")
    else:
        questions._audit(admin, "event.reject", item.question, reason, now)
        notify(
            item.question.asker,
            msg("notify.text_rejected", title=item.question.title, reason=reason),
            now=now,
            question=item.question,
            url=questions._url(item.question),
        )


def _redact_comment(comment: Comment, admin: User, fragment: str, reason: str, now: datetime) -> None:
    reason = questions._text(reason, questions.REASON_MAX, "reason", _("处理理由"))
    typed = comment.unmasked_body or comment.body
    if fragment not in typed:
        raise DomainError(_("评论里没有这段文字。"), "fragment")
    privacy.write_comment(comment, typed.replace(fragment, questions.REDACTED_MARK))
    audit.record(
        admin,
        "comment.redact",
        "comment",
        comment.id,
        msg("audit.comment_redact", count=len(fragment), reason=reason),
        now=now,
    )


def approve_question(
    question: Question, user: User | None, *, now: datetime, cal: WorkCalendar, fragment: str = "", reason: str = ""
) -> QuestionEvent:
    """Publish a held question (after removing `fragment`, if given) and hand it to its department."""
    admin = _require_pending(question, user)
    if fragment.strip():
        questions.redact(question, admin, fragment, reason, now=now)
    question.review_state, question.reviewed_at = None, now
    event = questions._event(question, EventKind.APPROVED, admin, now)
    questions._audit(admin, "question.approve", question, question.review_reasons, now)
    notify(
        question.asker,
        msg("notify.approved", title=question.title, department=question.department.short_name),
        now=now,
        question=question,
        url=questions._url(question),
    )
    questions.deliver(question, now=now, cal=cal)
    return event


def reject_question(question: Question, user: User | None, reason: str, *, now: datetime) -> QuestionEvent:
    """Keep a held question out of public view for good, with a reason the asker sees."""
    admin = _require_pending(question, user)
    reason = questions._text(reason, questions.REASON_MAX, "reason", _("不通过的理由"))
    question.review_state, question.reviewed_at, question.closed_at = ReviewState.REJECTED, now, now
    event = questions._event(question, EventKind.REJECTED, admin, now, reason)
    questions._audit(admin, "question.reject", question, reason, now)
    notify(
        question.asker,
        msg("notify.rejected", title=question.title, reason=reason),
        now=now,
        question=question,
        url=questions._url(question),
    )
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
    rows = db.session.execute(
        db.select(Question.created_at, Question.reviewed_at).where(
            Question.reviewed_at.is_not(None), Question.reviewed_at >= now - timedelta(days=days)
        )
    ).all()
    hours = [(reviewed - created).total_seconds() / 3600 for created, reviewed in rows]
    oldest = db.session.scalar(
        db.select(db.func.min(Question.created_at)).where(Question.review_state == ReviewState.PENDING)
    )
    if oldest is not None and oldest.tzinfo is None:  # an aggregate skips the column's type
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return ReviewFigures(
        len(hours),
        round(median(hours), 1) if hours else None,
        round(max(hours), 1) if hours else None,
        pending_count(),
        round((now - oldest).total_seconds() / 3600, 1) if oldest else None,
    )
