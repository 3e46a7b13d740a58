"""What the hall sends to the fediverse, derived from what changed: a post published (or come due),
edited, deleted or hidden; a department's reply to a public question; each step of a question
asked from the fediverse, told back to its asker in the same thread.

A commit that touches posts or question events queues a sync job for each; the job compares the
post with what was last sent (FederatedPost) and sends what is missing, so it may run twice. A
periodic catch-up sends scheduled posts that have come due."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from xtq import clock, jobs
from xtq.domain import questions
from xtq.extensions import db
from xtq.federation import documents, urls, websub
from xtq.federation.delivery import follower_inboxes, send
from xtq.federation.models import FederatedEvent, FederatedPost, FederationActor, RemoteObject
from xtq.models import Department, EventKind, Post, PostStatus, QuestionEvent

STEP_TEXT = {
    EventKind.ASKED: "您的问题已转给{dept}，查询码 {code}，可在下面的链接查看办理进度。",
    EventKind.ACCEPTED: "{dept}已受理您的问题。",
    EventKind.DECLINED: "{dept}不予受理：{text}",
    EventKind.TRANSFERRED: "您的问题已转办：{text}",
    EventKind.PROGRESS: "办理进展：{text}",
    EventKind.REPLIED: "{dept}答复：{text}",
    EventKind.CLOSED: "您的问题已办结。",
    EventKind.REOPENED: "您的问题已重新办理。",
}


def sending() -> bool:
    """Whether the hall sends anything: federation on, and SITE_URL set (ids must never change)."""
    config = current_app.config
    return bool(config["FEDERATION_ENABLED"] and config["SITE_URL"])


def enabled(department: Department) -> bool:
    if not current_app.config["FEDERATION_ENABLED"]:
        return False
    record = db.session.get(FederationActor, department.id)
    return record is None or record.enabled


def _visible(post: Post, now: datetime) -> bool:
    return (
        post.status == PostStatus.PUBLISHED
        and post.published_at is not None
        and post.published_at <= now
        and post.hidden_at is None
    )


def sync_post(post_id: int, now: datetime) -> str | None:
    """Tell followers what they have not heard about the post yet: Create, Update or Delete."""
    post = db.session.get(Post, post_id)
    if post is None or not sending() or not enabled(post.department):
        return None
    record = db.session.get(FederatedPost, post_id)
    actor, visible = urls.actor(post.department.slug), _visible(post, now)
    if visible and record is None:
        note = documents.post_note(post)
        kind, activity = "Create", documents.activity("Create", actor, note, id=note["id"] + "#create")
        db.session.add(FederatedPost(post_id=post.id, created_sent_at=now, edit_sent=post.edited_at))
    elif visible and record.deleted_sent_at is None and post.edited_at != record.edit_sent:
        note = documents.post_note(post)
        stamp = int(post.edited_at.timestamp())
        kind, activity = "Update", documents.activity("Update", actor, note, id=f"{note['id']}#update-{stamp}")
        record.edit_sent = post.edited_at
    elif not visible and record is not None and record.deleted_sent_at is None:
        tombstone = {"id": urls.post(post.id), "type": "Tombstone"}
        kind = "Delete"
        activity = documents.activity(
            "Delete",
            actor,
            tombstone,
            id=urls.post(post.id) + "#delete",
            to=[documents.AS_PUBLIC],
            cc=[actor + "/followers"],
        )
        record.deleted_sent_at = now
    else:
        return None
    send(post.department, activity, follower_inboxes(post.department_id))
    if hub := current_app.config["WEBSUB_HUB"]:
        jobs.after_commit(
            db.session,
            websub.ping,
            hub,
            [f"{urls.base()}/feed.atom", f"{urls.base()}/hall/{post.department.slug}/feed.atom"],
        )
    db.session.commit()
    return kind


def sync_event(event_id: int, now: datetime) -> bool:
    """Send a question's step out, once: a reply to the followers; any step to a remote asker."""
    event = db.session.get(QuestionEvent, event_id)
    if event is None or not sending() or db.session.get(FederatedEvent, event_id) is not None:
        return False
    question = event.question
    department = question.department
    remote = db.session.scalar(
        db.select(RemoteObject).where(RemoteObject.question_id == question.id).order_by(RemoteObject.id).limit(1)
    )
    # a reply goes to the followers only where the public may read the question (not hidden, private or held)
    public_reply = event.kind == EventKind.REPLIED and questions.shows_text(question, None)
    if not enabled(department) or not (public_reply or (remote and event.kind in STEP_TEXT)):
        return False
    template = STEP_TEXT.get(event.kind, "{text}")
    text = template.format(dept=department.short_name, code=question.tracking_code, text=event.text)
    actor = urls.actor(department.slug)
    if remote:
        to = [remote.actor.uri, documents.AS_PUBLIC] if public_reply else [remote.actor.uri]
        note = documents.event_note(event, text=text, to=to, in_reply_to=remote.uri, mention=remote.actor)
    else:
        text = f"「{question.title}」{text}"
        note = documents.event_note(event, text=text, to=[documents.AS_PUBLIC], in_reply_to=None)
    inboxes = (follower_inboxes(department.id) if public_reply else []) + ([remote.actor.inbox] if remote else [])
    send(department, documents.activity("Create", actor, note, id=note["id"] + "-create"), inboxes)
    db.session.add(FederatedEvent(event_id=event.id, sent_at=now))
    db.session.commit()
    return True


@jobs.task()
def sync_post_job(post_id: int) -> None:
    sync_post(post_id, clock.now())


@jobs.task()
def sync_event_job(event_id: int) -> None:
    sync_event(event_id, clock.now())


@jobs.periodic(jobs.crontab())
def send_posts_come_due() -> None:
    """Scheduled posts whose time has come (within the last day) and that have not gone out."""
    if not sending():
        return
    now = clock.now()
    due = db.session.scalars(
        db.select(Post.id)
        .outerjoin(FederatedPost, FederatedPost.post_id == Post.id)
        .where(
            FederatedPost.post_id.is_(None),
            Post.status == PostStatus.PUBLISHED,
            Post.published_at <= now,
            Post.published_at > now - timedelta(days=1),
            Post.hidden_at.is_(None),
        )
        .limit(500)
    ).all()
    for post_id in due:
        sync_post(post_id, now)


@sa_event.listens_for(Session, "after_flush")
def _changes_to_send(session: Session, _context) -> None:
    if not has_app_context() or not sending():
        return
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Post):
            jobs.after_commit(session, sync_post_job, obj.id)
        elif isinstance(obj, QuestionEvent) and obj in session.new:
            jobs.after_commit(session, sync_event_job, obj.id)
