"""Launch ceremony: a ceremony and its seats with single-use start codes.

Revision ID: c3e8a4f1b2d7
Revises: 2d431ffeb921
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3e8a4f1b2d7"
down_revision = "2d431ffeb921"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ceremony",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rehearsal", sa.Boolean(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("touched_at", sa.DateTime(), nullable=False),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["opened_by_id"], ["user.id"], name=op.f("fk_ceremony_opened_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ceremony")),
    )
    op.create_table(
        "ceremony_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ceremony_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("pressed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["ceremony_id"], ["ceremony.id"], name=op.f("fk_ceremony_seat_ceremony_id_ceremony")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ceremony_seat")),
        sa.UniqueConstraint("ceremony_id", "position", name=op.f("uq_ceremony_seat_position")),
        sa.UniqueConstraint("code", name=op.f("uq_ceremony_seat_code")),
    )


def downgrade():
    op.drop_table("ceremony_seat")
    op.drop_table("ceremony")
