"""A citizen's e-mail address: add or change it (confirmed by a signed link), and reset a forgotten password.

Links carry a signed token (itsdangerous, the app's secret key) holding the time it was issued;
the rules compare that with the `now` they are given, never with the wall clock.
- Verification: [user id, address, issued]. The address becomes the account's only when the link
  is opened, so a mistyped or someone else's address never receives notifications.
- Password reset: [user id, fingerprint of the current password hash, issued]. Setting a new
  password changes the hash, so a link works once; it also expires after RESET_MINUTES.
A reset request answers the same whether or not the address belongs to an account.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func

from xtq.domain.accounts import _check_password
from xtq.domain.config import settings
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.mail import Mail, queue
from xtq.models import User

ADDRESS_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
VERIFY_HOURS = 48
RESET_MINUTES = 60
_VERIFY_SALT, _RESET_SALT = "xtq-verify-email", "xtq-reset-password"


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(settings().secret_key, salt=salt)


def _site() -> str:
    return settings().site_url


def _send(to: str, subject: str, body: str) -> None:
    if (mail := settings().mail) is not None:
        queue(db.session, Mail.from_config(mail, to=to, subject=subject, body=body))


def normalise(address: str) -> str:
    address = (address or "").strip()
    if len(address) > 200 or not ADDRESS_RE.match(address):
        raise DomainError(_("请填写有效的电子邮箱地址。"), "email")
    return address


def _taken(address: str, user: User | None = None) -> bool:
    select = db.select(User.id).where(func.lower(User.email) == address.lower())
    if user is not None:
        select = select.where(User.id != user.id)
    return db.session.scalar(select.limit(1)) is not None


def request_change(user: User, address: str, *, now: datetime) -> None:
    """Keep `address` as pending and send it a verification link; the old address (if any) stays until then."""
    address = normalise(address)
    if user.email and user.email.lower() == address.lower():
        raise DomainError(_("这已经是您的邮箱。"), "email")
    if _taken(address, user):
        raise DomainError(_("该邮箱已被其他账号使用。"), "email")
    user.email_pending = address
    link = f"{_site()}/account/email/verify/{verification_token(user, address, now)}"
    _send(
        address,
        _("请确认您的邮箱"),
        _(
            "%(name)s，您好：\n\n请在 %(hours)s 小时内打开下面的链接，确认这是您在心通桥使用的邮箱：\n%(link)s\n\n"
            "如果不是您本人操作，请忽略这封邮件。",
            name=user.display_name,
            hours=VERIFY_HOURS,
            link=link,
        ),
    )


def verification_token(user: User, address: str, now: datetime) -> str:
    return _serializer(_VERIFY_SALT).dumps([user.id, address, int(now.timestamp())])


def verify(token: str, *, now: datetime) -> User:
    """Make the pending address the account's own; a refused link raises DomainError."""
    try:
        user_id, address, issued = _serializer(_VERIFY_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise DomainError(_("链接无效。")) from None
    user = db.session.get(User, user_id)
    if now - datetime.fromtimestamp(issued, now.tzinfo) > timedelta(hours=VERIFY_HOURS):
        raise DomainError(_("链接已过期，请重新发送确认邮件。"))
    if user is None or user.email_pending != address:
        raise DomainError(_("链接已失效（邮箱已确认或已更换）。"))
    if _taken(address, user):
        raise DomainError(_("该邮箱已被其他账号使用。"))
    user.email, user.email_pending = address, None
    return user


def remove(user: User) -> None:
    user.email = user.email_pending = None


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_reset(address: str, *, now: datetime) -> None:
    """Send a reset link if an active account has this confirmed address; say nothing either way."""
    try:
        address = normalise(address)
    except DomainError:
        return
    user = db.session.scalar(db.select(User).where(func.lower(User.email) == address.lower(), User.active.is_(True)))
    if user is None:
        return
    link = f"{_site()}/password/reset/{reset_token(user, now)}"
    _send(
        user.email,
        _("重设密码"),
        _(
            "%(name)s，您好：\n\n您的用户名是 %(username)s。请在 %(minutes)s 分钟内打开下面的链接设置新密码，链接只能使用一次：\n%(link)s\n\n"
            "如果不是您本人操作，请忽略这封邮件，您的密码不会改变。",
            name=user.display_name,
            username=user.username,
            minutes=RESET_MINUTES,
            link=link,
        ),
    )


def reset_token(user: User, now: datetime) -> str:
    return _serializer(_RESET_SALT).dumps([user.id, _fingerprint(user), int(now.timestamp())])


def reset_target(token: str, *, now: datetime) -> User:
    """The account a reset link may change now; DomainError if it is bad, expired or already used."""
    try:
        user_id, fingerprint, issued = _serializer(_RESET_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise DomainError(_("链接无效。")) from None
    if now - datetime.fromtimestamp(issued, now.tzinfo) > timedelta(minutes=RESET_MINUTES):
        raise DomainError(_("链接已过期，请重新申请重设密码。"))
    user = db.session.get(User, user_id)
    if user is None or not user.active or _fingerprint(user) != fingerprint:
        raise DomainError(_("链接已使用过或已失效，请重新申请重设密码。"))
    return user


def reset(token: str, password: str, *, now: datetime) -> User:
    user = reset_target(token, now=now)
    user.set_password(_check_password(password))
    return user
