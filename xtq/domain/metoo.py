"""同问 (me too) and hot questions.

A citizen other than the asker adds their weight to an open question, once, and may take it
back; `Question.metoo_count` is kept in step so that lists show it without counting. Hot
questions are those with the most 同问 and follow-ups in the last days (HOT_DAYS).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from xtq.domain.questions import Action, _check, public_texts
from xtq.extensions import db
from xtq.models import EventKind, MeToo, Question, QuestionEvent, User

HOT_DAYS = 7
HOT_SIZE = 20


def me_too(question: Question, actor: User | None, *, now: datetime) -> MeToo:
    """Add the citizen's 同问 to the question."""
    user = _check(question, actor, Action.METOO)
    row = MeToo(question_id=question.id, user_id=user.id, created_at=now)
    db.session.add(row)
    question.metoo_count = Question.metoo_count + 1  # in SQL: two citizens at once both count
    return row


def undo(question: Question, actor: User | None) -> None:
    """Take the citizen's 同问 back."""
    user = _check(question, actor, Action.UNMETOO)
    db.session.execute(sa.delete(MeToo).where(MeToo.question_id == question.id, MeToo.user_id == user.id))
    question.metoo_count = Question.metoo_count - 1


def hot(now: datetime, limit: int = HOT_SIZE, questions: sa.Select | None = None) -> list[Question]:
    """Questions whose text is public (or those of `questions`, a filtered select) with the most 同问 and
    follow-ups since HOT_DAYS ago, hottest first."""
    since = now - timedelta(days=HOT_DAYS)
    activity = sa.union_all(
        sa.select(MeToo.question_id.label("question_id")).where(MeToo.created_at >= since),
        sa.select(QuestionEvent.question_id).where(
            QuestionEvent.kind == EventKind.FOLLOWUP,
            QuestionEvent.created_at >= since,
            QuestionEvent.hidden_at.is_(None),
        ),
    ).subquery()
    score = sa.func.count().label("score")
    scores = sa.select(activity.c.question_id, score).group_by(activity.c.question_id).subquery()
    select = (
        (public_texts() if questions is None else questions)
        .join(scores, scores.c.question_id == Question.id)
        .order_by(scores.c.score.desc(), Question.metoo_count.desc(), Question.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(select))


def hot_titles(now: datetime, limit: int = 5) -> list[tuple[int, str, int]]:
    """(id, title, 同问 count) of the hottest questions: plain values, safe to cache between requests."""
    return [(q.id, q.title, q.metoo_count) for q in hot(now, limit)]
