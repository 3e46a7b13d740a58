"""Search index: SQLite FTS5 table or PostgreSQL tsvector table, filled from existing content.

Revision ID: 7a1c2e5b9d40
Revises: 46f1d47d9398
Create Date: 2026-11-26 10:50:00
"""

from alembic import op

revision = "7a1c2e5b9d40"
down_revision = "46f1d47d9398"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE search_doc (rowid BIGINT PRIMARY KEY, tokens TSVECTOR NOT NULL, kind VARCHAR(10) NOT NULL,"
            " ref_id INTEGER NOT NULL, question_id INTEGER, department_id INTEGER NOT NULL,"
            " published_at TIMESTAMP NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL)"
        )
        op.execute("CREATE INDEX ix_search_doc_tokens ON search_doc USING GIN (tokens)")
        op.execute("CREATE INDEX ix_search_doc_department ON search_doc (department_id, published_at)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5(tokens, kind UNINDEXED, ref_id UNINDEXED,"
            " question_id UNINDEXED, department_id UNINDEXED, published_at UNINDEXED, title UNINDEXED,"
            " body UNINDEXED, tokenize='unicode61 remove_diacritics 0')"
        )
    # Existing content is indexed by `flask search-reindex`, which init-db runs after migrating.


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_doc")
    else:
        op.execute("DROP TABLE search_index")
