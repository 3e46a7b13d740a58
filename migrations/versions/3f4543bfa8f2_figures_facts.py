"""Figures facts: every deadline a department had on a question, and working hours to the first reply;
filled for existing questions by replaying their event history.

Revision ID: 3f4543bfa8f2
Revises: 7a1c2e5b9d40
Create Date: 2026-11-26 10:59:17
"""

from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "3f4543bfa8f2"
down_revision = "7a1c2e5b9d40"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "question_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Enum("accept", "reply", name="deadlinestep", native_enum=False, length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("met_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"], name=op.f("fk_question_deadline_department_id_department")),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"], name=op.f("fk_question_deadline_question_id_question")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_deadline")),
    )
    with op.batch_alter_table("question_deadline", schema=None) as batch_op:
        batch_op.create_index("ix_question_deadline_department", ["department_id", "step"], unique=False)
        batch_op.create_index(batch_op.f("ix_question_deadline_question_id"), ["question_id"], unique=False)

    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_reply_working_hours", sa.Float(), nullable=True))
        batch_op.create_index("ix_question_created", ["created_at", "department_id"], unique=False)

    backfill(op.get_bind(), *_terms())


def downgrade():
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_index("ix_question_created")
        batch_op.drop_column("first_reply_working_hours")

    with op.batch_alter_table("question_deadline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_deadline_question_id"))
        batch_op.drop_index("ix_question_deadline_department")

    op.drop_table("question_deadline")


# ---------------------------------------------------------------- the backfill
# A replay of xtq.domain.questions' deadline rules over the event history, written against plain
# rows so that later model changes cannot change what this migration does. Only the working-day
# arithmetic (xtq.domain.deadlines, pure functions) is borrowed from the application.

_meta = sa.MetaData()
_question = sa.Table("question", _meta, sa.Column("id", sa.Integer), sa.Column("department_id", sa.Integer),
                     sa.Column("created_at", sa.DateTime), sa.Column("first_reply_working_hours", sa.Float))
_event = sa.Table("question_event", _meta, sa.Column("id", sa.Integer), sa.Column("question_id", sa.Integer),
                  sa.Column("kind", sa.String), sa.Column("created_at", sa.DateTime),
                  sa.Column("to_department_id", sa.Integer), sa.Column("rating", sa.String))
_deadline = sa.Table("question_deadline", _meta, sa.Column("question_id", sa.Integer),
                     sa.Column("department_id", sa.Integer), sa.Column("step", sa.String),
                     sa.Column("started_at", sa.DateTime), sa.Column("due_at", sa.DateTime),
                     sa.Column("met_at", sa.DateTime), sa.Column("ended_at", sa.DateTime))


def _terms():
    """The deployment's calendar and step lengths, as the running application would use them."""
    from flask import current_app

    from xtq.domain.deadlines import WorkCalendar

    config = current_app.config
    cal = WorkCalendar.from_file(Path(current_app.instance_path) / "holidays.json")
    return cal, int(config.get("ACCEPT_DAYS", 1)), int(config.get("REPLY_DAYS", 5))


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc)


def _naive(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc).replace(tzinfo=None)


def replay(department_id, created_at, events, cal, accept_days, reply_days):
    """The deadline rows and first-reply working hours that a question's events imply (aware times)."""
    from xtq.domain.deadlines import due_at, working_hours_between

    rows, open_row, hours = [], None, None
    dept, received = department_id, created_at

    def start(step, at, days):
        nonlocal open_row
        open_row = {"department_id": dept, "step": step, "started_at": at, "due_at": due_at(at, days, cal),
                    "met_at": None, "ended_at": None}
        rows.append(open_row)

    def end(at, met):
        nonlocal open_row
        if open_row is not None:
            open_row["ended_at"], open_row["met_at"] = at, at if met else None
        open_row = None

    for kind, at, to_department_id, rating in events:
        if kind == "asked":
            dept = to_department_id or dept
            start("accept", at, accept_days)
        elif kind == "accepted":
            end(at, True)
            start("reply", at, reply_days)
        elif kind == "declined":
            end(at, True)
        elif kind == "transferred":
            end(at, False)
            dept, received = to_department_id, at
            start("accept", at, accept_days)
        elif kind == "replied":
            end(at, True)
            if hours is None:
                hours = working_hours_between(received, at, cal)
        elif kind == "followup" or kind == "reopened":
            start("reply", at, reply_days)
        elif kind in ("rated", "closed"):
            end(at, False)
    return rows, hours


def backfill(bind, cal, accept_days, reply_days):
    """Fill question_deadline and first_reply_working_hours for every question from its events."""
    events = {}
    for qid, kind, at, to_dept, rating in bind.execute(
            sa.select(_event.c.question_id, _event.c.kind, _event.c.created_at, _event.c.to_department_id,
                      _event.c.rating).order_by(_event.c.question_id, _event.c.id)):
        events.setdefault(qid, []).append((kind, _aware(at), to_dept, rating))
    new_rows, hours = [], []
    for qid, dept, created in bind.execute(sa.select(_question.c.id, _question.c.department_id,
                                                     _question.c.created_at).order_by(_question.c.id)):
        rows, first_hours = replay(dept, _aware(created), events.get(qid, []), cal, accept_days, reply_days)
        new_rows += [{**r, "question_id": qid, **{k: _naive(r[k]) for k in ("started_at", "due_at", "met_at", "ended_at")}}
                     for r in rows]
        if first_hours is not None:
            hours.append({"qid": qid, "hours": first_hours})
    if new_rows:
        bind.execute(_deadline.insert(), new_rows)
    if hours:
        bind.execute(_question.update().where(_question.c.id == sa.bindparam("qid"))
                     .values(first_reply_working_hours=sa.bindparam("hours")), hours)
