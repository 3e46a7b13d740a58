"""The coordinating office's federation controls: a department on or off, blocked domains, dead
letters sent again, and what it watches (followers by server, the queue, failures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_

from xtq import jobs
from xtq.domain import audit, questions
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.extensions import db
from xtq.federation import delivery, keys
from xtq.federation.models import (
    BlockedDomain,
    Delivery,
    DeliveryStatus,
    FederationActor,
    ReceivedActivity,
    RemoteActor,
    RemoteFollower,
    RemoteObject,
)
from xtq.models import Department, Question, QuestionStatus, User

_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$")


def require_admin(user: User | None) -> User:
    if user is None or not user.is_authenticated or not user.is_admin:
        raise PermissionDenied(_("只有管理员可以管理联邦。"))
    return user


def set_enabled(user: User, department: Department, on: bool, *, now: datetime) -> None:
    """Turn a department's fediverse account on or off (off: it answers 404 and sends nothing)."""
    require_admin(user)
    keys.actor_for(department, now).enabled = on
    audit.record(
        user, "federation.on" if on else "federation.off", "department", department.id, department.slug, now=now
    )


def clean_host(value: str) -> str:
    host = (value or "").strip().lower()
    host = re.sub(r"^[a-z]+://", "", host).split("/", 1)[0].lstrip("@").split("@")[-1]
    if not _HOST.match(host) or len(host) > 255:
        raise DomainError(_("请填写域名，例如 spam.example。"), "host")
    return host


def _on_host(column, host: str):
    """A host column (host or host:port) on the domain or a subdomain of it."""
    return or_(column == host, column.like(f"%.{host}"), column.like(f"{host}:%"), column.like(f"%.{host}:%"))


BLOCKED_REASON = "来源域名已被屏蔽"


def block(user: User, value: str, reason: str, *, now: datetime) -> BlockedDomain:
    """Refuse a domain (and its subdomains): its followers go, its deliveries and unapplied activities
    stop, and its questions still waiting to be accepted are hidden."""
    require_admin(user)
    host = clean_host(value)
    if db.session.get(BlockedDomain, host) is not None:
        raise DomainError(_("这个域名已被屏蔽。"), "host")
    blocked = BlockedDomain(host=host, reason=(reason or "").strip()[:200], created_at=now, created_by_id=user.id)
    db.session.add(blocked)
    remote_ids = db.select(RemoteActor.id).where(_on_host(RemoteActor.host, host))
    db.session.execute(db.delete(RemoteFollower).where(RemoteFollower.remote_actor_id.in_(remote_ids)))
    db.session.execute(
        db.update(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, _on_host(Delivery.host, host))
        .values(status=DeliveryStatus.DEAD, last_error="blocked domain")
    )
    actor_uris = db.select(RemoteActor.uri).where(_on_host(RemoteActor.host, host))
    db.session.execute(
        db.update(ReceivedActivity)
        .where(ReceivedActivity.processed_at.is_(None), ReceivedActivity.actor_uri.in_(actor_uris))
        .values(processed_at=now, outcome="blocked domain")
    )
    waiting = db.session.scalars(
        db.select(Question)
        .join(RemoteObject, RemoteObject.question_id == Question.id)
        .where(
            RemoteObject.remote_actor_id.in_(remote_ids),
            Question.status == QuestionStatus.ASKED,
            Question.hidden_at.is_(None),
        )
    )
    for question in waiting:
        questions.hide(question, user, BLOCKED_REASON, now=now)
    audit.record(user, "federation.block", "domain", None, f"{host} {blocked.reason}".strip(), now=now)
    return blocked


def unblock(user: User, host: str, *, now: datetime) -> None:
    require_admin(user)
    blocked = db.session.get(BlockedDomain, host)
    if blocked is None:
        raise DomainError(_("这个域名没有被屏蔽。"))
    db.session.delete(blocked)
    audit.record(user, "federation.unblock", "domain", None, host, now=now)


def retry(user: User, delivery_id: int, *, now: datetime) -> None:
    require_admin(user)
    delivery.retry_dead(delivery_id)
    audit.record(user, "federation.retry", "delivery", delivery_id, "", now=now)


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    enabled: bool
    followers: int


@dataclass(frozen=True)
class Overview:
    departments: list[DepartmentRow]
    followers_by_host: list[tuple[str, int]]
    queued_jobs: int
    pending_deliveries: int
    dead_letters: list[Delivery]
    blocked: list[BlockedDomain]


def overview() -> Overview:
    counts = dict(
        db.session.execute(
            db.select(RemoteFollower.department_id, func.count()).group_by(RemoteFollower.department_id)
        ).all()
    )
    off = set(db.session.scalars(db.select(FederationActor.department_id).where(FederationActor.enabled.is_(False))))
    departments = db.session.scalars(db.select(Department).order_by(Department.position, Department.id))
    by_host = db.session.execute(
        db.select(RemoteActor.host, func.count())
        .join(RemoteFollower, RemoteFollower.remote_actor_id == RemoteActor.id)
        .group_by(RemoteActor.host)
        .order_by(func.count().desc(), RemoteActor.host)
        .limit(100)
    ).all()
    pending = db.session.scalar(db.select(func.count()).where(Delivery.status == DeliveryStatus.PENDING))
    return Overview(
        departments=[DepartmentRow(d, d.id not in off, counts.get(d.id, 0)) for d in departments],
        followers_by_host=[(host, n) for host, n in by_host],
        queued_jobs=jobs.queue_depth(),
        pending_deliveries=pending,
        dead_letters=delivery.dead_letters(),
        blocked=list(db.session.scalars(db.select(BlockedDomain).order_by(BlockedDomain.host))),
    )
