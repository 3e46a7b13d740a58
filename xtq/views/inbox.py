"""The staff's question inbox at /console/questions, and the department's actions on a question."""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from xtq import clock
from xtq.domain import departments, questions
from xtq.domain.questions import Action
from xtq.extensions import db
from xtq.models import Question, QuestionStatus, Role
from xtq.pagination import paginate
from xtq.views.photo_uploads import accepts_photos
from xtq.views.question_display import rows
from xtq.views.questions import perform, with_photos
from xtq.views.roles import restrict
from xtq.web import page_cache

bp = Blueprint("inbox", __name__, url_prefix="/console/questions")
restrict(bp, Role.STAFF)

INBOX_LIMIT = 200  # questions I handle or assist with; more than this means a backlog to raise


def _filters() -> list[tuple[str, str]]:
    return (
        [("open", _("待办")), ("mine", _("我承办的")), ("assisting", _("协办"))]
        + [(s.value, s.label) for s in QuestionStatus]
        + [("all", _("全部"))]
    )


def _inbox_reader() -> str:
    """A department's staff share its inbox, except the filter 我承办的, which is each one's own."""
    return f"user {current_user.id}" if request.args.get("status") == "mine" else page_cache.own_class(current_user)


@bp.get("")
@page_cache.for_readers(_inbox_reader)
def index():
    """The department's questions: open ones by deadline (overdue first), or any status by latest activity."""
    shown = request.args.get("status", "open")
    shown = shown if shown in dict(_filters()) else "open"
    if shown != "assisting":  # questions of other departments that this one assists
        page_cache.depends_on(current_user.department_id)
    mine = db.select(Question).where(Question.department_id == current_user.department_id)
    now, cal = clock.now(), clock.work_calendar()
    page = None
    if shown in ("mine", "assisting"):
        from xtq.domain import office

        select = office.mine(current_user) if shown == "mine" else office.assisting(current_user.department_id)
        items = list(
            db.session.scalars(
                select.where(Question.status.in_(questions.OPEN))
                .order_by(Question.due_at, Question.id)
                .limit(INBOX_LIMIT)
            )
        )
    elif shown == "open":  # nearest deadline first, a page at a time
        waiting = mine.where(questions.waiting_on_department())  # each with its due_at
        page = paginate(
            waiting,
            Question.due_at,
            Question.id,
            request.args.get("after"),
            current_app.config["PAGE_SIZE"],
            ascending=True,
        )
        items = page.items
    else:
        if shown != "all":
            mine = mine.where(Question.status == QuestionStatus(shown))
        page = paginate(
            mine, Question.last_activity_at, Question.id, request.args.get("after"), current_app.config["PAGE_SIZE"]
        )
        items = page.items
    return render_template(
        "inbox/index.html",
        rows=rows(items, current_user, now, cal),
        page=page,
        shown=shown,
        filters=_filters(),
        limit=INBOX_LIMIT,
    )


@bp.post("/<int:question_id>/accept")
def accept(question_id: int):
    """Accept the question; the reply deadline starts."""
    return perform(
        question_id,
        Action.ACCEPT,
        lambda q, f: questions.accept(q, current_user, now=clock.now(), cal=clock.work_calendar()),
        _("已受理，请在期限内答复。"),
    )


@bp.post("/<int:question_id>/decline")
def decline(question_id: int):
    """Decline the question with a public reason."""
    return perform(
        question_id,
        Action.DECLINE,
        lambda q, f: questions.decline(q, current_user, f.reason.data, now=clock.now(), cal=clock.work_calendar()),
        _("已作出不予受理决定。"),
    )


@bp.post("/<int:question_id>/transfer")
def transfer(question_id: int):
    """Transfer the question to another department with a reason."""
    return perform(
        question_id,
        Action.TRANSFER,
        lambda q, f: questions.transfer(
            q,
            current_user,
            departments.by_slug(f.department.data),
            f.reason.data,
            now=clock.now(),
            cal=clock.work_calendar(),
        ),
        _("已转办。"),
    )


@bp.post("/<int:question_id>/progress")
@accepts_photos
def progress(question_id: int):
    """Post an interim progress update, with photos if any."""
    return perform(
        question_id,
        Action.PROGRESS,
        with_photos(
            lambda q, f: questions.progress(q, current_user, f.text.data, now=clock.now(), cal=clock.work_calendar())
        ),
        _("办理进展已发布。"),
    )


@bp.post("/<int:question_id>/reply")
@accepts_photos
def reply(question_id: int):
    """Reply in public, signed with the department and the staff title, with photos if any."""
    return perform(
        question_id,
        Action.REPLY,
        with_photos(
            lambda q, f: questions.reply(
                q, current_user, f.text.data, post_ids=f.posts.data or [], now=clock.now(), cal=clock.work_calendar()
            )
        ),
        _("答复已发布。"),
    )
