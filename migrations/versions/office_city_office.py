"""the coordinating office: staff sessions that can be revoked, department hours

Revision ID: 0ff1ce13a001
Revises: e5f1a9c04b21
Create Date: 2026-11-29 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0ff1ce13a001'
down_revision = 'e5f1a9c04b21'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD/DROP COLUMN (SQLite 3.35+ has both): a batch copy of `user` or `department` would
    # have to drop a table that every question and post refers to.
    op.add_column('user', sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
    op.add_column('department', sa.Column('hours', sa.String(length=100), server_default='', nullable=False))


def downgrade():
    op.execute('ALTER TABLE department DROP COLUMN hours')
    op.execute('ALTER TABLE "user" DROP COLUMN session_epoch')
