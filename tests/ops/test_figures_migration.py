"""The figures migration fills deadlines and reply hours from history exactly as the live rules record them."""

import importlib.util
from pathlib import Path

import sqlalchemy as sa

from tests.helpers import sh
from tests.ops.test_migrations import first_schema_app  # noqa: F401  (fixture)
from xtq.domain import questions
from xtq.extensions import db
from xtq.models import Question, QuestionDeadline, Rating

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "3f4543bfa8f2_figures_facts.py"


def _migration():
    spec = importlib.util.spec_from_file_location("figures_facts", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _facts():
    rows = db.session.execute(
        sa.select(
            QuestionDeadline.question_id,
            QuestionDeadline.department_id,
            QuestionDeadline.step,
            QuestionDeadline.started_at,
            QuestionDeadline.due_at,
            QuestionDeadline.met_at,
            QuestionDeadline.ended_at,
        ).order_by(QuestionDeadline.id)
    ).all()
    hours = db.session.execute(sa.select(Question.id, Question.first_reply_working_hours).order_by(Question.id)).all()
    return [tuple(r) for r in rows], [(i, None if h is None else round(h, 6)) for i, h in hours]


def test_the_backfill_replays_history_into_the_same_facts_as_the_live_rules(steps, cal):
    q = steps.ask("gongan", sh(day=16, hour=10))
    steps.transfer(q, "jiaoyu", sh(day=19, hour=10))
    steps.accept(q, sh(day=20, hour=10))
    steps.reply(q, sh(day=23, hour=10))
    steps.rate(q, Rating.UNSATISFIED, sh(day=23, hour=12))
    steps.reply(q, sh(day=24, hour=10))
    follow = steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=17, hour=10))
    questions.followup(follow, follow.asker, "还有问题", now=sh(day=17, hour=12), cal=cal)
    db.session.commit()
    steps.rate(follow, Rating.SATISFIED, sh(day=18, hour=9))  # ends the follow-up's deadline unanswered
    declined = steps.ask("sifa", sh(day=16, hour=10))
    questions.decline(declined, steps.member("sifa"), "不属于本部门", now=sh(day=16, hour=15), cal=cal)
    steps.ask("zhongyuan", sh(day=20, hour=10))  # still waiting, overdue
    db.session.commit()
    live = _facts()
    assert len(live[0]) == 9

    db.session.execute(sa.delete(QuestionDeadline))
    db.session.execute(sa.update(Question).values(first_reply_working_hours=None))
    _migration().backfill(db.session.connection(), cal, 1, 5)
    db.session.commit()
    db.session.expire_all()
    assert _facts() == live


def test_the_first_schema_hall_gets_its_deadlines_and_reply_hours(first_schema_app):
    assert first_schema_app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    open_questions = db.session.scalars(db.select(Question).where(Question.due_at.is_not(None))).all()
    assert open_questions
    for q in open_questions:  # the deadline running now is the replayed open one, at the same department
        running = [(d.department_id, d.due_at) for d in q.deadlines if d.ended_at is None]
        assert running == [(q.department_id, q.due_at)], q.id
    replied = db.session.scalars(db.select(Question).where(Question.first_replied_at.is_not(None))).all()
    assert replied and all(q.first_reply_working_hours is not None for q in replied)
    assert (
        db.session.scalar(
            db.select(sa.func.count())
            .select_from(Question)
            .where(Question.first_replied_at.is_(None), Question.first_reply_working_hours.is_not(None))
        )
        == 0
    )
