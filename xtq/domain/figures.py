"""Figures shown on the hall: headline numbers and per-department counts, by SQL aggregation."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func

from xtq.domain.posts import public_posts
from xtq.extensions import db
from xtq.models import Department, Post, Question, QuestionStatus

ANSWERED = (QuestionStatus.REPLIED, QuestionStatus.CLOSED)


@dataclass(frozen=True)
class Counts:
    posts: int = 0
    questions: int = 0
    replied: int = 0

    @property
    def reply_rate(self) -> int | None:
        """Percent of questions replied, or None with no questions."""
        return round(100 * self.replied / self.questions) if self.questions else None


EMPTY_COUNTS = Counts()


def department_counts(now: datetime) -> dict[int, Counts]:
    """Public posts, public questions and replied questions per department id."""
    post_rows = db.session.execute(
        public_posts(now).with_only_columns(Post.department_id, func.count()).group_by(Post.department_id)
    ).all()
    question_rows = db.session.execute(
        db.select(
            Question.department_id,
            func.count(),
            func.sum(case((Question.status.in_(ANSWERED), 1), else_=0)),
        )
        .where(Question.hidden_at.is_(None))
        .group_by(Question.department_id)
    ).all()
    posts = dict(post_rows)
    questions = {dept_id: (n, replied or 0) for dept_id, n, replied in question_rows}
    return {
        dept_id: Counts(posts.get(dept_id, 0), *questions.get(dept_id, (0, 0)))
        for dept_id in set(posts) | set(questions)
    }


def headline(now: datetime) -> dict[str, int | None]:
    """The city's headline figures for the hall home."""
    totals = department_counts(now).values()
    city = Counts(
        posts=sum(c.posts for c in totals),
        questions=sum(c.questions for c in totals),
        replied=sum(c.replied for c in totals),
    )
    return {
        "departments": db.session.scalar(db.select(func.count()).select_from(Department)),
        "posts": city.posts,
        "questions": city.questions,
        "reply_rate": city.reply_rate,
    }
