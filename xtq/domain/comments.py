"""Comments on posts: logged-in citizens write them, the post's department may hide them."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select

from xtq.domain import audit, privacy, screening
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.domain.publishing import require_staff_of
from xtq.extensions import db
from xtq.models import Comment, Post, PostStatus, ReviewState, Role, User

MAX_COMMENT = 500
MAX_REASON = 200


def add(author: User, post: Post, body: str, *, now: datetime) -> Comment:
    """A citizen comments on a public post."""
    if author.role != Role.CITIZEN:
        raise PermissionDenied(_("只有网友可以发表评论。"))
    if post.status != PostStatus.PUBLISHED or post.published_at is None or post.published_at > now:
        raise NotFound(_("这条微博不存在。"))
    if post.hidden_at is not None:
        raise DomainError(_("这条微博已被隐藏，不能评论。"))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请填写评论内容。"), "body")
    if len(body) > MAX_COMMENT:
        raise DomainError(
            _("评论最多 %(MAX_COMMENT)s 字，现在是 %(count)s 字。", MAX_COMMENT=MAX_COMMENT, count=len(body)), "body"
        )
    comment = Comment(post_id=post.id, author_id=author.id, author=author, created_at=now)
    privacy.write_comment(comment, body)  # personal data masked for the public
    if held := screening.reasons_to_hold(body):  # shown, and counted, once the office approves it
        comment.review_state, comment.review_reasons = ReviewState.PENDING, "\n".join(held)
    else:
        post.comment_count = (post.comment_count or 0) + 1
    db.session.add(comment)
    return comment


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请说明原因。"), "reason")
    if len(reason) > MAX_REASON:
        raise DomainError(_("原因最多 %(MAX_REASON)s 字。", MAX_REASON=MAX_REASON), "reason")
    return reason


def hide(user: User, comment: Comment, reason: str, *, now: datetime) -> None:
    """Staff of the post's department hide a comment with a public reason; it is kept."""
    post = db.session.get(Post, comment.post_id)
    require_staff_of(user, post.department_id)
    if comment.hidden_at is not None:
        raise DomainError(_("这条评论已被隐藏。"))
    comment.hidden_reason = clean_reason(reason)
    comment.hidden_at = now
    audit.record(user, "comment.hide", "comment", comment.id, comment.hidden_reason, now=now)


def for_post(post_id: int) -> Select:
    """A post's published comments, hidden ones included (they show a notice in their place)."""
    return db.select(Comment).where(Comment.post_id == post_id, Comment.review_state.is_(None))
