"""Reports and the admin's moderation queue.

Any logged-in user may report a post or a comment, once per target. Three different users'
open reports hide a comment at once, until the admin decides; a department's own post is
never hidden that way, it waits for the admin. The admin hides or dismisses; every decision
is recorded with who, when and why, and a hidden item shows its reason in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_pgettext
from sqlalchemy import func

from xtq.domain import audit
from xtq.domain.comments import clean_reason
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.domain.messages import msg
from xtq.extensions import db
from xtq.models import AuditLog, Comment, Photo, Post, PostStatus, Question, QuestionEvent, Report, ReportStatus, User

AUTO_HIDE_AT = 3
AUTO_HIDE = msg("moderation.auto_hide")
AUTO_HIDE_REASON = AUTO_HIDE.source_text()  # stored as the hidden reason; shown through messages.known
MAX_REPORT_REASON = 200
# What can be reported: posts and comments, questions and the steps of their history, and photos on them.
TARGETS: dict[str, type] = {
    "post": Post,
    "comment": Comment,
    "question": Question,
    "event": QuestionEvent,
    "photo": Photo,
}
AUTO_HIDDEN_TYPES = {"comment"}


@dataclass
class QueueItem:
    """One reported thing in the admin's queue, with its open reports."""

    target_type: str
    target_id: int
    target: Post | Comment | Question | QuestionEvent | Photo
    reports: int
    reasons: list[str]
    first_reported_at: datetime


def load_target(target_type: str, target_id: int, now: datetime):
    """The reported thing, if the public can see where it stands."""
    model = TARGETS.get(target_type)
    target = db.session.get(model, target_id) if model else None
    if isinstance(target, Photo):
        from xtq.domain import photos  # photos → questions → notifications; moderation is imported earlier

        if photos.is_public(target, now):
            return target
        raise NotFound(_("要举报的内容不存在。"))
    if isinstance(target, (Question, QuestionEvent)):
        question = target if isinstance(target, Question) else target.question
        if question.hidden_at is None:
            return target
        raise NotFound(_("要举报的内容不存在。"))
    post = target if isinstance(target, Post) else (db.session.get(Post, target.post_id) if target else None)
    if post is None or post.status != PostStatus.PUBLISHED or post.published_at is None or post.published_at > now:
        raise NotFound(_("要举报的内容不存在。"))
    return target


def report(user: User, target_type: str, target_id: int, reason: str, *, now: datetime) -> Report:
    """File one user's report; the third different reporter hides a comment until the admin decides."""
    target = load_target(target_type, target_id, now)
    if target.hidden_at is not None:
        raise DomainError(_("该内容已被隐藏，无需再举报。"))
    reason = (reason or "").strip()
    if len(reason) > MAX_REPORT_REASON:
        raise DomainError(_("举报理由最多 %(MAX_REPORT_REASON)s 字。", MAX_REPORT_REASON=MAX_REPORT_REASON), "reason")
    already = db.session.scalar(
        db.select(Report.id).where(
            Report.reporter_id == user.id, Report.target_type == target_type, Report.target_id == target_id
        )
    )
    if already:
        raise DomainError(_("您已举报过该内容，管理员会尽快处理。"))
    row = Report(
        reporter_id=user.id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        status=ReportStatus.OPEN,
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    if target_type in AUTO_HIDDEN_TYPES and _open_reports(target_type, target_id) >= AUTO_HIDE_AT:
        target.hidden_at = now
        target.hidden_reason = AUTO_HIDE_REASON
        audit.record(None, f"{target_type}.auto_hide", target_type, target_id, AUTO_HIDE, now=now)
    return row


def _open_reports(target_type: str, target_id: int) -> int:
    return (
        db.session.scalar(
            db.select(func.count(func.distinct(Report.reporter_id))).where(
                Report.target_type == target_type, Report.target_id == target_id, Report.status == ReportStatus.OPEN
            )
        )
        or 0
    )


def decide(admin: User, target_type: str, target_id: int, hide: bool, reason: str, *, now: datetime) -> None:
    """The admin hides the reported thing or dismisses its reports; who, when and why are kept."""
    if not admin.is_admin:
        raise PermissionDenied(_("只有管理员可以处理举报。"))
    reason = clean_reason(reason)
    model = TARGETS.get(target_type)
    target = db.session.get(model, target_id) if model else None
    if target is None:
        raise NotFound(_("要处理的内容不存在。"))
    open_reports = list(
        db.session.scalars(
            db.select(Report).where(
                Report.target_type == target_type, Report.target_id == target_id, Report.status == ReportStatus.OPEN
            )
        )
    )
    if not open_reports:
        raise DomainError(_("这条内容没有待处理的举报。"))
    if hide:
        target.hidden_reason = reason
        target.hidden_at = now
    elif target.hidden_reason == AUTO_HIDE_REASON:
        target.hidden_at = target.hidden_reason = None  # the reports did not hold: show it again
    for row in open_reports:
        row.status = ReportStatus.HIDDEN if hide else ReportStatus.DISMISSED
        row.resolved_at = now
        row.resolved_by_id = admin.id
    action = "hide" if hide else "dismiss"
    audit.record(admin, f"{target_type}.{action}", target_type, target_id, reason, now=now)


def queue(limit: int = 50) -> list[QueueItem]:
    """Reported things with open reports, the longest waiting first."""
    rows = db.session.execute(
        db.select(Report.target_type, Report.target_id, func.count(), func.min(Report.created_at))
        .where(Report.status == ReportStatus.OPEN)
        .group_by(Report.target_type, Report.target_id)
        .order_by(func.min(Report.id))
        .limit(limit)
    ).all()
    reasons: dict[tuple[str, int], list[str]] = {}
    for t_type, t_id, reason in db.session.execute(
        db.select(Report.target_type, Report.target_id, Report.reason).where(
            Report.status == ReportStatus.OPEN, Report.reason != ""
        )
    ):
        reasons.setdefault((t_type, t_id), []).append(reason)
    targets = {
        t_type: {
            t.id: t
            for t in db.session.scalars(db.select(model).where(model.id.in_([r[1] for r in rows if r[0] == t_type])))
        }
        for t_type, model in TARGETS.items()
    }
    items = []
    for t_type, t_id, n, first in rows:
        target = targets.get(t_type, {}).get(t_id)
        if target is not None:
            items.append(QueueItem(t_type, t_id, target, n, reasons.get((t_type, t_id), []), first))
    return items


def recent_decisions(limit: int = 20) -> list[AuditLog]:
    """The latest moderation decisions, for the queue page."""
    actions = [f"{t}.{a}" for t in TARGETS for a in ("hide", "dismiss", "auto_hide")] + ["comment.hide"]
    return list(
        db.session.scalars(
            db.select(AuditLog).where(AuditLog.action.in_(actions)).order_by(AuditLog.id.desc()).limit(limit)
        )
    )


def open_count() -> int:
    """How many reported things wait for the admin."""
    waiting = db.select(Report.target_type, Report.target_id).where(Report.status == ReportStatus.OPEN).distinct()
    return db.session.scalar(db.select(func.count()).select_from(waiting.subquery())) or 0


TARGET_LABELS = {
    "post": lazy_pgettext("moderation", "微博"),
    "comment": lazy_pgettext("moderation", "评论"),
    "question": lazy_pgettext("moderation", "提问"),
    "event": lazy_pgettext("moderation", "办理记录"),
    "photo": lazy_pgettext("moderation", "照片"),
}
ACTION_LABELS = {
    "hide": lazy_pgettext("moderation", "隐藏"),
    "dismiss": lazy_pgettext("moderation", "驳回举报"),
    "auto_hide": lazy_pgettext("moderation", "自动隐藏"),
}


def describe(action: str) -> str:
    """'comment.hide' → '隐藏评论', for the decisions log."""
    target, __, verb = action.partition(".")
    return _("%(action)s%(target)s", action=ACTION_LABELS.get(verb, verb), target=TARGET_LABELS.get(target, target))
