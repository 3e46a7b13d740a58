"""Deliveries: one row per activity and inbox, tried by the worker, retried with exponential
backoff for about two days, then kept as a dead letter with its reason.

Deliveries run on the wall clock (xtq.clock.wall_now): retries wait real minutes and signatures
carry real dates, whatever the demo clock says.

The row is the truth and the queue only a prompt: `deliver(id)` takes a short lease on the row
before it sends, so a worker killed mid-delivery leaves a pending row whose lease runs out, and
the sweep (every minute, and when a worker starts) puts it back on the queue. A receiver may
then see an activity twice; ActivityPub servers apply an activity id once."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import requests
from flask import current_app
from sqlalchemy import func, or_

from xtq import clock, jobs
from xtq.extensions import db
from xtq.federation import fetch, keys, signatures, urls
from xtq.federation.models import Delivery, DeliveryStatus, RemoteActor, RemoteFollower
from xtq.models import Department

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most six hours apart."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def follower_inboxes(department_id: int) -> list[str]:
    """Where the department's followers read: each server's shared inbox once, else each inbox."""
    inbox = func.coalesce(RemoteActor.shared_inbox, RemoteActor.inbox)
    return list(
        db.session.scalars(
            db.select(inbox)
            .distinct()
            .join(RemoteFollower, RemoteFollower.remote_actor_id == RemoteActor.id)
            .where(RemoteFollower.department_id == department_id)
            .order_by(inbox)
        )
    )


def send(department: Department, activity: dict, inboxes: Iterable[str]) -> list[Delivery]:
    """Queue `activity` for each distinct inbox (blocked domains left out); sent after commit."""
    body, now = json.dumps(activity, ensure_ascii=False), clock.wall_now()
    made = []
    for inbox in dict.fromkeys(inboxes):
        host = urlsplit(inbox).netloc.lower()
        if fetch.is_blocked(host):
            continue
        delivery = Delivery(
            department_id=department.id, inbox=inbox, host=host, activity=body, created_at=now, next_attempt_at=now
        )
        db.session.add(delivery)
        made.append(delivery)
    db.session.flush()
    for delivery in made:
        jobs.after_commit(db.session, deliver, delivery.id)
    return made


@jobs.task()
def deliver(delivery_id: int) -> None:
    """Try one delivery now (the queue's task)."""
    attempt(delivery_id, clock.wall_now())


def attempt(delivery_id: int, now: datetime) -> str:
    """Take the lease, sign and POST, then record the outcome. Returns what happened."""
    config = current_app.config
    lease = timedelta(seconds=config["FEDERATION_LEASE_SECONDS"])
    claimed = db.session.execute(
        db.update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
        )
        .values(locked_until=now + lease, attempts=Delivery.attempts + 1)
    ).rowcount
    db.session.commit()
    if not claimed:
        return "not due"  # delivered already, dead, not yet time, or another worker holds it
    delivery = db.session.get(Delivery, delivery_id)
    record = keys.actor_for(delivery.department, now)
    db.session.commit()  # no transaction stays open while we wait on another server
    try:
        body = delivery.activity.encode()
        headers = signatures.sign(
            "POST",
            delivery.inbox,
            body,
            key_id=urls.key_id(delivery.department.slug),
            key=keys.private_key(record),
            now=clock.wall_now(),
        )
        status = fetch.post(delivery.inbox, body, headers)
    except fetch.Refused as error:
        return _finish(delivery, now, dead=str(error))
    except requests.RequestException as error:
        return _retry(delivery, now, f"{type(error).__name__}: {error}", config)
    if 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.locked_until = DeliveryStatus.DONE, clock.wall_now(), None
        delivery.last_error = ""
        db.session.commit()
        return "delivered"
    if status in (408, 429) or status >= 500:
        return _retry(delivery, now, f"HTTP {status}", config)
    return _finish(delivery, now, dead=f"HTTP {status}")  # 4xx: the receiver will not take it


def _retry(delivery: Delivery, now: datetime, reason: str, config) -> str:
    if now - delivery.created_at >= timedelta(seconds=config["FEDERATION_RETRY_SECONDS"]):
        return _finish(delivery, now, dead=f"gave up after {delivery.attempts} attempts: {reason}")
    delay = backoff(delivery.attempts)
    delivery.next_attempt_at, delivery.locked_until, delivery.last_error = now + delay, None, reason[:500]
    db.session.commit()
    deliver.schedule(args=(delivery.id,), delay=delay.total_seconds())
    return "retry"


def _finish(delivery: Delivery, now: datetime, *, dead: str) -> str:
    delivery.status, delivery.locked_until, delivery.last_error = DeliveryStatus.DEAD, None, dead[:500]
    db.session.commit()
    log.warning("delivery %s to %s is a dead letter: %s", delivery.id, delivery.inbox, dead)
    return "dead"


def sweep(now: datetime) -> int:
    """Put due pending deliveries back on the queue: lost prompts, expired leases, due retries."""
    rows = db.session.execute(
        db.select(Delivery.id, Delivery.locked_until)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.id)
        .limit(1000)
    ).all()
    for delivery_id, locked_until in rows:
        if locked_until is not None and locked_until > now:  # someone holds it; look again when it lapses
            deliver.schedule(args=(delivery_id,), delay=(locked_until - now).total_seconds() + 1)
        else:
            deliver(delivery_id)
    return len(rows)


@jobs.periodic(jobs.crontab())
def sweep_every_minute() -> None:
    sweep(clock.wall_now())


@jobs.huey.on_startup()
def sweep_when_a_worker_starts() -> None:
    """A worker that starts (again) picks up what a killed one left."""
    if jobs.huey.immediate:
        return
    with jobs.app().app_context():
        sweep(clock.wall_now())


def dead_letters(limit: int = 50) -> list[Delivery]:
    return list(
        db.session.scalars(
            db.select(Delivery).where(Delivery.status == DeliveryStatus.DEAD).order_by(Delivery.id.desc()).limit(limit)
        )
    )


def retry_dead(delivery_id: int) -> None:
    """The admin sends a dead letter once more (two more days of retries from now)."""
    delivery, now = db.session.get(Delivery, delivery_id), clock.wall_now()
    if delivery is not None and delivery.status == DeliveryStatus.DEAD:
        delivery.status, delivery.created_at, delivery.next_attempt_at, delivery.attempts = (
            DeliveryStatus.PENDING,
            now,
            now,
            0,
        )
        jobs.after_commit(db.session, deliver, delivery.id)
