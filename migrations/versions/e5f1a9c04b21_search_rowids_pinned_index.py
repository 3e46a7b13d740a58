"""search rowids by kind; an index for pinned posts

Each kind of search document now owns a range of rowids (rowid = 2**40 × kind + id, was
id × 4 + kind + 1), so that a search can take the newest matches of each kind straight from the
index. The rows are re-keyed in place (through a range no key uses, as keys must stay unique); at
a city's scale (1.7 million documents) this took 21 minutes here on a loaded machine, about what
`flask search-reindex` takes.
Pinned posts get a small partial index: a department's hall read them through all its posts.

Revision ID: e5f1a9c04b21
Revises: 63b4a372e065
Create Date: 2026-11-26 13:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e5f1a9c04b21'
down_revision = '63b4a372e065'
branch_labels = None
depends_on = None

SPAN = 2**40
PARKED = 2**50  # above every old and new rowid


def _table() -> str:
    return "search_doc" if op.get_bind().dialect.name == "postgresql" else "search_index"


def _rekey(new_rowid: str) -> None:
    """Move every rowid to `new_rowid`, an expression of `old` (the current rowid)."""
    table = _table()
    op.execute(f"UPDATE {table} SET rowid = rowid + {PARKED}")
    op.execute(f"UPDATE {table} SET rowid = {new_rowid.replace('old', f'(rowid - {PARKED})')}")
    if table == "search_index":  # FTS5: merge the pieces the updates left (a city's searches 190 ms → 2 ms)
        op.execute("INSERT INTO search_index(search_index) VALUES('optimize')")


def upgrade():
    _rekey(f"((old - 1) % 4) * {SPAN} + (old - 1) / 4")
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index('ix_post_pinned', ['department_id', 'pinned_at'], unique=False,
                              sqlite_where=sa.text('pinned_at IS NOT NULL'),
                              postgresql_where=sa.text('pinned_at IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_pinned')
    _rekey(f"(old % {SPAN}) * 4 + old / {SPAN} + 1")
