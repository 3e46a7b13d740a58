"""In-site notifications (the bell), and the e-mail copy when SMTP is configured.

A notification is a row; its e-mail copy waits in the session's outbox and leaves only when
the transaction commits (see xtq.mail), so a refused or rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from sqlalchemy import func

from xtq.domain.messages import Message, split
from xtq.extensions import db
from xtq.mail import Mail, queue
from xtq.models import Notification, Question, Role, User
from xtq.pagination import Page, paginate


def notify(user: User, message: Message | str, *, now: datetime, question: Question | None = None,
           url: str = "") -> Notification:
    """Tell one user something; e-mail them a copy when they have an address and SMTP is on.

    The message is shown in the reader's language; the e-mail copy is in the source language.
    """
    text, key, params = split(message)
    note = Notification(user_id=user.id, question_id=question.id if question else None,
                        text=text[:300], message_key=key, message_params=params, url=url, created_at=now)
    db.session.add(note)
    config = current_app.config
    if user.email and config.get("MAIL_SERVER"):
        link = (config.get("SITE_URL") or "").rstrip("/") + url if url else ""
        queue(db.session, Mail.from_config(config, to=user.email, subject=text[:80],
                                           body=text + ("\n\n" + link if link else "")))
    return note


def notify_all(users: Iterable[User], message: Message | str, *, now: datetime, question: Question | None = None,
               url: str = "") -> None:
    for user in users:
        notify(user, message, now=now, question=question, url=url)


def department_staff(department_id: int) -> list[User]:
    """Every active staff account of a department (spokespersons and liaisons alike)."""
    return list(db.session.scalars(
        db.select(User).where(User.department_id == department_id, User.role == Role.STAFF, User.active.is_(True))
        .order_by(User.id)
    ))


def unread_count(user: User) -> int:
    return db.session.scalar(
        db.select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ) or 0


def paginate_for(user: User, cursor: str | None, size: int) -> Page:
    """The user's notifications, newest first, a page at a time."""
    return paginate(db.select(Notification).where(Notification.user_id == user.id),
                    Notification.created_at, Notification.id, cursor, size)


def open_one(user: User, notification_id: int, *, now: datetime) -> Notification | None:
    """Mark one of the user's notifications read and hand it back (None if it is not theirs)."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user.id:
        return None
    note.read_at = note.read_at or now
    return note


def mark_all_read(user: User, *, now: datetime) -> int:
    result = db.session.execute(
        db.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount or 0
