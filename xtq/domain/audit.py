"""The audit trail: every staff and admin action, and every moderation decision."""

from datetime import datetime

from xtq.domain.messages import Message, split
from xtq.extensions import db
from xtq.models import AuditLog, User


def record(
    actor: User | None, action: str, target_type: str, target_id: int | None, detail: str | Message, *, now: datetime
) -> AuditLog:
    """Add one audit row (who, what, on which thing, why, when); the caller commits.

    `detail` is the actor's own words (a reason), or a Message when the system writes it.
    """
    detail, key, params = split(detail)
    row = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        message_key=key,
        message_params=params,
        created_at=now,
    )
    db.session.add(row)
    return row
