"""Cron commands of the loop: `flask close-stale` and `flask remind`."""

from datetime import timedelta

from xtq import clock
from xtq.models import EventKind


def test_close_stale_closes_old_unrated_replies_only(runner, make_question):
    old = make_question("replied", at=clock.now() - timedelta(days=9))
    recent = make_question("replied", at=clock.now() - timedelta(days=2))
    result = runner.invoke(args=["close-stale", "--no-remind"])
    assert result.exit_code == 0, result.output
    assert "自动办结 1 个问题" in result.output
    assert old.status.value == "closed" and recent.status.value == "replied"
    assert "自动办结 0 个问题" in runner.invoke(args=["close-stale", "--no-remind"]).output


def test_remind_sends_each_reminder_once(runner, make_question):
    q = make_question("asked", at=clock.now() - timedelta(days=10))
    first = runner.invoke(args=["remind"])
    assert first.exit_code == 0 and "发出催办 1 条" in first.output
    assert "发出催办 0 条" in runner.invoke(args=["close-stale"]).output
    assert [e.kind for e in q.events].count(EventKind.REMINDED) == 1


def test_demo_questions_go_through_the_rules(runner):
    from xtq.extensions import db
    from xtq.models import Question, QuestionStatus

    result = runner.invoke(args=["demo", "--reset"])
    assert result.exit_code == 0, result.output
    statuses = {q.status for q in db.session.scalars(db.select(Question))}
    assert statuses == set(QuestionStatus)
    for q in db.session.scalars(db.select(Question)):
        kinds = [e.kind for e in q.events]
        assert kinds[0] == EventKind.ASKED
        assert [e.created_at for e in q.events] == sorted(e.created_at for e in q.events)
