"""Following departments and the timeline of their posts ("我的关注")."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select

from xtq.domain.errors import DomainError
from xtq.domain.posts import public_posts
from xtq.extensions import db
from xtq.models import Department, Follow, Post, User


def is_following(user: User, department_id: int) -> bool:
    return db.session.get(Follow, (user.id, department_id)) is not None


def follow(user: User, department: Department, *, now: datetime) -> None:
    if is_following(user, department.id):
        raise DomainError(_("您已经关注了%(short_name)s。", short_name=department.short_name))
    db.session.add(Follow(user_id=user.id, department_id=department.id, created_at=now))


def unfollow(user: User, department: Department) -> None:
    row = db.session.get(Follow, (user.id, department.id))
    if row is None:
        raise DomainError(_("您没有关注%(short_name)s。", short_name=department.short_name))
    db.session.delete(row)


def followed_departments(user: User) -> list[Department]:
    return list(
        db.session.scalars(
            db.select(Department)
            .join(Follow, Follow.department_id == Department.id)
            .where(Follow.user_id == user.id)
            .order_by(Department.position, Department.id)
        )
    )


def timeline(user: User, now: datetime) -> Select:
    """Public posts of the departments the user follows (paginate newest first)."""
    followed = db.select(Follow.department_id).where(Follow.user_id == user.id)
    return public_posts(now).where(Post.department_id.in_(followed))
