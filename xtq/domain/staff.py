"""Staff accounts run by the coordinating office, and the department profile run by its spokesperson.

The office (admin) creates spokespersons and liaisons one by one or from a CSV file, disables
and enables them, resets their passwords, moves them between departments and changes their
titles, and decides per department whether bylines name the signer. A new or reset account gets
a one-time link to choose its own password: nobody else ever knows it. Every change is audited.

Disabling an account, and setting or resetting its password, raises `User.session_epoch`:
every session, remember cookie and set-password link made before stops working at once.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, func, or_

from xtq.domain import accounts, audit
from xtq.domain.errors import DomainError, NotFound, PermissionDenied
from xtq.extensions import db
from xtq.models import Department, Role, StaffTitle, User

LINK_SALT = "xtq-set-password"
LINK_MAX_AGE = 7 * 24 * 3600  # a set-password link lasts a week
CSV_COLUMNS = ("username", "display_name", "department", "title", "email")
CSV_MAX_ROWS = 2000
PROFILE_LIMITS = {"description": 1000, "phone": 40, "address": 200, "hours": 100}


def require_admin(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_admin:
        raise PermissionDenied(_("只有管理员可以管理工作人员账号。"))
    return actor


# ---------------------------------------------------------------- reading


def accounts_select(
    *, department: Department | None = None, title: StaffTitle | None = None, search: str = ""
) -> Select:
    """Staff and admin accounts, for the office's list (keyset-paginated by the view)."""
    select = db.select(User).where(User.role.in_((Role.STAFF, Role.ADMIN)))
    if department is not None:
        select = select.where(User.department_id == department.id)
    if title is not None:
        select = select.where(User.title == title)
    if search := search.strip()[:40]:
        like = f"%{search.lower()}%"
        select = select.where(or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like)))
    return select


def account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.CITIZEN:
        raise NotFound(_("没有这个工作人员账号。"))
    return user


# ---------------------------------------------------------------- one-time set-password links


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=LINK_SALT)


def password_token(user: User, secret_key: str) -> str:
    """A link token that works once: setting the password raises the epoch it carries."""
    return _serializer(secret_key).dumps([user.id, user.session_epoch])


def user_for_token(token: str, secret_key: str) -> User:
    try:
        user_id, epoch = _serializer(secret_key).loads(token, max_age=LINK_MAX_AGE)
    except SignatureExpired:
        raise DomainError(_("这个链接已过期，请联系管理员重新发送。")) from None
    except (BadSignature, ValueError, TypeError):
        raise DomainError(_("这个链接无效或已经用过，请联系管理员重新发送。")) from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.session_epoch != epoch or not user.active:
        raise DomainError(_("这个链接无效或已经用过，请联系管理员重新发送。"))
    return user


def set_password(token: str, password: str, secret_key: str, *, now: datetime) -> User:
    """The account's owner chooses a password through their link; the link then stops working."""
    user = user_for_token(token, secret_key)
    user.set_password(accounts._check_password(password))
    user.session_epoch += 1
    audit.record(user, "account.set_password", "user", user.id, "", now=now)
    return user


def _unusable_password(user: User) -> None:
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it; the link sets the real one


# ---------------------------------------------------------------- creating


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    department: Department
    title: StaffTitle
    email: str | None = None


def _spec(username: str, display_name: str, department: Department | None, title: str, email: str | None) -> StaffSpec:
    username, display_name, email = username.strip(), display_name.strip(), (email or "").strip() or None
    if not accounts.USERNAME_RE.match(username):
        raise DomainError(_("用户名须为 3–30 位字母、数字或下划线。"), "username")
    if not display_name or len(display_name) > 40:
        raise DomainError(_("请填写姓名（最多 40 个字）。"), "display_name")
    if department is None:
        raise DomainError(_("请选择部门。"), "department")
    try:
        staff_title = StaffTitle(title)
    except ValueError:
        raise DomainError(_("职务须为网络新闻发言人或联络员。"), "title") from None
    if email is not None and ("@" not in email or len(email) > 200 or any(c.isspace() for c in email)):
        raise DomainError(_("电子邮箱格式不对。"), "email")
    return StaffSpec(username, display_name, department, staff_title, email)


def _username_taken(username: str) -> bool:
    return db.session.scalar(db.select(User.id).where(func.lower(User.username) == username.lower())) is not None


def _create(actor: User, spec: StaffSpec, now: datetime) -> User:
    user = User(
        username=spec.username,
        display_name=spec.display_name,
        role=Role.STAFF,
        department=spec.department,
        title=spec.title,
        email=spec.email,
        created_at=now,
    )
    _unusable_password(user)
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "staff.create",
        "user",
        user.id,
        f"{spec.username} · {spec.department.short_name} · {spec.title.label}",
        now=now,
    )
    return user


def create(
    actor: User | None,
    *,
    username: str,
    display_name: str,
    department: Department | None,
    title: str,
    email: str | None = None,
    now: datetime,
) -> User:
    """A new spokesperson or liaison with no password yet (send them `password_token`)."""
    admin = require_admin(actor)
    spec = _spec(username, display_name, department, title, email)
    if _username_taken(spec.username):
        raise DomainError(_("该用户名不可用，请换一个。"), "username")
    return _create(admin, spec, now)


class CsvRefused(DomainError):
    """A CSV file was refused; `problems` lists every bad line (nothing was created)."""

    def __init__(self, problems: list[str]):
        super().__init__(_("文件有 %(count)s 处问题，没有导入任何账号。", count=len(problems)))
        self.problems = problems


def parse_csv(text: str) -> list[StaffSpec]:
    """Every line checked before anything is written: all the problems, or all the accounts."""
    from xtq.domain.departments import by_slug

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        raise CsvRefused(
            [
                _(
                    "第 1 行：缺少列 %(columns)s（应为 %(expected)s）。",
                    columns="、".join(missing),
                    expected=",".join(CSV_COLUMNS),
                )
            ]
        )
    specs, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        if line - 1 > CSV_MAX_ROWS:
            problems.append(_("一次最多导入 %(max)s 个账号。", max=CSV_MAX_ROWS))
            break
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        if not any(row.values()):
            continue
        try:
            spec = _spec(
                row.get("username", ""),
                row.get("display_name", ""),
                by_slug(row.get("department", "")),
                row.get("title", ""),
                row.get("email"),
            )
        except DomainError as e:
            problems.append(_("第 %(line)s 行：%(message)s", line=line, message=e.message))
            continue
        if spec.username.lower() in seen or _username_taken(spec.username):
            problems.append(_("第 %(line)s 行：用户名 %(username)s 已存在。", line=line, username=spec.username))
            continue
        seen.add(spec.username.lower())
        specs.append(spec)
    if problems:
        raise CsvRefused(problems)
    if not specs:
        raise CsvRefused([_("文件里没有账号。")])
    return specs


def import_csv(actor: User | None, text: str, *, now: datetime) -> list[User]:
    """Create every account of a CSV file, or none."""
    admin = require_admin(actor)
    return [_create(admin, spec, now) for spec in parse_csv(text)]


# ---------------------------------------------------------------- changing


def _active_admins() -> int:
    return (
        db.session.scalar(
            db.select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def disable(actor: User | None, user: User, *, now: datetime) -> None:
    """The account can no longer log in; its sessions and remember cookies end now."""
    admin = require_admin(actor)
    if not user.active:
        raise DomainError(_("这个账号已经停用了。"))
    if user.is_admin and _active_admins() <= 1:
        raise DomainError(_("这是最后一个启用的管理员账号，不能停用。"))
    user.active = False
    user.session_epoch += 1
    audit.record(admin, "staff.disable", "user", user.id, user.username, now=now)


def enable(actor: User | None, user: User, *, now: datetime) -> None:
    admin = require_admin(actor)
    if user.active:
        raise DomainError(_("这个账号已经是启用状态。"))
    user.active = True
    audit.record(admin, "staff.enable", "user", user.id, user.username, now=now)


def reset_password(actor: User | None, user: User, *, now: datetime) -> None:
    """The old password, sessions and links stop working; send the user a new `password_token`."""
    admin = require_admin(actor)
    if not user.active:
        raise DomainError(_("请先启用这个账号。"))
    _unusable_password(user)
    user.session_epoch += 1
    audit.record(admin, "staff.reset_password", "user", user.id, user.username, now=now)


def move(actor: User | None, user: User, department: Department | None, *, now: datetime) -> None:
    admin = require_admin(actor)
    if not user.is_staff:
        raise DomainError(_("只有部门工作人员可以调动部门。"))
    if department is None:
        raise DomainError(_("请选择部门。"), "department")
    if department.id == user.department_id:
        raise DomainError(_("已经在这个部门了。"), "department")
    old = user.department
    user.department = department
    audit.record(
        admin,
        "staff.move",
        "user",
        user.id,
        f"{user.username}：{old.short_name if old else '—'} → {department.short_name}",
        now=now,
    )


def change_title(actor: User | None, user: User, title: str, *, now: datetime) -> None:
    admin = require_admin(actor)
    if not user.is_staff:
        raise DomainError(_("只有部门工作人员有职务。"))
    try:
        new = StaffTitle(title)
    except ValueError:
        raise DomainError(_("职务须为网络新闻发言人或联络员。"), "title") from None
    if new == user.title:
        raise DomainError(_("职务没有变化。"), "title")
    user.title = new
    audit.record(admin, "staff.title", "user", user.id, f"{user.username}：{new.label}", now=now)


def set_show_names(actor: User | None, department: Department, show: bool, *, now: datetime) -> None:
    """Whether the department's signed posts and replies name the signer, or only the title."""
    admin = require_admin(actor)
    department.show_staff_names = bool(show)
    audit.record(
        admin,
        "department.bylines",
        "department",
        department.id,
        f"{department.short_name}：{'署名' if show else '不署名'}",
        now=now,
    )


# ---------------------------------------------------------------- the department's public profile


def require_spokesperson(actor: User | None) -> User:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not actor.is_staff
        or not actor.active
        or actor.title != StaffTitle.SPOKESPERSON
        or actor.department is None
    ):
        raise PermissionDenied(_("只有本部门的网络新闻发言人可以修改部门资料。"))
    return actor


def update_profile(actor: User | None, *, now: datetime, **fields: str) -> Department:
    """The spokesperson edits the department's description, phone, address and office hours."""
    staff = require_spokesperson(actor)
    department = staff.department
    assert department is not None
    changed = []
    for name, limit in PROFILE_LIMITS.items():
        value = (fields.get(name) or "").strip()
        if len(value) > limit:
            raise DomainError(_("最多 %(limit)s 个字。", limit=limit), name)
        if value != (getattr(department, name) or ""):
            setattr(department, name, value)
            changed.append(name)
    if changed:
        audit.record(staff, "department.profile", "department", department.id, "、".join(changed), now=now)
    return department
