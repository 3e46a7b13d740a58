"""In-site notifications (the bell), and the e-mail copy when SMTP is configured.

A notification is a row; its e-mail copy waits in the session's outbox and leaves only when
the transaction commits (see xtq.mail), so a refused or rolled-back change sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func

from xtq.domain.config import settings
from xtq.domain.messages import Message, split
from xtq.extensions import db
from xtq.mail import Mail, queue
from xtq.models import Notification, Question, Role, StrEnum, User
from xtq.pagination import Page, paginate


class Topic(StrEnum):
    """What a notification is about; each is a `notify_<topic>` switch for its e-mail copy."""

    REPLY = "reply"  # a reply to my question arrived
    FOLLOWUP = "followup"  # my follow-up was answered
    OVERDUE = "overdue"  # a deadline on my question passed
    PROGRESS = "progress"  # every other step (accepted, transferred …; staff: their inbox)
    OUTAGE = "outage"  # a service notice for my districts

    @property
    def label(self) -> str:
        return str(_TOPIC_LABELS[self])


_TOPIC_LABELS = {
    Topic.REPLY: _l("部门答复了我的问题"),
    Topic.FOLLOWUP: _l("我的追问得到答复"),
    Topic.OVERDUE: _l("我的问题超过办理期限"),
    Topic.PROGRESS: _l("问题的其他办理进展（受理、转办等）"),
    Topic.OUTAGE: _l("我选择的区县发布停水停电等服务公告"),
}
_UNSUBSCRIBE_SALT = "xtq-unsubscribe"


def wants_email(user: User, topic: Topic) -> bool:
    return bool(getattr(user, f"notify_{topic.value}"))


def notify(
    user: User,
    message: Message | str,
    *,
    now: datetime,
    question: Question | None = None,
    url: str = "",
    topic: Topic = Topic.PROGRESS,
) -> Notification:
    """Tell one user something; e-mail them a copy when they have an address, want this topic, and SMTP is on.

    The message is shown in the reader's language; the e-mail copy is in the source language.
    """
    text, key, params = split(message)
    note = Notification(
        user_id=user.id,
        question_id=question.id if question else None,
        text=text[:300],
        message_key=key,
        message_params=params,
        url=url,
        created_at=now,
    )
    db.session.add(note)
    config = settings()
    if user.email and config.mail is not None and wants_email(user, topic):
        site = config.site_url
        link = site + url if url else ""
        unsubscribe = f"{site}/unsubscribe/{unsubscribe_token(user, topic)}"
        with force_locale("zh_CN"):  # like the notification's text, whatever language the actor reads
            footer = str(_l("不想再收到这类邮件？打开此链接即可退订：%(link)s", link=unsubscribe))
        body = "\n\n".join(x for x in (text, link, footer) if x)
        queue(
            db.session,
            Mail.from_config(
                config.mail,
                to=user.email,
                subject=text[:80],
                body=body,
                headers=(
                    ("List-Unsubscribe", f"<{unsubscribe}>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ),
            ),
        )
    return note


def notify_all(
    users: Iterable[User],
    message: Message | str,
    *,
    now: datetime,
    question: Question | None = None,
    url: str = "",
    topic: Topic = Topic.PROGRESS,
) -> None:
    for user in users:
        notify(user, message, now=now, question=question, url=url, topic=topic)


def unsubscribe_token(user: User, topic: Topic) -> str:
    """A link that turns one topic's e-mail off for one user, with no login (RFC 8058 one-click)."""
    return URLSafeSerializer(settings().secret_key, salt=_UNSUBSCRIBE_SALT).dumps([user.id, topic.value])


def unsubscribe_target(token: str) -> tuple[User, Topic] | None:
    """The user and topic a token names, or None for a bad token."""
    try:
        user_id, topic = URLSafeSerializer(settings().secret_key, salt=_UNSUBSCRIBE_SALT).loads(token)
        user, topic = db.session.get(User, int(user_id)), Topic(topic)
    except (BadSignature, ValueError, TypeError):
        return None
    return (user, topic) if user is not None else None


def unsubscribe(user: User, topic: Topic) -> None:
    setattr(user, f"notify_{topic.value}", False)


def department_staff(department_id: int) -> list[User]:
    """Every active staff account of a department (spokespersons and liaisons alike)."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.department_id == department_id, User.role == Role.STAFF, User.active.is_(True))
            .order_by(User.id)
        )
    )


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            db.select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def paginate_for(user: User, cursor: str | None, size: int) -> Page:
    """The user's notifications, newest first, a page at a time."""
    return paginate(
        db.select(Notification).where(Notification.user_id == user.id),
        Notification.created_at,
        Notification.id,
        cursor,
        size,
    )


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
