"""safe to publish: masked personal data kept apart, private questions, review before publishing

The public columns of questions, events and comments hold the text with personal data masked;
what was typed is kept in unmasked_* (only where something was masked) for the department and
the office. Questions, their events and comments may wait for review (review_state,
review_reasons). Questions may be private (仅部门可见), be corrected by the asker (edited_at), and
record when review decided (reviewed_at). Withdrawal and appeal are new values of
question.status and need no change here (enums are stored as plain strings).

Revision ID: 9c7d2b4e1f60
Revises: a7d3e9f2c611
Create Date: 2026-11-29 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9c7d2b4e1f60'
down_revision = 'a7d3e9f2c611'
branch_labels = None
depends_on = None


def _review_state():
    return sa.Enum('pending', 'rejected', name='reviewstate', native_enum=False, length=20)


def upgrade():
    with op.batch_alter_table('question') as batch_op:
        batch_op.add_column(sa.Column('unmasked_title', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('unmasked_body', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('unmasked_body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('private', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('review_state', _review_state(), nullable=True))
        batch_op.add_column(sa.Column('review_reasons', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
    for table, text in (('question_event', 'unmasked_text'), ('comment', 'unmasked_body')):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(text, sa.Text(), nullable=True))
            batch_op.add_column(sa.Column(f'{text}_html', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column('review_state', _review_state(), nullable=True))
            batch_op.add_column(sa.Column('review_reasons', sa.Text(), server_default='', nullable=False))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35+): a batch would copy the tables, which other tables reference.
    for table, columns in (
        ('comment', ('review_reasons', 'review_state', 'unmasked_body_html', 'unmasked_body')),
        ('question_event', ('review_reasons', 'review_state', 'unmasked_text_html', 'unmasked_text')),
        ('question', ('reviewed_at', 'review_reasons', 'review_state', 'edited_at', 'private',
                      'unmasked_body_html', 'unmasked_body', 'unmasked_title')),
    ):
        for column in columns:
            op.drop_column(table, column)
