"""The data model of the whole hall: typed SQLAlchemy 2.0 models.

Times are stored in UTC and always read back as aware datetimes (see UTCDateTime).
Rendered HTML of user text (`*_html`) is made once, when the text is written, by xtq.text.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text, types
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from xtq.extensions import db
from xtq.i18n import N_


class UTCDateTime(types.TypeDecorator):
    """Store naive UTC, hand back aware UTC (SQLite keeps no time zone)."""

    impl = types.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class StrEnum(str, enum.Enum):
    """An enum stored as its value; where it has a `label`, the label's text is kept lazily in a
    module-level table and translated when read, one catalogue look-up per label shown."""

    def __str__(self) -> str:
        return self.value

    def is_(self, *names: str) -> bool:
        """For templates: this member is one of the members `names` (a misspelt name raises KeyError)."""
        return any(self is type(self)[name] for name in names)


_DEPT_GROUP_LABELS = {
    "bureau": _l("委办局"),
    "district": _l("市区县"),
    "utility": _l("公用事业"),
}


class DeptGroup(StrEnum):
    BUREAU = "bureau"
    DISTRICT = "district"
    UTILITY = "utility"

    @property
    def label(self) -> str:
        return str(_DEPT_GROUP_LABELS[self.value])


class Role(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    ADMIN = "admin"


_STAFF_TITLE_LABELS = {
    "spokesperson": _l("网络新闻发言人"),
    "liaison": _l("联络员"),
}


class StaffTitle(StrEnum):
    SPOKESPERSON = "spokesperson"
    LIAISON = "liaison"

    @property
    def label(self) -> str:
        return str(_STAFF_TITLE_LABELS[self.value])


_POST_KIND_LABELS = {
    "decision": _l("重大决策"),
    "service": _l("服务信息"),
    "notice": _l("通知公告"),
    "daily": _l("日常"),
    "outage": _l("服务公告"),
}


class PostKind(StrEnum):
    DECISION = "decision"
    SERVICE = "service"
    NOTICE = "notice"
    DAILY = "daily"
    OUTAGE = "outage"  # structured service notice (停水, 停电, ...)

    @property
    def label(self) -> str:
        return str(_POST_KIND_LABELS[self.value])


_NOTICE_TYPE_LABELS = {
    "water_outage": _l("停水"),
    "power_outage": _l("停电"),
    "gas_outage": _l("停气"),
    "heating_outage": _l("停暖"),
    "bus_change": _l("公交线路调整"),
    "roadwork": _l("道路施工"),
}


class NoticeType(StrEnum):
    WATER_OUTAGE = "water_outage"
    POWER_OUTAGE = "power_outage"
    GAS_OUTAGE = "gas_outage"
    HEATING_OUTAGE = "heating_outage"
    BUS_CHANGE = "bus_change"
    ROADWORK = "roadwork"

    @property
    def label(self) -> str:
        return str(_NOTICE_TYPE_LABELS[self.value])


class PostStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"  # public once published_at has passed (a later time = scheduled)
    DELETED = "deleted"


_CHANNEL_LABELS = {
    "web": _l("网上"),
    "phone": _l("电话"),
    "letter": _l("来信"),
    "visit": _l("来访"),
    "fediverse": _l("联邦宇宙"),
}


class Channel(StrEnum):
    """How a question came in: online, or recorded on the caller's behalf (代录)."""

    WEB = "web"
    PHONE = "phone"
    LETTER = "letter"
    VISIT = "visit"
    FEDIVERSE = "fediverse"

    @property
    def label(self) -> str:
        return str(_CHANNEL_LABELS[self.value])


_QUESTION_STATUS_LABELS = {
    "asked": _l("待受理"),
    "accepted": _l("办理中"),
    "declined": _l("不予受理"),
    "replied": _l("已答复"),
    "closed": _l("已办结"),
    "withdrawn": _l("已撤回"),
    "appealed": _l("复核中"),
}


class QuestionStatus(StrEnum):
    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REPLIED = "replied"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # by the asker before acceptance; kept for audit, out of public view
    APPEALED = "appealed"  # the asker asked the office to review a decline (复核)

    @property
    def label(self) -> str:
        return str(_QUESTION_STATUS_LABELS[self.value])


_REVIEW_STATE_LABELS = {
    "pending": _l("待审核"),
    "rejected": _l("审核未通过"),
}


class ReviewState(StrEnum):
    """Review before publishing (先审后发); a question with no review state is published."""

    PENDING = "pending"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(_REVIEW_STATE_LABELS[self.value])


_EVENT_KIND_LABELS = {
    "asked": lazy_pgettext("event", "提问"),
    "accepted": lazy_pgettext("event", "受理"),
    "declined": lazy_pgettext("event", "不予受理"),
    "transferred": lazy_pgettext("event", "转办"),
    "progress": lazy_pgettext("event", "办理进展"),
    "replied": lazy_pgettext("event", "答复"),
    "followup": lazy_pgettext("event", "追问"),
    "rated": lazy_pgettext("event", "评价"),
    "reopened": lazy_pgettext("event", "重新办理"),
    "closed": lazy_pgettext("event", "办结"),
    "reminded": lazy_pgettext("event", "催办"),
    "hidden": lazy_pgettext("event", "隐藏"),
    "redacted": lazy_pgettext("event", "部分内容已处理"),
    "edited": lazy_pgettext("event", "提问人修改"),
    "withdrawn": lazy_pgettext("event", "撤回"),
    "appealed": lazy_pgettext("event", "申请复核"),
    "appeal_upheld": lazy_pgettext("event", "复核维持"),
    "appeal_reopened": lazy_pgettext("event", "复核重新办理"),
    "approved": lazy_pgettext("event", "审核通过"),
    "rejected": lazy_pgettext("event", "审核未通过"),
    "dispatched": lazy_pgettext("event", "分拨"),
    "returned": lazy_pgettext("event", "退回"),
    "extended": lazy_pgettext("event", "延期"),
    "supervised": lazy_pgettext("event", "督办"),
}


class EventKind(StrEnum):
    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TRANSFERRED = "transferred"
    PROGRESS = "progress"
    REPLIED = "replied"
    FOLLOWUP = "followup"
    RATED = "rated"
    REOPENED = "reopened"
    CLOSED = "closed"
    REMINDED = "reminded"
    HIDDEN = "hidden"
    REDACTED = "redacted"
    # Safe to publish (issue 16)
    EDITED = "edited"
    WITHDRAWN = "withdrawn"
    APPEALED = "appealed"
    APPEAL_UPHELD = "appeal_upheld"
    APPEAL_REOPENED = "appeal_reopened"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISPATCHED = "dispatched"  # the office sends a question to a department (分拨)
    RETURNED = "returned"  # a department hands a misrouted question back to the office (退回)
    EXTENDED = "extended"  # the office approved more time (延期)
    SUPERVISED = "supervised"  # the office's formal supervision notice (督办)

    @property
    def label(self) -> str:
        return str(_EVENT_KIND_LABELS[self.value])


_RATING_LABELS = {
    "satisfied": _l("满意"),
    "unsatisfied": _l("不满意"),
}


class Rating(StrEnum):
    SATISFIED = "satisfied"
    UNSATISFIED = "unsatisfied"

    @property
    def label(self) -> str:
        return str(_RATING_LABELS[self.value])


class ReportStatus(StrEnum):
    OPEN = "open"
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


# Stored in Chinese (the value); shown through the catalogues (`category_label`, templates: `_(q.category)`).
CATEGORIES = (
    N_("交通出行"),
    N_("教育"),
    N_("医疗卫生"),
    N_("社会保障"),
    N_("住房"),
    N_("城市管理"),
    N_("环境"),
    N_("治安"),
    N_("水电气暖"),
    N_("其他"),
)


def _enum(cls: type[enum.Enum], length: int = 20) -> types.Enum:
    # Stored as the value string, checked by the model, portable to PostgreSQL without native enums.
    return types.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class Department(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    short_name: Mapped[str] = mapped_column(String(30), unique=True)
    group: Mapped[DeptGroup] = mapped_column(_enum(DeptGroup), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    show_staff_names: Mapped[bool] = mapped_column(default=False)
    hours: Mapped[str] = mapped_column(String(100), default="", server_default="")  # office hours, public

    def signature(self, staff: User) -> str:
        """How a reply by `staff` is signed in public: the department, the title, and the name if shown."""
        parts = [self.name, staff.title.label if staff.title else ""]
        if self.show_staff_names:
            parts.append(staff.display_name)
        return " ".join(part for part in parts if part)

    def __repr__(self) -> str:
        return f"<Department {self.slug}>"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(256), deferred=True)  # loaded only to check it
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.CITIZEN)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    title: Mapped[StaffTitle | None] = mapped_column(_enum(StaffTitle))
    email: Mapped[str | None] = mapped_column(String(200))  # confirmed: staff's set by the admin, citizens' verified
    email_pending: Mapped[str | None] = mapped_column(String(200))  # waiting for its verification link
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # What a citizen wants by e-mail (the bell keeps everything); see xtq.domain.notifications.Topic.
    notify_reply: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_followup: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_overdue: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_progress: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notify_outage: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    notice_districts: Mapped[str | None] = mapped_column(String(400))  # space-separated district slugs
    notice_streets: Mapped[str | None] = mapped_column(String(400))  # optional street names, space-separated
    # Raised when the account is disabled or its password set or reset: every session, remember
    # cookie and set-password link made before then stops working (see get_id).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    department: Mapped[Department | None] = relationship()

    def get_id(self) -> str:  # Flask-Login keeps this in the session and the remember cookie
        return f"{self.id}.{self.session_epoch}"

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot log in
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Post(db.Model):
    __table_args__ = (
        # In list order: PostgreSQL cannot order past a `hidden_at IS NULL` column, so the rare hidden
        # post is skipped as the lists walk these newest first (migration 5105191ed001).
        Index("ix_post_public", "status", "published_at", "id"),
        Index("ix_post_department_public", "department_id", "status", "published_at", "id"),
        Index("ix_post_department_created", "department_id", "created_at", "id"),  # the console's order
        Index("ix_post_notice_end", "kind", "notice_end"),
        Index(
            "ix_post_pinned",
            "department_id",
            "pinned_at",
            sqlite_where=text("pinned_at IS NOT NULL"),
            postgresql_where=text("pinned_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind))
    status: Mapped[PostStatus] = mapped_column(_enum(PostStatus), default=PostStatus.DRAFT)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    byline: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pinned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(200))
    comment_count: Mapped[int] = mapped_column(default=0)
    # Structured service notice (kind == OUTAGE)
    notice_type: Mapped[NoticeType | None] = mapped_column(_enum(NoticeType))
    notice_districts: Mapped[str | None] = mapped_column(String(400))  # space-separated department slugs
    notice_streets: Mapped[str | None] = mapped_column(String(400))
    notice_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notice_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # subscribers told (xtq.domain.alerts)

    department: Mapped[Department] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")

    PREVIEW_CHARS = 140

    @property
    def preview(self) -> str | None:
        """The first 140 characters when the body is longer (cards expand to the rest), else None."""
        return self.body[: self.PREVIEW_CHARS] if len(self.body) > self.PREVIEW_CHARS else None

    @property
    def byline_text(self) -> str:
        """The signer's title, and name if the department shows names; empty without a byline."""
        if not self.byline or self.author.title is None:
            return ""
        if self.department.show_staff_names:
            return f"{self.author.title.label} {self.author.display_name}"
        return self.author.title.label

    @property
    def district_slugs(self) -> list[str]:
        return (self.notice_districts or "").split()


class PostRevision(db.Model):
    """An earlier text of an edited post, kept for the record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PostTopic(db.Model):
    """A #话题# found in a post's text, for topic pages and hot topics."""

    __table_args__ = (Index("ix_post_topic_topic", "topic", "post_id"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)


class Comment(db.Model):
    __table_args__ = (
        Index("ix_comment_post", "post_id", "id"),
        # The office's review queue: held rows only (review_state = ? implies IS NOT NULL).
        Index(
            "ix_comment_review",
            "review_state",
            "created_at",
            "id",
            sqlite_where=text("review_state IS NOT NULL"),
            postgresql_where=text("review_state IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)  # personal data masked (xtq.domain.privacy)
    body_html: Mapped[str] = mapped_column(Text)
    unmasked_body: Mapped[str | None] = mapped_column(Text)  # as typed, only when something was masked
    unmasked_body_html: Mapped[str | None] = mapped_column(Text)
    review_state: Mapped[ReviewState | None] = mapped_column(_enum(ReviewState))  # None: published
    review_reasons: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(200))

    author: Mapped[User] = relationship(lazy="joined")


class Question(db.Model):
    __table_args__ = (
        Index("ix_question_activity", "last_activity_at", "id"),
        Index("ix_question_department_activity", "department_id", "last_activity_at", "id"),
        Index("ix_question_status_activity", "status", "last_activity_at", "id"),
        Index("ix_question_department_due", "department_id", "status", "due_at"),
        # Covers /stats' questions by channel over a period (migration 5105191ed001).
        Index("ix_question_created", "created_at", "department_id", "hidden_at", "channel"),
        # The office's review queue: held rows only (review_state = ? implies IS NOT NULL).
        Index(
            "ix_question_review",
            "review_state",
            "created_at",
            "id",
            sqlite_where=text("review_state IS NOT NULL"),
            postgresql_where=text("review_state IS NOT NULL"),
        ),
        # The review figures (decided in the last 30 days) and the escalation list (by due_at, id).
        Index(
            "ix_question_reviewed",
            "reviewed_at",
            sqlite_where=text("reviewed_at IS NOT NULL"),
            postgresql_where=text("reviewed_at IS NOT NULL"),
        ),
        Index(
            "ix_question_due",
            "due_at",
            "id",
            sqlite_where=text("due_at IS NOT NULL"),
            postgresql_where=text("due_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), unique=True)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # one question per form
    asker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # None while the question waits in the coordinating office's dispatch queue (asked of "the city",
    # or returned by a department): see xtq.domain.office.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    category: Mapped[str] = mapped_column(String(20))
    # The public text, personal data masked; as typed in unmasked_* only when something was masked.
    title: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    unmasked_title: Mapped[str | None] = mapped_column(String(60))
    unmasked_body: Mapped[str | None] = mapped_column(Text)
    unmasked_body_html: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(default=False)
    private: Mapped[bool] = mapped_column(default=False)  # 仅部门可见: the asker, the department and the office
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last correction by the asker
    review_state: Mapped[ReviewState | None] = mapped_column(_enum(ReviewState))
    review_reasons: Mapped[str] = mapped_column(Text, default="")  # why it was held, one a line
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[QuestionStatus] = mapped_column(_enum(QuestionStatus), default=QuestionStatus.ASKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # deadline of the current step
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(200))
    # Working hours from the replying department receiving the question to its first reply (figures).
    first_reply_working_hours: Mapped[float | None]
    metoo_count: Mapped[int] = mapped_column(default=0, server_default="0")  # 同问, kept with MeToo rows
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # 承办人 inside the department
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.WEB, server_default="web")

    asker: Mapped[User] = relationship(lazy="joined", foreign_keys=[asker_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id], lazy="joined")
    district: Mapped[Department | None] = relationship(foreign_keys=[district_id])
    events: Mapped[list[QuestionEvent]] = relationship(
        back_populates="question", order_by="QuestionEvent.id", cascade="all, delete-orphan"
    )
    deadlines: Mapped[list[QuestionDeadline]] = relationship(
        order_by="QuestionDeadline.id", cascade="all, delete-orphan"
    )

    @property
    def public_asker_name(self) -> str:
        """The asker's name, or 网友 and a short code that says nothing about the account or 查询码."""
        if self.anonymous:
            digest = hashlib.sha256(f"xtq-anonymous:{self.id}:{self.asker_id}".encode()).hexdigest()
            return _("网友%(code)s", code=digest[:4].upper())
        return self.asker.display_name


class MeToo(db.Model):
    """同问: a citizen adds their weight to someone else's open question (once; they may undo it)."""

    __table_args__ = (Index("ix_me_too_created", "created_at", "question_id"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuestionEvent(db.Model):
    """One step in a question's public history: who, when, what, and between which departments."""

    __table_args__ = (
        Index("ix_question_event_question", "question_id", "id"),
        # The office's review queue: held rows only (review_state = ? implies IS NOT NULL).
        Index(
            "ix_question_event_review",
            "review_state",
            "created_at",
            "id",
            sqlite_where=text("review_state IS NOT NULL"),
            postgresql_where=text("review_state IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # None: the system
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    to_department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    text: Mapped[str] = mapped_column(Text, default="")  # a citizen's text has personal data masked
    text_html: Mapped[str] = mapped_column(Text, default="")
    # System text (a reminder, an automatic close) as a key of xtq.domain.messages and its parameters
    message_key: Mapped[str | None] = mapped_column(String(60))
    message_params: Mapped[dict | None] = mapped_column(JSON)
    unmasked_text: Mapped[str | None] = mapped_column(Text)  # as typed, only when something was masked
    unmasked_text_html: Mapped[str | None] = mapped_column(Text)
    review_state: Mapped[ReviewState | None] = mapped_column(_enum(ReviewState))  # a citizen's text held for review
    review_reasons: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")
    from_department: Mapped[Department | None] = relationship(foreign_keys=[from_department_id], lazy="joined")
    to_department: Mapped[Department | None] = relationship(foreign_keys=[to_department_id], lazy="joined")


class DeadlineStep(StrEnum):
    ACCEPT = "accept"
    REPLY = "reply"  # a first reply, a reply after reopening, or the answer to a follow-up


class QuestionDeadline(db.Model):
    """One deadline a department had on a question, kept after it ends so lateness stays on record.

    Met (`met_at`) by accepting or declining (accept step) or by replying (reply step); ended
    unmet by a transfer or when the asker rates the reply. A deadline that passed while the
    department held the question counts against that department, whoever holds it later.
    """

    __table_args__ = (Index("ix_question_deadline_department", "department_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    step: Mapped[DeadlineStep] = mapped_column(_enum(DeadlineStep))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Photo(db.Model):
    """A photo on a question, a question event (follow-up, reply) or a post, re-encoded and stored.

    `key` names the full-size JPEG and `thumb_key` its thumbnail in the storage (xtq.media); both are
    made by the hall, never by the uploader. Who may see it follows what it is attached to.
    """

    __table_args__ = (
        Index("ix_photo_question", "question_id", "id"),
        Index("ix_photo_event", "event_id", "id"),
        Index("ix_photo_post", "post_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    thumb_key: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]  # bytes of the full-size JPEG
    uploader_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("question_event.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(String(200))


class QuestionNote(db.Model):
    """An internal note on a question: for the handling department's staff and the office only.

    Never shown on a public page, feed, API answer, search result or the big screen.
    """

    __table_args__ = (Index("ix_question_note_question", "question_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # None: the office
    text: Mapped[str] = mapped_column(Text)
    text_html: Mapped[str] = mapped_column(Text)
    # A note the system wrote (a handler named, co-handling asked): its key in xtq.domain.messages
    message_key: Mapped[str | None] = mapped_column(String(60))
    message_params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship(lazy="joined")


class QuestionAssist(db.Model):
    """协办: another department assisting the lead department on a question, until it marks its part done."""

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True, index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    department: Mapped[Department] = relationship(lazy="joined")


_EXTENSION_STATUS_LABELS = {
    "pending": _l("待审批"),
    "approved": _l("已批准"),
    "refused": _l("未批准"),
}


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return str(_EXTENSION_STATUS_LABELS[self.value])


class QuestionExtension(db.Model):
    """A department's request for more working days on its current deadline, and the office's answer."""

    __table_args__ = (
        Index("ix_question_extension_status", "status", "id"),
        Index("ix_question_extension_department", "department_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    days: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[ExtensionStatus] = mapped_column(_enum(ExtensionStatus), default=ExtensionStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_before: Mapped[datetime] = mapped_column(UTCDateTime)
    due_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(String(200), default="")

    question: Mapped[Question] = relationship(lazy="joined")
    department: Mapped[Department] = relationship(lazy="joined")
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id], lazy="joined")


class QuestionSupervision(db.Model):
    """督办: the office's formal public notice that a department must act on a question by a date."""

    __table_args__ = (Index("ix_question_supervision_department", "department_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QuestionPostLink(db.Model):
    """A reply that points to a post, or a post that cites the question that led to it."""

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"), primary_key=True, index=True)


class ReplyTemplate(db.Model):
    """A department's common reply (常用答复) that staff insert and adapt."""

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    title: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)


class Follow(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Report(db.Model):
    """A user's report of a post, comment, question or question event, for the admin's queue."""

    __table_args__ = (
        UniqueConstraint("reporter_id", "target_type", "target_id", name="uq_report_once"),
        Index("ix_report_target", "target_type", "target_id"),
        Index("ix_report_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus), default=ReportStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Notification(db.Model):
    __table_args__ = (Index("ix_notification_user", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))
    text: Mapped[str] = mapped_column(String(300))  # in the source language; shown through message_key
    message_key: Mapped[str | None] = mapped_column(String(60))
    message_params: Mapped[dict | None] = mapped_column(JSON)
    url: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditLog(db.Model):
    """Every staff and admin action (and moderation decision): who, when, what, why."""

    __table_args__ = (Index("ix_audit_log_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20), default="")
    target_id: Mapped[int | None]
    detail: Mapped[str] = mapped_column(Text, default="")
    message_key: Mapped[str | None] = mapped_column(String(60))  # system text: see xtq.domain.messages
    message_params: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Setting(db.Model):
    """Small site-wide state (demo clock, launch schedule) as key/value text."""

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Ceremony(db.Model):
    """A launch ceremony: guests at its seats press their start buttons; the last press launches the hall.

    A rehearsal plays the same way but leaves the hall as it was. At most one ceremony is open
    (neither completed nor cancelled) at a time.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    rehearsal: Mapped[bool] = mapped_column(default=False)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    touched_at: Mapped[datetime] = mapped_column(UTCDateTime)  # written first by every press: serialises presses
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    seats: Mapped[list[CeremonySeat]] = relationship(
        back_populates="ceremony", order_by="CeremonySeat.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None


class CeremonySeat(db.Model):
    """One guest's place at a ceremony (市领导, 网友代表 …) with its single-use start code."""

    __table_args__ = (UniqueConstraint("ceremony_id", "position", name="uq_ceremony_seat_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremony.id"))
    position: Mapped[int]
    label: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    pressed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ceremony: Mapped[Ceremony] = relationship(back_populates="seats")


class FigureSnapshot(db.Model):
    """Computed accountability figures, kept so that pages read them instead of aggregating.

    `flask figures-refresh` (cron) writes them; a page that finds one missing or older than
    FIGURES_MAX_AGE computes it again. The payload is JSON made by xtq.domain.figures.
    """

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[str] = mapped_column(Text)


class MonthlyReport(db.Model):
    """月度通报: one month's figures, generated once the month has ended and never changed after.

    The payload is JSON made by xtq.domain.monthly (this month's and the previous month's figures).
    """

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[str] = mapped_column(Text)
