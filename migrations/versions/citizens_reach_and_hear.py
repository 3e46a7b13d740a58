"""citizens are reached and heard: 同问, e-mail verification and preferences, district alerts, photos

- `me_too` rows and `question.metoo_count` (kept in step by xtq.domain.metoo);
- `user.email_pending` (an address waiting for its link), what a citizen wants by e-mail
  (`notify_*`) and the districts/streets whose service notices they want; `post.notice_alerted_at`
  (when a notice's subscribers were told);
- `photo`: re-encoded images on questions, their events and posts (files live in xtq.media's storage).

Revision ID: c1t12e45a001
Revises: 9c7d2b4e1f60
Create Date: 2026-11-29 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c1t12e45a001'
down_revision = '9c7d2b4e1f60'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (SQLite supports it): a batch copy of user or question would trip their foreign keys.
    op.add_column('user', sa.Column('email_pending', sa.String(length=200), nullable=True))
    for name in ('notify_reply', 'notify_followup', 'notify_overdue', 'notify_progress', 'notify_outage'):
        op.add_column('user', sa.Column(name, sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('user', sa.Column('notice_districts', sa.String(length=400), nullable=True))
    op.add_column('user', sa.Column('notice_streets', sa.String(length=400), nullable=True))
    op.add_column('question', sa.Column('metoo_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('post', sa.Column('notice_alerted_at', sa.DateTime(), nullable=True))

    op.create_table(
        'me_too',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_me_too_question_id_question')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_me_too_user_id_user')),
        sa.PrimaryKeyConstraint('question_id', 'user_id', name=op.f('pk_me_too')),
    )
    with op.batch_alter_table('me_too', schema=None) as batch_op:
        batch_op.create_index('ix_me_too_created', ['created_at', 'question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_me_too_user_id'), ['user_id'], unique=False)

    op.create_table(
        'photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('thumb_key', sa.String(length=80), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploader_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('post_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('hidden_at', sa.DateTime(), nullable=True),
        sa.Column('hidden_reason', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(['uploader_id'], ['user.id'], name=op.f('fk_photo_uploader_id_user')),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_photo_question_id_question')),
        sa.ForeignKeyConstraint(['event_id'], ['question_event.id'], name=op.f('fk_photo_event_id_question_event')),
        sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_photo_post_id_post')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_photo')),
        sa.UniqueConstraint('key', name=op.f('uq_photo_key')),
        sa.UniqueConstraint('thumb_key', name=op.f('uq_photo_thumb_key')),
    )
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.create_index('ix_photo_question', ['question_id', 'id'], unique=False)
        batch_op.create_index('ix_photo_event', ['event_id', 'id'], unique=False)
        batch_op.create_index('ix_photo_post', ['post_id', 'id'], unique=False)


def downgrade():
    op.drop_table('photo')
    op.drop_table('me_too')
    # Plain DROP COLUMN (SQLite 3.35+), for the same reason as in upgrade().
    op.drop_column('question', 'metoo_count')
    op.drop_column('post', 'notice_alerted_at')
    for name in ('notice_streets', 'notice_districts', 'notify_outage', 'notify_progress', 'notify_overdue',
                 'notify_followup', 'notify_reply', 'email_pending'):
        op.drop_column('user', name)
