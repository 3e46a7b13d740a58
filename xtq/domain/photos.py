"""Photos on questions, their events (follow-ups, progress, replies) and posts: up to MAX_PER_ITEM each.

Two steps, so that a refused photo leaves nothing behind: `prepare` checks and re-encodes every
upload (any refusal raises DomainError on the "photos" field before anything is written), and
`store` writes the files and rows once the text they belong to has been accepted.
Who may see a photo follows what it is attached to: a hidden question hides its photos, a hidden
event its own, an unpublished or hidden post its own; a hidden photo shows only to those who may
see hidden questions.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _

from xtq import media
from xtq.domain import questions
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.media.images import ImageRefused, Processed, process
from xtq.models import Photo, Post, PostStatus, Question, QuestionEvent, User

MAX_PER_ITEM = 4


def prepare(uploads: Iterable[bytes]) -> list[Processed]:
    """Every upload re-encoded, or DomainError (field "photos") naming the first refused one."""
    uploads = [data for data in uploads if data]
    if len(uploads) > MAX_PER_ITEM:
        raise DomainError(_("最多上传 %(n)s 张照片。", n=MAX_PER_ITEM), "photos")
    done = []
    for number, data in enumerate(uploads, start=1):
        try:
            done.append(process(data))
        except ImageRefused as e:
            raise DomainError(_("第 %(n)s 张照片：%(reason)s", n=number, reason=str(e)), "photos") from None
    return done


def store(
    prepared: list[Processed],
    uploader: User,
    *,
    now: datetime,
    question: Question | None = None,
    event: QuestionEvent | None = None,
    post: Post | None = None,
) -> list[Photo]:
    """Write prepared photos to the storage and attach them to one question, event or post."""
    assert [question, event, post].count(None) == 2, "a photo belongs to exactly one thing"
    made = []
    for item in prepared:
        name = secrets.token_hex(16)
        photo = Photo(
            key=f"{name}.jpg",
            thumb_key=f"{name}-thumb.jpg",
            width=item.width,
            height=item.height,
            size=len(item.full),
            uploader_id=uploader.id,
            created_at=now,
            question_id=question.id if question else None,
            event_id=event.id if event else None,
            post_id=post.id if post else None,
        )
        media.put(db.session, photo.key, item.full)
        media.put(db.session, photo.thumb_key, item.thumb)
        db.session.add(photo)
        made.append(photo)
    return made


def by_id(photo_id: int) -> Photo | None:
    return db.session.get(Photo, photo_id)


def of_question(question: Question) -> list[Photo]:
    return list(db.session.scalars(db.select(Photo).where(Photo.question_id == question.id).order_by(Photo.id)))


def public_of_questions(items: list[Question]) -> dict[int, list[Photo]]:
    """The unhidden photos of public questions, by question id, in one query (for feeds)."""
    found: dict[int, list[Photo]] = {}
    ids = [q.id for q in items if q.hidden_at is None]
    if ids:
        for photo in db.session.scalars(
            db.select(Photo).where(Photo.question_id.in_(ids), Photo.hidden_at.is_(None)).order_by(Photo.id)
        ):
            found.setdefault(photo.question_id, []).append(photo)
    return found


def of_events(question: Question) -> dict[int, list[Photo]]:
    """Photos of the question's events, by event id."""
    ids = [e.id for e in question.events]
    found: dict[int, list[Photo]] = {}
    if ids:
        for photo in db.session.scalars(db.select(Photo).where(Photo.event_id.in_(ids)).order_by(Photo.id)):
            found.setdefault(photo.event_id, []).append(photo)
    return found


def of_post(post: Post) -> list[Photo]:
    return list(db.session.scalars(db.select(Photo).where(Photo.post_id == post.id).order_by(Photo.id)))


def is_public(photo: Photo, now: datetime) -> bool:
    """Visible to anyone (so it may be cached by browsers and proxies)."""
    return may_see(photo, None, now)


def may_see(photo: Photo, viewer: User | None, now: datetime) -> bool:
    question = None
    if photo.question_id is not None:
        question = db.session.get(Question, photo.question_id)
    elif photo.event_id is not None:
        event = db.session.get(QuestionEvent, photo.event_id)
        held = event is not None and (event.hidden_at is not None or event.review_state is not None)
        if event is None or (held and not questions.may_see_hidden(event.question, viewer)):
            return False
        question = event.question
    if question is not None:
        if photo.hidden_at is not None:
            return questions.may_see_hidden(question, viewer)
        # hidden, withdrawn, held for review or private: as far as the question's own text goes
        return questions.shows_text(question, viewer)
    post = db.session.get(Post, photo.post_id) if photo.post_id is not None else None
    if post is None:
        return False
    public = (
        post.status == PostStatus.PUBLISHED
        and post.published_at is not None
        and post.published_at <= now
        and post.hidden_at is None
        and photo.hidden_at is None
    )
    return public or bool(
        viewer
        and getattr(viewer, "is_authenticated", False)
        and (viewer.is_admin or viewer.department_id == post.department_id)
    )
