"""public posts' indexes in list order: (status, published_at, id) without hidden_at

PostgreSQL treats `hidden_at IS NULL` as a condition, not as an equality, so an index
(status, hidden_at, published_at, id) cannot give `ORDER BY published_at DESC, id DESC`: the home
page sorted every public post (a parallel seq scan, 1.5 s; page 500 3.1 s) and a department's hall
a bitmap of its posts (0.2 s). Without hidden_at in the middle, both databases walk the index
newest first and drop the rare hidden post as they go (1,000 of a million).

Revision ID: 5105191ed001
Revises: 0ff1ce13a001
Create Date: 2026-11-29 18:00:00

"""

from alembic import op


revision = "5105191ed001"
down_revision = "0ff1ce13a001"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_post_public", table_name="post")
    op.drop_index("ix_post_department_public", table_name="post")
    op.create_index("ix_post_public", "post", ["status", "published_at", "id"])
    op.create_index("ix_post_department_public", "post", ["department_id", "status", "published_at", "id"])


def downgrade():
    op.drop_index("ix_post_public", table_name="post")
    op.drop_index("ix_post_department_public", table_name="post")
    op.create_index("ix_post_public", "post", ["status", "hidden_at", "published_at", "id"])
    op.create_index("ix_post_department_public", "post", ["department_id", "status", "hidden_at", "published_at", "id"])
