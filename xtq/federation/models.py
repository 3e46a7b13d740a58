"""What the hall keeps about the fediverse: each department's key, remote accounts and their
follows, reactions and objects, the deliveries going out, the activities come in, blocked domains."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xtq.extensions import db
from xtq.models import Department, StrEnum, User, UTCDateTime, _enum


class FederationActor(db.Model):
    """A department as an ActivityPub actor: on or off, and its RSA key (made on first use)."""

    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    private_key_pem: Mapped[str] = mapped_column(Text)
    key_created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship()


class RemoteActor(db.Model):
    """An account on another server, as its actor document said when last fetched. Its `user` is
    the local stand-in that its comments and questions are written under."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    key_id: Mapped[str] = mapped_column(String(500), index=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    inbox: Mapped[str] = mapped_column(String(500))
    shared_inbox: Mapped[str | None] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(500), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()

    @property
    def handle(self) -> str:
        return f"@{self.username}@{self.host}"

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class RemoteFollower(db.Model):
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True)
    remote_actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actor.id"), primary_key=True, index=True)
    follow_activity_id: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    actor: Mapped[RemoteActor] = relationship()


class ReactionKind(StrEnum):
    LIKE = "like"
    ANNOUNCE = "announce"


class RemoteReaction(db.Model):
    """A Like or an Announce (boost) of a post from the fediverse."""

    __table_args__ = (UniqueConstraint("post_id", "remote_actor_id", "kind", name="uq_remote_reaction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), index=True)
    remote_actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actor.id"), index=True)
    kind: Mapped[ReactionKind] = mapped_column(_enum(ReactionKind, 10))
    activity_id: Mapped[str] = mapped_column(String(500), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RemoteObject(db.Model):
    """A remote Note that became a comment or a question here, so that its author's Update and
    Delete reach it and replies go back into its thread."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    remote_actor_id: Mapped[int] = mapped_column(ForeignKey("remote_actor.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    actor: Mapped[RemoteActor] = relationship()


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    DEAD = "dead"  # gave up: the reason is in last_error


class Delivery(db.Model):
    """One activity to one inbox (a shared inbox serves all its server's followers). The row is
    the truth: the queue only says "try now", so a worker killed mid-delivery loses nothing."""

    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    inbox: Mapped[str] = mapped_column(String(500))
    host: Mapped[str] = mapped_column(String(255), index=True)
    activity: Mapped[str] = mapped_column(Text)  # JSON, exactly as signed and sent
    status: Mapped[DeliveryStatus] = mapped_column(_enum(DeliveryStatus, 10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a worker is on it until then
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")

    department: Mapped[Department] = relationship()


class ReceivedActivity(db.Model):
    """An activity that came in with a valid signature: kept once by its id (a repeat is ignored),
    then applied by the worker."""

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[str] = mapped_column(String(500), unique=True)
    actor_uri: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(30))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(300), default="")


class FederatedPost(db.Model):
    """What the fediverse has been told about a post: created, which edit, deleted."""

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), primary_key=True)
    created_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edit_sent: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the post's edited_at last sent
    deleted_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FederatedEvent(db.Model):
    """A step of a question already sent out (a reply to followers, a step back to a remote asker)."""

    event_id: Mapped[int] = mapped_column(ForeignKey("question_event.id"), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BlockedDomain(db.Model):
    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
