"""What the fediverse sends the hall, applied by the worker once each activity has been verified
and stored (xtq/views/federation.py does that part, in the request). Applying an activity twice
changes nothing the second time, so the sweep may hand one to the queue again.

Follow is accepted at once and Undo honoured; Like and Announce count on the post; a reply to a
post becomes a comment under it (the same rules and moderation as a local comment); a Note that
mentions a department and replies to nothing becomes a question to it, which then runs the whole
loop; a reply in a remote question's thread is the asker's follow-up. The author's Update and
Delete reach what their Notes became. Remote HTML is made plain text by xtq.text like any text."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from xtq import clock, jobs
from xtq.domain import comments, departments, privacy, questions
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.federation import actors, documents, fetch, urls
from xtq.federation.delivery import send
from xtq.federation.models import (
    ReactionKind,
    ReceivedActivity,
    RemoteActor,
    RemoteFollower,
    RemoteObject,
    RemoteReaction,
)
from xtq.federation.outbox import enabled
from xtq.models import Comment, Post, Question, QuestionStatus
from xtq.text import from_html

log = logging.getLogger(__name__)
REMOTE_CATEGORY = "其他"


def store(activity: dict, actor: RemoteActor, now: datetime) -> ReceivedActivity | None:
    """Keep a verified activity once; None if its id was seen before (then nothing happens again)."""
    if db.session.scalar(db.select(ReceivedActivity.id).where(ReceivedActivity.activity_id == activity["id"])):
        return None
    received = ReceivedActivity(
        activity_id=activity["id"][:500],
        actor_uri=actor.uri,
        type=str(activity["type"])[:30],
        payload=json.dumps(activity, ensure_ascii=False),
        received_at=now,
    )
    db.session.add(received)
    try:
        db.session.flush()
    except IntegrityError:  # the same id, at the same moment, from another request
        db.session.rollback()
        return None
    jobs.after_commit(db.session, process_job, received.id)
    return received


@jobs.task()
def process_job(received_id: int) -> None:
    process(received_id, clock.now())


@jobs.periodic(jobs.crontab())
def apply_left_over() -> None:
    """Activities whose prompt was lost (a worker killed, a queue flushed) are applied after a minute."""
    now = clock.now()
    left = db.session.scalars(
        db.select(ReceivedActivity.id)
        .where(ReceivedActivity.processed_at.is_(None), ReceivedActivity.received_at < now - timedelta(minutes=1))
        .order_by(ReceivedActivity.id)
        .limit(500)
    ).all()
    for received_id in left:
        process_job(received_id)


def process(received_id: int, now: datetime) -> str:
    received = db.session.get(ReceivedActivity, received_id)
    if received is None or received.processed_at is not None:
        return "done before"
    activity = json.loads(received.payload)
    actor = db.session.scalar(db.select(RemoteActor).where(RemoteActor.uri == received.actor_uri))
    handler = HANDLERS.get(received.type)
    try:
        outcome = handler(activity, actor, now) if handler and actor else "ignored"
    except (DomainError, fetch.Refused) as error:
        db.session.rollback()
        outcome = f"refused: {error}"
    except Exception as error:  # noqa: BLE001  (a malformed activity must not come back every minute)
        db.session.rollback()
        log.exception("could not apply activity %s", received_id)
        outcome = f"failed: {type(error).__name__}"
    received = db.session.get(ReceivedActivity, received_id)
    received.processed_at, received.outcome = now, outcome[:300]
    db.session.commit()
    return outcome


def _id(value) -> str:
    """An object's id, whether the object is embedded or referenced."""
    return value.get("id", "") if isinstance(value, dict) else str(value or "")


def _department_of(uri: str):
    slug = urls.slug_of_actor(uri)
    department = departments.by_slug(slug) if slug else None
    return department if department is not None and enabled(department) else None


def follow(activity: dict, actor: RemoteActor, now: datetime) -> str:
    department = _department_of(_id(activity.get("object")))
    if department is None:
        return "not one of our accounts"
    if db.session.get(RemoteFollower, (department.id, actor.id)) is None:
        db.session.add(
            RemoteFollower(
                department_id=department.id,
                remote_actor_id=actor.id,
                follow_activity_id=activity["id"][:500],
                created_at=now,
            )
        )
    me = urls.actor(department.slug)
    accept_id = f"{me}#accepts/{hashlib.sha256(activity['id'].encode()).hexdigest()[:16]}"
    accept = documents.activity(
        "Accept",
        me,
        {k: activity.get(k) for k in ("id", "type", "actor", "object")},
        id=accept_id,
        to=[actor.uri],
        cc=[],
    )
    send(department, accept, [actor.inbox])
    return "followed"


def undo(activity: dict, actor: RemoteActor, now: datetime) -> str:
    inner = activity.get("object")
    inner_id = _id(inner)
    inner_type = inner.get("type") if isinstance(inner, dict) else None
    if inner_type in (None, "Follow"):
        followers = db.session.scalars(
            db.select(RemoteFollower).where(
                RemoteFollower.remote_actor_id == actor.id, RemoteFollower.follow_activity_id == inner_id
            )
        ).all()
        if not followers and isinstance(inner, dict):
            department = _department_of(_id(inner.get("object")))
            follower = department and db.session.get(RemoteFollower, (department.id, actor.id))
            followers = [follower] if follower else []
        for follower in followers:
            db.session.delete(follower)
        if followers:
            return "unfollowed"
    deleted = db.session.execute(
        db.delete(RemoteReaction).where(
            RemoteReaction.activity_id == inner_id, RemoteReaction.remote_actor_id == actor.id
        )
    ).rowcount
    return "reaction undone" if deleted else "nothing to undo"


def _react(kind: ReactionKind):
    def handle(activity: dict, actor: RemoteActor, now: datetime) -> str:
        post_id = urls.post_id_of(_id(activity.get("object")))
        post = db.session.get(Post, post_id) if post_id else None
        if post is None:
            return "not one of our posts"
        exists = db.session.scalar(
            db.select(RemoteReaction.id).where(
                RemoteReaction.post_id == post.id,
                RemoteReaction.remote_actor_id == actor.id,
                RemoteReaction.kind == kind,
            )
        )
        if exists is None:
            db.session.add(
                RemoteReaction(
                    post_id=post.id,
                    remote_actor_id=actor.id,
                    kind=kind,
                    activity_id=activity["id"][:500],
                    created_at=now,
                )
            )
        return kind.value

    return handle


def _note(activity: dict, actor: RemoteActor) -> dict | None:
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note" or not isinstance(note.get("id"), str):
        return None
    if _id(note.get("attributedTo")) != actor.uri:
        return None  # someone else's words: not this actor's to post
    return note


def _mentioned_departments(note: dict) -> list:
    tags = note.get("tag") if isinstance(note.get("tag"), list) else []
    hrefs = [t.get("href", "") for t in tags if isinstance(t, dict) and t.get("type") == "Mention"]
    return [d for d in (_department_of(h) for h in hrefs) if d is not None]


def _plain(note: dict) -> str:
    return from_html(str(note.get("content") or ""))


def create(activity: dict, actor: RemoteActor, now: datetime) -> str:
    note = _note(activity, actor)
    if note is None:
        return "not a Note by its actor"
    if db.session.scalar(db.select(RemoteObject.id).where(RemoteObject.uri == note["id"])):
        return "known already"
    text = _plain(note)
    reply_to = _id(note.get("inReplyTo"))
    if reply_to:
        return _reply(note, reply_to, text, actor, now)
    mentioned = _mentioned_departments(note)
    if not mentioned:
        return "mentions none of our accounts"
    question = _ask(mentioned[0], note, text, actor, now)
    return f"question {question.id}"


def _reply(note: dict, reply_to: str, text: str, actor: RemoteActor, now: datetime) -> str:
    post_id = urls.post_id_of(reply_to)
    if post_id is not None:
        post = db.session.get(Post, post_id)
        if post is None:
            return "reply to an unknown post"
        comment = comments.add(actor.user, post, text[: comments.MAX_COMMENT], now=now)
        db.session.flush()
        db.session.add(
            RemoteObject(uri=note["id"][:500], remote_actor_id=actor.id, comment_id=comment.id, created_at=now)
        )
        return f"comment {comment.id}"
    question = _thread_question(reply_to)
    if question is not None and question.asker_id == actor.user_id:
        questions.followup(question, actor.user, text, now=now, cal=clock.work_calendar())
        db.session.add(
            RemoteObject(uri=note["id"][:500], remote_actor_id=actor.id, question_id=question.id, created_at=now)
        )
        return f"follow-up on question {question.id}"
    return "reply to something else"


def _thread_question(uri: str) -> Question | None:
    """The question a Note in our thread belongs to: our question or step notes, or the asker's own note."""
    question_id = urls.question_id_of(uri)
    if question_id is None:
        question_id = db.session.scalar(db.select(RemoteObject.question_id).where(RemoteObject.uri == uri))
    return db.session.get(Question, question_id) if question_id else None


def _strip_mentions(text: str, department) -> str:
    for handle in (f"@{department.slug}@{urls.host()}", f"@{department.slug}"):
        text = text.replace(handle, "")
    return text.strip()


def _ask(department, note: dict, text: str, actor: RemoteActor, now: datetime) -> Question:
    body = _strip_mentions(text, department) or text
    title = (note.get("summary") and from_html(str(note["summary"]))) or body.split("\n", 1)[0]
    question = questions.ask(
        actor.user,
        department,
        title=title[: questions.TITLE_MAX],
        body=body[: questions.BODY_MAX],
        category=REMOTE_CATEGORY,
        now=now,
        cal=clock.work_calendar(),
    )
    db.session.add(
        RemoteObject(uri=note["id"][:500], remote_actor_id=actor.id, question_id=question.id, created_at=now)
    )
    return question


def update(activity: dict, actor: RemoteActor, now: datetime) -> str:
    obj = activity.get("object")
    if isinstance(obj, dict) and obj.get("type") in ("Person", "Service", "Organization", "Application", "Group"):
        actors.refresh(actor.uri, now)
        return "actor refreshed"
    note = _note(activity, actor)
    known = note and db.session.scalar(
        db.select(RemoteObject).where(RemoteObject.uri == note["id"], RemoteObject.remote_actor_id == actor.id)
    )
    if not known:
        return "unknown object"
    text = _plain(note)
    if known.comment_id:
        comment = db.session.get(Comment, known.comment_id)
        privacy.write_comment(comment, text[: comments.MAX_COMMENT])  # personal data masked, as when written
        return "comment updated"
    question = db.session.get(Question, known.question_id)
    if question.status == QuestionStatus.ASKED:
        body = (_strip_mentions(text, question.department) or text)[: questions.BODY_MAX]
        privacy.write_question(question, question.unmasked_title or question.title, body, questions.TITLE_MAX)
        return "question updated"
    return "question is being handled: kept as asked"


def delete(activity: dict, actor: RemoteActor, now: datetime) -> str:
    uri = _id(activity.get("object"))
    if uri == actor.uri:
        db.session.execute(db.delete(RemoteFollower).where(RemoteFollower.remote_actor_id == actor.id))
        return "actor gone: follows removed"
    known = db.session.scalar(
        db.select(RemoteObject).where(RemoteObject.uri == uri, RemoteObject.remote_actor_id == actor.id)
    )
    if not known:
        return "unknown object"
    target = (
        db.session.get(Comment, known.comment_id) if known.comment_id else db.session.get(Question, known.question_id)
    )
    if target.hidden_at is None:
        target.hidden_at, target.hidden_reason = now, "作者已在其所在平台删除"
    return "hidden: deleted by its author"


HANDLERS = {
    "Follow": follow,
    "Undo": undo,
    "Like": _react(ReactionKind.LIKE),
    "Announce": _react(ReactionKind.ANNOUNCE),
    "Create": create,
    "Update": update,
    "Delete": delete,
}
