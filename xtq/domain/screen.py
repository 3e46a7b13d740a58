"""What the big screen shows: the newest posts and the newest question-and-reply pairs.

Each list is one small query of plain columns (no ORM objects, no lazy loads): the projector
asks every few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xtq.domain.posts import public_posts
from xtq.extensions import db
from xtq.models import Department, EventKind, Photo, Post, PostKind, Question, QuestionEvent, QuestionStatus

TEXT_CHARS = 120


@dataclass(frozen=True)
class PostItem:
    id: int
    department: str
    kind: str
    text: str
    at: datetime


@dataclass(frozen=True)
class ReplyItem:
    id: int  # the reply event's id
    question_id: int
    department: str
    title: str
    reply: str
    at: datetime
    metoo: int  # 同问
    photo_id: int | None = None  # the question's first public photo


def newest_posts(now: datetime, limit: int = 8) -> list[PostItem]:
    rows = db.session.execute(
        public_posts(now)
        .with_only_columns(Post.id, Department.short_name, Post.kind, Post.body, Post.published_at)
        .join(Department, Department.id == Post.department_id)
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(limit)
    ).all()
    return [PostItem(id, dept, PostKind(kind).label, _short(body), at) for id, dept, kind, body, at in rows]


def newest_replies(now: datetime, limit: int = 8) -> list[ReplyItem]:
    """The latest public replies with the question each answers, newest first."""
    rows = db.session.execute(
        db.select(
            QuestionEvent.id,
            Question.id,
            Department.short_name,
            Question.title,
            QuestionEvent.text,
            QuestionEvent.created_at,
            Question.metoo_count,
        )
        .join(Question, Question.id == QuestionEvent.question_id)
        .join(Department, Department.id == QuestionEvent.from_department_id)
        .where(
            QuestionEvent.kind == EventKind.REPLIED,
            QuestionEvent.hidden_at.is_(None),
            Question.hidden_at.is_(None),
            QuestionEvent.created_at <= now,
            # a private, withdrawn or held question stays off the wall (see questions.public_texts)
            Question.private.is_(False),
            Question.status != QuestionStatus.WITHDRAWN,
            Question.review_state.is_(None),
        )
        .order_by(QuestionEvent.id.desc())
        .limit(limit)
    ).all()
    first_photos = (
        dict(
            db.session.execute(
                db.select(Photo.question_id, db.func.min(Photo.id))
                .where(Photo.question_id.in_([r[1] for r in rows]), Photo.hidden_at.is_(None))
                .group_by(Photo.question_id)
            ).all()
        )
        if rows
        else {}
    )
    return [
        ReplyItem(id, qid, dept, title, _short(text), at, metoo, first_photos.get(qid))
        for id, qid, dept, title, text, at, metoo in rows
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[: TEXT_CHARS - 1] + "…"
