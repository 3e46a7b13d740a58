"""Keyset (cursor) pagination: a deep page costs what the first does, never OFFSET."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, literal, tuple_

from xtq.extensions import db

# A cursor is "<microseconds since the epoch>-<row id>"; the API document declares this same pattern.
CURSOR_PATTERN = r"[0-9]{1,17}-[0-9]{1,18}"


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def encode(moment: datetime, row_id: int) -> str:
    return f"{int(moment.timestamp() * 1_000_000)}-{row_id}"


def decode(cursor: str | None) -> tuple[datetime, int] | None:
    """A cursor from the URL, or None when absent or malformed (a bad cursor shows page 1)."""
    if not cursor:
        return None
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        return None
    micros, _, row_id = cursor.partition("-")
    return datetime.fromtimestamp(int(micros) / 1_000_000, UTC), int(row_id)


def paginate(select: Select, time_col, id_col, cursor: str | None, size: int, *, ascending: bool = False) -> Page:
    """Rows of `select` newest first by (time_col, id_col), or oldest first if `ascending`, after `cursor`."""
    after = decode(cursor)
    if after is not None:
        key, bound = tuple_(time_col, id_col), tuple_(*_bind(time_col, id_col, after))
        select = select.where(key > bound if ascending else key < bound)
    order = (time_col.asc(), id_col.asc()) if ascending else (time_col.desc(), id_col.desc())
    rows = list(db.session.scalars(select.order_by(*order).limit(size + 1)).unique())
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode(getattr(last, time_col.key), getattr(last, id_col.key))
    return Page(rows, next_cursor)


def _bind(time_col, id_col, after: tuple[datetime, int]):
    return literal(after[0], time_col.type), literal(after[1], id_col.type)
