"""Guard: the public post lists come newest first straight from an index, on SQLite and PostgreSQL.

PostgreSQL cannot order past a `hidden_at IS NULL` index column: with one in the middle of the
index, the home page sorted every public post (1.5 s at a million posts). With sorting priced out,
a plan that still sorts has no index in list order."""

import pytest
import sqlalchemy as sa

from tests.helpers import NOW
from xtq.domain import office, posts
from xtq.extensions import db
from xtq.models import Post

NAIVE_NOW = NOW.replace(tzinfo=None)  # as stored


def plan(select) -> str:
    """The query plan, on PostgreSQL with sorts and seq scans priced out (its test tables are tiny)."""
    statement = select.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return "\n".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}"))
        conn.exec_driver_sql("SET LOCAL enable_sort = off")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {statement}"))


def first_page(select, deep: bool):
    """The statement xtq.pagination.paginate sends, on page 1 or past an `after=` cursor."""
    if deep:
        select = select.where(sa.tuple_(Post.published_at, Post.id) < sa.tuple_(NAIVE_NOW, 1000))
    return select.order_by(Post.published_at.desc(), Post.id.desc()).limit(21)


@pytest.mark.parametrize("deep", [False, True])
@pytest.mark.parametrize("which", ["home", "hall"])
def test_public_post_lists_need_no_sort(app, which, deep):
    select = posts.public_posts(NOW) if which == "home" else posts.unpinned_by_department(1, NOW)
    shown = plan(first_page(select.with_only_columns(Post.id), deep))
    assert "TEMP B-TREE" not in shown and "Sort" not in shown, shown


def test_questions_by_channel_read_only_an_index(app):
    """/stats counts a year's questions by channel: from ix_question_created alone, not each row."""
    shown = plan(office.by_channel_select(NOW.replace(year=NOW.year - 1), NOW))
    assert "COVERING INDEX" in shown or "Index Only Scan" in shown, shown
