"""The coordinating office's dispatch queue, and a department's return, handler and internal notes.

The steps go through `perform` like every other step of the loop: the domain (xtq.domain.office,
with the rules in xtq.domain.questions.refusal) decides who may do what.
"""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from xtq import clock
from xtq.domain import departments, office
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.questions import Action
from xtq.extensions import db
from xtq.forms import ActionForm
from xtq.forms.questions import IntakeForm, RefuseExtensionForm
from xtq.models import QuestionExtension, Role, User
from xtq.views._rules import apply, flash_errors
from xtq.views.question_display import rows
from xtq.views.questions import action_form, department_choices, perform
from xtq.views.roles import role_required
from xtq.web import page_cache

bp = Blueprint("office", __name__)
EXTENSIONS_SHOWN = 100  # waiting requests first; more than this waiting is a backlog to raise


@bp.get("/admin/dispatch")
@page_cache.for_readers()
@role_required(Role.ADMIN)
def dispatch_queue():
    """Questions asked of the city or returned by a department, waiting to be dispatched."""
    page_cache.depends_on(None)  # questions placed at the office, none of a department's
    now, cal = clock.now(), clock.work_calendar()
    items = list(db.session.scalars(office.queue().limit(200)))
    form = action_form(Action.DISPATCH, formdata=None)
    form.department.choices = department_choices(departments.all_in_order())
    return render_template(
        "office/dispatch.html",
        rows=rows(items, current_user, now, cal),
        form=form,
        returns={q.id: office.last_return(q) for q in items},
    )


@bp.post("/admin/questions/<int:question_id>/dispatch")
@role_required(Role.ADMIN)
def dispatch(question_id: int):
    """Send a waiting question to the department it belongs to."""
    return perform(
        question_id,
        Action.DISPATCH,
        lambda q, f: office.dispatch(
            q,
            current_user,
            departments.by_slug(f.department.data),
            f.note.data or "",
            now=clock.now(),
            cal=clock.work_calendar(),
        ),
        _("已分拨。"),
    )


@bp.post("/console/questions/<int:question_id>/return")
@role_required(Role.STAFF)
def return_to_office(question_id: int):
    """Hand a question outside the department's remit back to the office, with a public reason."""
    return perform(
        question_id,
        Action.RETURN,
        lambda q, f: office.return_to_office(
            q, current_user, f.reason.data, now=clock.now(), cal=clock.work_calendar()
        ),
        _("已退回市网信办。"),
    )


@bp.post("/console/questions/<int:question_id>/assign")
@role_required(Role.STAFF)
def assign(question_id: int):
    """Name the staff member who handles the question."""
    return perform(
        question_id,
        Action.ASSIGN,
        lambda q, f: office.assign(q, current_user, db.session.get(User, f.handler.data), now=clock.now()),
        _("已指定承办人。"),
    )


@bp.post("/q/<int:question_id>/notes")
@login_required
def note(question_id: int):
    """Add an internal note (the department's staff and the office only)."""
    return perform(
        question_id,
        Action.NOTE,
        lambda q, f: office.add_note(q, current_user, f.text.data, now=clock.now()),
        _("备注已保存。"),
    )


@bp.post("/console/questions/<int:question_id>/extension")
@role_required(Role.STAFF)
def request_extension(question_id: int):
    """Ask the office for more working days on the reply deadline."""
    return perform(
        question_id,
        Action.EXTEND,
        lambda q, f: office.request_extension(q, current_user, f.days.data, f.reason.data, now=clock.now()),
        _("延期申请已提交，等待市网信办审批。"),
    )


@bp.post("/admin/questions/<int:question_id>/supervise")
@role_required(Role.ADMIN)
def supervise(question_id: int):
    """Issue a formal public supervision notice with its own deadline."""
    return perform(
        question_id,
        Action.SUPERVISE,
        lambda q, f: office.supervise(
            q, current_user, f.reason.data, f.days.data, now=clock.now(), cal=clock.work_calendar()
        ),
        _("已发出督办。"),
    )


@bp.get("/admin/extensions")
@role_required(Role.ADMIN)
def extensions():
    """Extension requests: waiting ones first, then the latest decisions."""
    items = list(db.session.scalars(office.extensions().limit(EXTENSIONS_SHOWN)))
    return render_template(
        "office/extensions.html", items=items, approve_form=ActionForm(), refuse_form=RefuseExtensionForm()
    )


def _extension(extension_id: int) -> QuestionExtension:
    return db.session.get(QuestionExtension, extension_id) or abort(404)


@bp.post("/admin/extensions/<int:extension_id>/approve")
@role_required(Role.ADMIN)
def approve_extension(extension_id: int):
    """Grant the time: the deadline moves, in public."""
    row = _extension(extension_id)
    if ActionForm().validate_on_submit():
        apply(
            lambda: office.approve_extension(row, current_user, now=clock.now(), cal=clock.work_calendar()),
            _("已批准延期。"),
        )
    return redirect(url_for("office.extensions"))


@bp.post("/admin/extensions/<int:extension_id>/refuse")
@role_required(Role.ADMIN)
def refuse_extension(extension_id: int):
    """Refuse the time, with a reason for the department."""
    row = _extension(extension_id)
    form = RefuseExtensionForm()
    if form.validate_on_submit():
        apply(lambda: office.refuse_extension(row, current_user, form.reason.data, now=clock.now()), _("已不予批准。"))
    else:
        flash_errors(form)
    return redirect(url_for("office.extensions"))


@bp.route("/console/intake", methods=["GET", "POST"])
@login_required
def intake():
    """Record a question that came by phone, letter or visit; the caller gets the 查询码 read out."""
    if not (current_user.is_staff or current_user.is_admin):
        abort(403)
    form = IntakeForm()
    if current_user.is_staff:
        del form.department  # staff record for their own department
    else:
        form.department.choices = department_choices(departments.all_in_order())
    if form.validate_on_submit():
        department = departments.by_slug(form.department.data or "") if "department" in form else None
        try:
            q = office.intake(
                current_user,
                department,
                form.channel.data,
                title=form.title.data,
                body=form.body.data,
                category=form.category.data,
                caller=form.caller.data,
                now=clock.now(),
                cal=clock.work_calendar(),
            )
        except PermissionDenied:
            db.session.rollback()
            abort(403)
        except DomainError as e:
            db.session.rollback()
            getattr(form, e.field or "title").errors.append(e.message)
        else:
            db.session.commit()
            return render_template("office/intake_done.html", q=q)
    return render_template("office/intake.html", form=form)


@bp.post("/console/questions/<int:question_id>/assist")
@role_required(Role.STAFF)
def assist(question_id: int):
    """The lead department asks another department to assist (协办)."""
    return perform(
        question_id,
        Action.ASSIST,
        lambda q, f: office.add_assist(q, current_user, departments.by_slug(f.department.data), now=clock.now()),
        _("已邀请协办。"),
    )


@bp.post("/console/questions/<int:question_id>/assist/done")
@role_required(Role.STAFF)
def assist_done(question_id: int):
    """An assisting department marks its part done."""
    return perform(
        question_id,
        Action.ASSIST_DONE,
        lambda q, f: office.assist_done(q, current_user, now=clock.now()),
        _("已完成协办。"),
    )
