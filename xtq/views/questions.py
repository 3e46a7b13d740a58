"""The public side of the closed loop: ask, a question's page, follow-up and rating, /track, /timeline, 我的问政."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from xtq import clock
from xtq.domain import departments, photos, privacy, questions
from xtq.domain import metoo as metoo_rules
from xtq.domain import similar as similar_questions
from xtq.domain.config import settings
from xtq.domain.errors import DomainError, PermissionDenied
from xtq.domain.questions import Action
from xtq.extensions import db, limiter
from xtq.forms import ActionForm, HideForm
from xtq.forms.questions import (
    AppealForm,
    AskForm,
    AssignForm,
    AssistForm,
    DispatchForm,
    EditForm,
    ExtensionForm,
    NoteForm,
    RateForm,
    ReasonForm,
    RedactForm,
    ReopenForm,
    ReplyForm,
    ReturnForm,
    SuperviseForm,
    TextForm,
    TimelineFilterForm,
    TrackForm,
    TransferForm,
    UpholdForm,
)
from xtq.models import (
    Department,
    DeptGroup,
    Photo,
    Question,
    QuestionEvent,
    QuestionStatus,
    ReplyTemplate,
    Role,
)
from xtq.pagination import paginate
from xtq.views._rules import on_form
from xtq.views.photo_uploads import accepts_photos, uploads
from xtq.views.question_display import (
    asker_name,
    assisting_names,
    concealed,
    event_lines,
    internal_panel,
    office_notices,
    rows,
    title_for,
)
from xtq.web import holes, page_cache

bp = Blueprint("questions", __name__)


# ---------------------------------------------------------------- asking


@bp.route("/ask", methods=["GET", "POST"])
@accepts_photos
@limiter.limit(lambda: current_app.config["ASK_LIMIT"], methods=["POST"])
@login_required
def ask():
    """Ask a department a question (from /ask or a department's hall with ?dept=slug)."""
    if current_user.role != Role.CITIZEN:
        return render_template("questions/ask.html", form=None), 403
    form = _ask_form()
    if request.method == "GET":
        form.department.data = request.args.get("dept", "")
        form.submit_token.data = secrets.token_urlsafe(24)
    if request.method == "POST" and "check" in request.form:  # the no-JS step: look before asking
        form.validate_on_submit()  # show what is missing too, but ask nothing yet
        return render_template(
            "questions/ask.html", form=form, similar=_similar(form.title.data, form.department.data), checked=True
        )
    if form.validate_on_submit():
        if (
            earlier := questions.by_submit_token(form.submit_token.data)
        ) is not None and earlier.asker_id == current_user.id:
            return redirect(url_for("questions.question", question_id=earlier.id))
        try:
            prepared = photos.prepare(uploads(form.photos))  # refused photos: nothing is written
            q = questions.ask(
                current_user,
                departments.by_slug(form.department.data),
                title=form.title.data,
                body=form.body.data,
                category=form.category.data,
                district=departments.by_slug(form.district.data or ""),
                anonymous=form.anonymous.data,
                private=form.private.data,
                submit_token=form.submit_token.data,
                to_office=form.department.data == ASK_THE_CITY,
                now=clock.now(),
                cal=clock.work_calendar(),
            )
            if prepared:
                db.session.flush()
                photos.store(prepared, current_user, now=clock.now(), question=q)
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            if not on_form(form, e):
                form.form_errors.append(e.message)
        except IntegrityError:  # the same form submitted twice at once: the other request won
            db.session.rollback()
            earlier = questions.by_submit_token(form.submit_token.data) or abort(409)
            return redirect(url_for("questions.question", question_id=earlier.id))
        else:
            flash(
                _(
                    "提问成功。您的查询码是 %(tracking_code)s，凭它无需登录即可查询办理进度。",
                    tracking_code=q.tracking_code,
                ),
                "success",
            )
            return redirect(url_for("questions.question", question_id=q.id))
    return render_template("questions/ask.html", form=form)


ASK_THE_CITY = "office"  # the department choice that sends a question to the office's dispatch queue


@bp.get("/ask/similar")
@limiter.limit(lambda: current_app.config["SIMILAR_LIMIT"])
def similar():
    """Questions like the title being typed on /ask (for its script; the form has a no-JS step)."""
    return render_template(
        "questions/_similar.html",
        similar=_similar(request.args.get("title", "")[:60], request.args.get("department", "")),
        checked=True,
    )


def _similar(title: str | None, department_slug: str | None) -> list[Question]:
    dept = departments.by_slug(department_slug or "")
    return similar_questions.find(title or "", now=clock.now(), department_id=dept.id if dept else None)


def _ask_form() -> AskForm:
    form = AskForm()
    everyone = departments.all_in_order()
    form.department.choices = department_choices(everyone)
    form.department.choices.insert(1, SelectChoice(ASK_THE_CITY, _("不确定向哪个部门提问：请市网信办分拨")))
    form.district.choices = [SelectChoice("", _("不选"))] + [
        SelectChoice(d.slug, d.name) for d in everyone if d.group == DeptGroup.DISTRICT
    ]
    return form


# ---------------------------------------------------------------- a question's page


def _question_reader(question_id: int) -> str:
    """Its asker, staff and the admin see a question's page their own way; other citizens alike."""
    user = current_user
    if user.is_staff or user.is_admin:
        return f"user {user.id}"
    # The stamps the page depends on, read before the question (each is read once a request, so
    # depends_on compares with these): a write in between makes the page stale, not the copy kept.
    page_cache.read_stamps(page_cache.SITE, page_cache.question_stamp(question_id))
    q = _for_page(question_id)
    return f"user {user.id}" if q is not None and q.asker_id == user.id else page_cache.own_class(user)


def _for_page(question_id: int) -> Question | None:
    """The question and its history, read once per request: to know who reads it, then for the page (or,
    on a hit, its 同问 hole). Kept on the request, since the session forgets an object no one holds."""
    key = f"xtq.question.{question_id}"
    if key not in request.environ:
        request.environ[key] = questions.for_page(question_id)
    return request.environ[key]


@bp.get("/q/<int:question_id>")
@page_cache.for_readers(_question_reader)
def question(question_id: int):
    """A question: its text, its whole public history, its deadline, and the actions open to the reader."""
    # Its own rows, names, and for staff their department's lists in its forms (reply templates, posts to cite,
    # colleagues): a write to another question of the department leaves the page kept.
    staff = current_user.is_authenticated and current_user.is_staff
    page_cache.depends_on(*([current_user.department_id] if staff else []), question=question_id)
    page_cache.lasts("QUESTION_PAGE_SECONDS")  # by time alone only its deadline's day count changes
    q = _for_page(question_id) or abort(404)
    if questions.close_if_stale(q, clock.now()):
        db.session.commit()
    return render_question(q)


# 同问 and taking it back are the reader's own part of the page (metoo_box), not the skeleton's.
PAGE_ACTIONS = frozenset(Action) - questions.METOO_ACTIONS


def render_question(q: Question, bound: dict[Action, FlaskForm] | None = None, status: int = 200):
    """The question page, with a fresh form for every allowed action (or the one just submitted)."""
    now, cal = clock.now(), clock.work_calendar()
    # the user itself, not Flask-Login's proxy: the rules below read its attributes a few hundred times
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    hidden_because = concealed(q, viewer)
    visible = hidden_because is None
    full = questions.may_see_unmasked(q, viewer)
    allowed = questions.allowed_actions(q, viewer, now, among=PAGE_ACTIONS)
    forms = _fresh_forms(q, allowed) | (bound or {})
    _fill_choices(q, forms)
    shown = questions.attached(q) if visible else questions.NOTHING_ATTACHED
    return render_template(
        "questions/question.html",
        q=q,
        visible=visible,
        hidden_because=hidden_because,
        allowed=allowed,
        forms=forms,
        title=title_for(q, viewer),
        body_html=privacy.body_html_for(q, full),
        timing=questions.timing(q, now, cal),
        has_action_card=bool(allowed - questions.INTERNAL_ACTIONS),
        asker=asker_name(q, viewer),
        events=event_lines(q, viewer) if visible else [],
        linked_posts=questions.linked_posts(q) if shown.posts else [],
        question_photos=_visible(photos.of_question(q), viewer, now) if shown.photos else [],
        event_photos={e: _visible(ps, viewer, now) for e, ps in photos.of_events(q).items()} if shown.photos else {},
        is_asker=questions.is_asker(viewer, q),
        awaits_answer=questions.awaits_followup_answer(q),
        deadline_label=questions.deadline_label(q),
        terms=settings().terms,
        templates=_templates(q) if Action.REPLY in allowed else [],
        can_report=viewer is not None and visible,
        can_cite=visible and questions.is_department_staff(viewer, q),
        internal=internal_panel(q, viewer, forms),
        office_notices=office_notices(q) if shown.supervisions else None,
        assisting=assisting_names(q) if shown.assists else "",
    ), status


@holes.renderer("metoo")
def metoo_box(question_id: str) -> str:
    """The 同问 count and the button this reader may press (add, take back, or sign in first)."""
    q = questions.by_id(int(question_id))
    viewer = current_user._get_current_object() if current_user.is_authenticated else None
    allowed = questions.metoo_actions(q, viewer)
    return holes.render(
        "questions/_metoo.html",
        q=q,
        allowed=allowed,
        forms={a: action_form(a, formdata=None) for a in allowed},
        metoo_open=viewer is None and questions.open_to_metoo(q),
    )


def _visible(items: list[Photo], viewer, now) -> list[Photo]:
    return [p for p in items if photos.may_see(p, viewer, now)]


_FORMS: dict[Action, type[FlaskForm]] = {
    Action.ACCEPT: ActionForm,
    Action.DECLINE: ReasonForm,
    Action.TRANSFER: TransferForm,
    Action.PROGRESS: TextForm,
    Action.REPLY: ReplyForm,
    Action.FOLLOWUP: TextForm,
    Action.RATE: RateForm,
    Action.HIDE: HideForm,
    Action.UNHIDE: ActionForm,
    Action.REDACT: RedactForm,
    Action.EDIT: EditForm,
    Action.WITHDRAW: ActionForm,
    Action.APPEAL: AppealForm,
    Action.UPHOLD: UpholdForm,
    Action.REOPEN: ReopenForm,
    Action.METOO: ActionForm,
    Action.UNMETOO: ActionForm,
    Action.DISPATCH: DispatchForm,
    Action.RETURN: ReturnForm,
    Action.ASSIGN: AssignForm,
    Action.NOTE: NoteForm,
    Action.EXTEND: ExtensionForm,
    Action.SUPERVISE: SuperviseForm,
    Action.ASSIST: AssistForm,
    Action.ASSIST_DONE: ActionForm,
}


def action_form(action: Action, **kwargs) -> FlaskForm:
    """The form of one action; prefixed by the action's name, as several share a page."""
    return _FORMS[action](prefix=action.value, **kwargs)


def _fresh_forms(q: Question, allowed: frozenset[Action]) -> dict[Action, FlaskForm]:
    forms = {a: action_form(a, formdata=None) for a in allowed}
    if Action.EDIT in forms:  # the asker corrects what they typed, personal data and all
        forms[Action.EDIT].title.data = privacy.title_for(q, True)
        forms[Action.EDIT].body.data = q.unmasked_body or q.body
    if Action.REPLY in forms and (tid := request.args.get("template", "")).isdigit():
        template = db.session.get(ReplyTemplate, int(tid))
        if template is not None and template.department_id == q.department_id:  # the no-JS insert
            forms[Action.REPLY].text.data = template.body
    return forms


_DEPARTMENT_MENUS = {Action.REOPEN, Action.TRANSFER, Action.DISPATCH, Action.ASSIST}


def _fill_choices(q: Question, forms: dict[Action, FlaskForm]) -> None:
    everyone = departments.all_in_order() if forms.keys() & _DEPARTMENT_MENUS else []  # read once for them all
    if (form := forms.get(Action.REOPEN)) is not None:
        form.department.choices = department_choices(everyone)
        form.department.data = form.department.data or q.department.slug
    if (form := forms.get(Action.TRANSFER)) is not None:
        form.department.choices = department_choices([d for d in everyone if d.id != q.department_id])
    if (form := forms.get(Action.REPLY)) is not None:
        recent = db.session.scalars(questions.citeable_posts(q, clock.now()).limit(20))
        form.posts.choices = [SelectChoice(p.id, f"#{p.id} {p.body[:30]}") for p in recent]
    if (form := forms.get(Action.DISPATCH)) is not None:
        form.department.choices = department_choices(everyone)
    if (form := forms.get(Action.ASSIST)) is not None:
        form.department.choices = department_choices([d for d in everyone if d.id != q.department_id])
    if (form := forms.get(Action.ASSIGN)) is not None:
        from xtq.domain import office

        form.handler.choices = [
            SelectChoice(u.id, f"{u.display_name}（{u.title.label if u.title else ''}）") for u in office.assignable(q)
        ]
    if (form := forms.get(Action.REDACT)) is not None:
        form.target.choices = [SelectChoice("question", _("问题标题或内容"))] + [
            SelectChoice(str(e.id), f"{e.kind.label}（{e.created_at:%m-%d}）") for e in q.events if e.text
        ]


def department_choices(members: list[Department]) -> list[SelectChoice]:
    """Departments as <option>s inside an <optgroup> per group (委办局, 市区县, 公用事业)."""
    return [SelectChoice("", _("请选择部门"))] + [
        SelectChoice(d.slug, d.name, optgroup=group.label) for group, ds in departments.grouped(members) for d in ds
    ]


def _templates(q: Question) -> list[ReplyTemplate]:
    return list(
        db.session.scalars(
            db.select(ReplyTemplate).where(ReplyTemplate.department_id == q.department_id).order_by(ReplyTemplate.id)
        )
    )


# ---------------------------------------------------------------- acting on a question


def perform(
    question_id: int, action: Action, call: Callable[[Question, FlaskForm], object], done: str, anchor: str = "#history"
) -> Response | tuple:
    """Check who may act, validate the action's form, call the domain, commit, flash, redirect.

    Shared by the asker's, the staff's and the admin's action views.
    """
    q = questions.for_update(question_id) or abort(404)
    now = clock.now()
    if questions.close_if_stale(q, now):
        db.session.commit()
        q = questions.for_update(question_id)
    refused = questions.refusal(q, current_user, action, now)
    if isinstance(refused, PermissionDenied):
        abort(403)
    if refused is not None:
        flash(refused.message, "error")
        return redirect(url_for("questions.question", question_id=q.id))
    form = action_form(action)
    _fill_choices(q, {action: form})
    if form.validate_on_submit():
        try:
            call(q, form)
        except DomainError as e:
            db.session.rollback()
            if not on_form(form, e):
                flash(e.message, "error")
                return redirect(url_for("questions.question", question_id=q.id))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("questions.question", question_id=q.id) + anchor)
    return render_question(q, {action: form}, status=400)


def with_photos(call: Callable[[Question, FlaskForm], QuestionEvent]) -> Callable[[Question, FlaskForm], QuestionEvent]:
    """An action that writes an event, with the form's photos attached to that event.

    The photos are checked first, so a refused one stops the action with nothing written.
    """

    def run(q: Question, form: FlaskForm) -> QuestionEvent:
        prepared = photos.prepare(uploads(getattr(form, "photos", None)))
        event = call(q, form)
        if prepared:
            db.session.flush()
            photos.store(prepared, current_user, now=clock.now(), event=event)
        return event

    return run


@bp.post("/q/<int:question_id>/followup")
@accepts_photos
@login_required
def followup(question_id: int):
    """The asker asks more after a reply, with photos if any."""
    return perform(
        question_id,
        Action.FOLLOWUP,
        with_photos(
            lambda q, f: questions.followup(q, current_user, f.text.data, now=clock.now(), cal=clock.work_calendar())
        ),
        _("追问已提交，部门会尽快答复。"),
    )


@bp.post("/q/<int:question_id>/rate")
@login_required
def rate(question_id: int):
    """The asker rates the reply: satisfied closes, unsatisfied reopens."""
    return perform(
        question_id,
        Action.RATE,
        lambda q, f: questions.rate(
            q, current_user, f.rating.data, f.comment.data or "", now=clock.now(), cal=clock.work_calendar()
        ),
        _("感谢您的评价。"),
    )


@bp.post("/q/<int:question_id>/metoo")
@login_required
def metoo(question_id: int):
    """同问: another citizen adds their weight to an open question."""
    return perform(
        question_id,
        Action.METOO,
        lambda q, f: metoo_rules.me_too(q, current_user, now=clock.now()),
        _("已同问。部门会看到有多少网友关心这个问题。"),
        anchor="#metoo",
    )


@bp.post("/q/<int:question_id>/unmetoo")
@login_required
def unmetoo(question_id: int):
    """Take one's 同问 back."""
    return perform(
        question_id, Action.UNMETOO, lambda q, f: metoo_rules.undo(q, current_user), _("已取消同问。"), anchor="#metoo"
    )


# ---------------------------------------------------------------- finding questions


@bp.get("/track")
def track():
    """Look a question up by its tracking code, no account needed."""
    form = TrackForm(request.args)
    found, timing, searched = None, None, "code" in request.args
    if searched and form.validate():
        found = questions.by_tracking_code(form.code.data)
        if found is not None:
            if questions.close_if_stale(found, clock.now()):
                db.session.commit()
            timing = questions.timing(found, clock.now(), clock.work_calendar())
    return render_template("questions/track.html", form=form, found=found, timing=timing, searched=searched)


@bp.get("/timeline")
@page_cache.for_readers()
def timeline():
    """The city-wide question-and-reply timeline, newest activity first, with filters."""
    slug = request.args.get("department")
    dept = departments.by_slug(slug) if slug else None
    if dept is not None:  # one department's questions: kept across writes to the others
        page_cache.depends_on(dept.id)
    else:
        page_cache.shows(page_cache.QUESTIONS)
    form, select = _filtered(questions.public_questions(), dept)
    hot = request.args.get("sort") == "hot"
    if hot:  # one short ranked list (HOT_SIZE), no further pages
        page, items = None, metoo_rules.hot(clock.now(), questions=select)
    else:
        page = paginate(
            select, Question.last_activity_at, Question.id, request.args.get("after"), current_app.config["PAGE_SIZE"]
        )
        items = page.items
    viewer = current_user if current_user.is_authenticated else None
    filters = {k: v for k, v in request.args.items() if k in ("department", "group", "status", "category") and v}
    return render_template(
        "questions/timeline.html",
        form=form,
        page=page,
        filters=filters,
        hot=hot,
        hot_days=metoo_rules.HOT_DAYS,
        rows=rows(items, viewer, clock.now(), clock.work_calendar()),
    )


def _filtered(select, dept: Department | None):
    form = TimelineFilterForm(request.args)
    everyone = departments.names_in_order()
    form.department.choices = [SelectChoice("", _("全部部门"))] + [SelectChoice(d.slug, d.short_name) for d in everyone]
    form.group.choices = [SelectChoice("", _("全部分组"))] + [SelectChoice(g.value, g.label) for g in DeptGroup]
    args = request.args
    if dept is not None:
        select = select.where(Question.department_id == dept.id)
    if args.get("group") in {g.value for g in DeptGroup}:
        select = select.where(
            Question.department_id.in_(db.select(Department.id).where(Department.group == DeptGroup(args["group"])))
        )
    status = args.get("status", "")
    if status == "overdue":
        select = select.where(questions.overdue_filter(clock.now()))
    elif status in {s.value for s in QuestionStatus}:
        select = select.where(Question.status == QuestionStatus(status))
    if category := args.get("category"):
        select = select.where(Question.category == category)
    return form, select


@bp.get("/me/questions")
@login_required
def mine():
    """我的问政: the questions I asked, hidden ones included."""
    select = db.select(Question).where(Question.asker_id == current_user.id)
    page = paginate(
        select, Question.last_activity_at, Question.id, request.args.get("after"), current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "questions/mine.html", page=page, rows=rows(page.items, current_user, clock.now(), clock.work_calendar())
    )
