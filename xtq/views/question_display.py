"""Ready-made values for question templates, so that templates decide nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from xtq.domain import messages, privacy, questions
from xtq.domain.deadlines import WorkCalendar
from xtq.models import Question, QuestionEvent, QuestionStatus, Role, User


@dataclass(frozen=True)
class Row:
    """One question in a list: the question, its deadline standing and the name shown."""

    q: Question
    timing: questions.Timing
    asker: str
    title: str  # a private question's text stays with those allowed to read it


@dataclass(frozen=True)
class EventLine:
    event: QuestionEvent
    actor: str
    hidden: bool
    note: str | None  # what the system wrote (a reminder, an automatic close), in the reader's language
    html: str  # personal data masked unless the reader is the department or the office
    review: str | None = None  # "pending" or "rejected" for a citizen's text held for review


def concealed(q: Question, viewer: User | None) -> str | None:
    """Why the reader may not read the question ("hidden", "withdrawn", "review", "private"), or None."""
    if questions.shows_text(q, viewer):
        return None
    if q.hidden_at is not None:
        return "hidden"
    if q.status == QuestionStatus.WITHDRAWN:
        return "withdrawn"
    if q.review_state is not None:
        return "review"
    return "private"


def title_for(q: Question, viewer: User | None) -> str:
    """The title as this reader may see it."""
    if not questions.shows_text(q, viewer):
        return _("仅部门可见的问题") if q.private else _("未公开的问题")
    return privacy.title_for(q, questions.may_see_unmasked(q, viewer))


def asker_name(q: Question, viewer: User | None) -> str:
    """网友xxxx for an anonymous question, with the account for those allowed to see it."""
    if not q.anonymous:
        return q.asker.display_name
    if questions.may_see_account(q, viewer):
        return _(
            "%(public_asker_name)s（账号 %(username)s，%(display_name)s）",
            public_asker_name=q.public_asker_name,
            username=q.asker.username,
            display_name=q.asker.display_name,
        )
    return q.public_asker_name


def actor_name(event: QuestionEvent, q: Question, viewer: User | None) -> str:
    """Who did it, as the public reads it: a reply is signed by the department and the title."""
    actor = event.actor
    if actor is None:
        return _("系统")
    if actor.id == q.asker_id:
        return asker_name(q, viewer)
    if actor.role == Role.ADMIN:
        return _("管理员")
    dept = event.from_department or actor.department
    if dept is None:
        return actor.title.label if actor.title else ""
    return dept.signature(actor)


def rows(items: list[Question], viewer: User | None, now: datetime, cal: WorkCalendar) -> list[Row]:
    return [Row(q, questions.timing(q, now, cal), _row_asker(q, viewer), title_for(q, viewer)) for q in items]


def _row_asker(q: Question, viewer: User | None) -> str:
    """A private question names nobody to those who may not read it."""
    return asker_name(q, viewer) if questions.shows_text(q, viewer) else _("网友")


def event_lines(q: Question, viewer: User | None) -> list[EventLine]:
    full, insider = questions.may_see_unmasked(q, viewer), questions.may_see_hidden(q, viewer)
    return [
        EventLine(
            e,
            actor_name(e, q, viewer),
            e.hidden_at is not None,
            messages.text_of(e) if e.message_key else None,
            privacy.event_html_for(e, full),
            e.review_state.value if e.review_state else None,
        )
        for e in q.events
        if e.review_state is None or insider
    ]  # held text: the asker and insiders only


@dataclass(frozen=True)
class InternalPanel:
    """What the department's staff and the office see below a question, and the public never does."""

    notes: list
    handler: User | None
    pending_extension: object
    assists: list
    forms: dict


def internal_panel(q: Question, viewer: User | None, forms: dict) -> InternalPanel | None:
    """The handler, the internal notes and their forms, for the department's staff and the admin only."""
    from xtq.domain import office

    if not (
        viewer is not None
        and (viewer.is_admin or questions.is_department_staff(viewer, q) or office.assisted_by(viewer, q))
    ):
        return None
    return InternalPanel(
        office.notes(q),
        q.handler,
        questions.pending_extension(q),
        office.assists(q),
        {a.value: f for a, f in forms.items() if a in questions.INTERNAL_ACTIONS},
    )


@dataclass(frozen=True)
class Notice:
    row: object  # QuestionSupervision
    last_day: object  # date


def office_notices(q: Question) -> list[Notice]:
    """The office's 督办 notices on a question (public), each with the last day of its deadline."""
    from xtq.domain import office

    return [Notice(row, questions.Timing(row.due_at, False, 0, None).last_day) for row in office.supervisions(q)]


def assisting_names(q: Question) -> str:
    """The assisting departments' short names, for "由 X 主办，Y 协办" (empty when none)."""
    from xtq.domain import office

    return _("、").join(a.department.short_name for a in office.assists(q))
