"""The audit trail: every staff and admin action, and every moderation decision."""

from datetime import datetime

from xtq.extensions import db
from xtq.models import AuditLog, User


def record(actor: User | None, action: str, target_type: str, target_id: int | None, detail: str, *, now: datetime) -> AuditLog:
    """Add one audit row (who, what, on which thing, why, when); the caller commits."""
    row = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        created_at=now,
    )
    db.session.add(row)
    return row
