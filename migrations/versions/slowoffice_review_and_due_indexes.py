"""partial indexes for the office's pages: the review queue, the review figures, the escalation list

/admin/review counted and listed held rows by scanning question (300 k rows) and question_event
(1.5 M) for review_state = 'pending'; the escalation list sorted every open question by due_at.
Held rows, reviewed questions and questions with a deadline are few, so each index is partial:
review_state = ?, reviewed_at >= ? and due_at <= ? each imply the index's IS NOT NULL, on SQLite
and PostgreSQL alike.

Revision ID: 5e0ff1ce0a12
Revises: 0ff1ce13a001
Create Date: 2026-11-29 18:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5e0ff1ce0a12'
down_revision = '0ff1ce13a001'
branch_labels = None
depends_on = None

INDEXES = [
    ('ix_question_review', 'question', ['review_state', 'created_at', 'id'], 'review_state IS NOT NULL'),
    ('ix_question_event_review', 'question_event', ['review_state', 'created_at', 'id'], 'review_state IS NOT NULL'),
    ('ix_comment_review', 'comment', ['review_state', 'created_at', 'id'], 'review_state IS NOT NULL'),
    ('ix_question_reviewed', 'question', ['reviewed_at'], 'reviewed_at IS NOT NULL'),
    ('ix_question_due', 'question', ['due_at', 'id'], 'due_at IS NOT NULL'),
]


def upgrade():
    # CREATE INDEX needs no batch copy on SQLite.
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, unique=False,
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade():
    for name, table, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
