"""Departments: the directory, lookups and the @mention map."""

from sqlalchemy import Row, func

from xtq.extensions import db
from xtq.models import Department, DeptGroup


def by_slug(slug: str) -> Department | None:
    return db.session.scalar(db.select(Department).where(Department.slug == slug))


def all_in_order() -> list[Department]:
    return list(db.session.scalars(db.select(Department).order_by(Department.position, Department.id)))


def names_in_order() -> list[Row]:
    """Each department's slug, short name and group in directory order, as rows: for menus and
    lists, which show no more than that and need not load 57 whole departments."""
    return list(db.session.execute(_NAMES).all())


_NAMES = db.select(Department.slug, Department.short_name, Department.group).order_by(
    Department.position, Department.id
)


def grouped(departments: list) -> list[tuple[DeptGroup, list]]:
    """The three groups in their fixed order, each with its departments."""
    return [(g, [d for d in departments if d.group == g]) for g in DeptGroup]


def districts() -> list[Department]:
    return [d for d in all_in_order() if d.group == DeptGroup.DISTRICT]


def mention_map() -> dict[str, str]:
    """Short name → slug, for turning @市公安局 into a link."""
    return dict(db.session.execute(db.select(Department.short_name, Department.slug)).all())


def count_by_group() -> dict[DeptGroup, int]:
    rows = db.session.execute(db.select(Department.group, func.count()).group_by(Department.group)).all()
    return dict(rows)
