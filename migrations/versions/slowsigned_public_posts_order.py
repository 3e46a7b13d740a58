"""public posts' indexes in list order; questions by channel from an index

PostgreSQL treats `hidden_at IS NULL` as a condition, not as an equality, so an index
(status, hidden_at, published_at, id) cannot give `ORDER BY published_at DESC, id DESC`: the home
page sorted every public post (a parallel seq scan, 1.6 s, page 500 as long) and a department's
hall a bitmap of its posts (0.2 s). As (status, published_at, id), both databases walk the index
newest first and drop the rare hidden post as they go (1,000 of a million).
ix_question_created also covers /stats' questions by channel over a year (a seq scan on PostgreSQL,
0.15-0.3 s; 0.1 s on SQLite, which read each question's row): an index-only scan, ~40 ms on both.

Revision ID: 5105191ed001
Revises: 5e0ff1ce0a12
Create Date: 2026-11-29 18:00:00

"""

from alembic import op


revision = "5105191ed001"
down_revision = "5e0ff1ce0a12"
branch_labels = None
depends_on = None

POST_INDEXES = {"ix_post_public": ["status"], "ix_post_department_public": ["department_id", "status"]}


def _indexes(post_middle: list[str], question_created: list[str]) -> None:
    for name, head in POST_INDEXES.items():
        op.drop_index(name, table_name="post")
        op.create_index(name, "post", [*head, *post_middle, "published_at", "id"])
    op.drop_index("ix_question_created", table_name="question")
    op.create_index("ix_question_created", "question", question_created)


def upgrade():
    _indexes([], ["created_at", "department_id", "hidden_at", "channel"])


def downgrade():
    _indexes(["hidden_at"], ["created_at", "department_id"])
