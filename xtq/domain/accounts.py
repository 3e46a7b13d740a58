"""Accounts: public registration makes citizens only; staff and admins come from the CLI."""

import re
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func

from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import Department, Role, StaffTitle, User

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{3,30}$")
MIN_PASSWORD = 8


def _check_username(username: str) -> str:
    if not USERNAME_RE.match(username):
        raise DomainError(_("用户名须为 3–30 位字母、数字或下划线。"), "username")
    if db.session.scalar(db.select(User.id).where(func.lower(User.username) == username.lower())):
        raise DomainError(_("该用户名不可用，请换一个。"), "username")
    return username


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise DomainError(_("密码至少 %(MIN_PASSWORD)s 位。", MIN_PASSWORD=MIN_PASSWORD), "password")
    return password


def _new_user(username: str, display_name: str, password: str, role: Role, now: datetime) -> User:
    display_name = display_name.strip()
    if not display_name:
        raise DomainError(_("请填写昵称。"), "display_name")
    user = User(
        username=_check_username(username.strip()),
        display_name=display_name,
        role=role,
        created_at=now,
    )
    user.set_password(_check_password(password))
    db.session.add(user)
    return user


def register_citizen(username: str, display_name: str, password: str, *, now: datetime) -> User:
    """Public registration: always a citizen, whatever else the form carried."""
    return _new_user(username, display_name, password, Role.CITIZEN, now)


def create_admin(username: str, display_name: str, password: str, *, now: datetime) -> User:
    return _new_user(username, display_name, password, Role.ADMIN, now)


def create_staff(
    username: str, display_name: str, password: str, department_slug: str, title: str, *, now: datetime
) -> User:
    department = db.session.scalar(db.select(Department).where(Department.slug == department_slug))
    if department is None:
        raise DomainError(_("没有这个部门：%(department_slug)s", department_slug=department_slug), "department")
    try:
        staff_title = StaffTitle(title)
    except ValueError:
        raise DomainError(_("职务须为 spokesperson（网络新闻发言人）或 liaison（联络员）。"), "title") from None
    user = _new_user(username, display_name, password, Role.STAFF, now)
    user.department = department
    user.title = staff_title
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (without saying which part was wrong)."""
    user = db.session.scalar(db.select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
