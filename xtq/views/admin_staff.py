"""The office's staff accounts (/admin/staff), the set-password link, and a department's profile.

A new or reset account's set-password link is shown once on the page that answers the POST
(or e-mailed when SMTP is configured and the account has an address); it is never stored.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from wtforms.fields.choices import SelectChoice

from xtq import clock
from xtq.domain import departments, staff
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.forms import ActionForm
from xtq.forms.accounts import (
    BylinesForm,
    MoveForm,
    ProfileForm,
    SetPasswordForm,
    StaffForm,
    StaffImportForm,
    TitleForm,
)
from xtq.mail import Mail, queue
from xtq.models import AuditLog, Role, StaffTitle, User
from xtq.pagination import paginate
from xtq.views._rules import apply, flash_errors, guard
from xtq.views.roles import role_required

bp = Blueprint("admin_staff", __name__)


def _department_choices(blank: str | None = None) -> list[SelectChoice]:
    first = [SelectChoice("", blank)] if blank else []
    return first + [
        SelectChoice(d.slug, d.name, optgroup=g.label)
        for g, ds in departments.grouped(departments.all_in_order())
        for d in ds
    ]


def _staff_form() -> StaffForm:
    form = StaffForm()
    form.department.choices = _department_choices(_("请选择"))
    return form


def _links(users: list[User]) -> list[tuple[User, str | None]]:
    """Each user's one-time link, or None when it went by e-mail instead."""
    config, out = current_app.config, []
    for user in users:
        link = url_for(
            "admin_staff.set_password", token=staff.password_token(user, config["SECRET_KEY"]), _external=True
        )
        if user.email and config.get("MAIL_SERVER"):
            queue(
                db.session,
                Mail.from_config(
                    config,
                    to=user.email,
                    subject=_("心通桥：请设置您的密码"),
                    body=_("请在 7 天内打开下面的链接设置密码（只能使用一次）：") + "\n\n" + link,
                ),
            )
            link = None
        out.append((user, link))
    return out


@bp.get("/admin/staff")
@role_required(Role.ADMIN)
def index(form: StaffForm | None = None, import_form: StaffImportForm | None = None):
    """Staff and admin accounts, searchable by department, title and name; create and import."""
    args = request.args
    dept = departments.by_slug(args.get("department", ""))
    title = args.get("title", "") if args.get("title", "") in {t.value for t in StaffTitle} else ""
    search = args.get("q", "")[:40]
    select = staff.accounts_select(department=dept, title=StaffTitle(title) if title else None, search=search)
    page = paginate(select, User.created_at, User.id, args.get("after"), current_app.config["PAGE_SIZE"])
    bylines = None
    if dept is not None:
        bylines = BylinesForm(formdata=None, show=dept.show_staff_names)
    return render_template(
        "admin_staff/index.html",
        page=page,
        dept=dept,
        title=title,
        search=search,
        department_choices=_department_choices(_("全部部门")),
        titles=list(StaffTitle),
        form=form or _staff_form(),
        import_form=import_form or StaffImportForm(),
        bylines=bylines,
        filters={k: v for k, v in (("department", dept.slug if dept else ""), ("title", title), ("q", search)) if v},
    )


@bp.post("/admin/staff")
@role_required(Role.ADMIN)
def create():
    """Create a spokesperson or liaison and show their one-time set-password link."""
    form = _staff_form()
    if form.validate_on_submit():
        try:
            user = staff.create(
                current_user,
                username=form.username.data,
                display_name=form.display_name.data,
                department=departments.by_slug(form.department.data),
                title=form.title.data,
                email=form.email.data,
                now=clock.now(),
            )
        except DomainError as e:
            db.session.rollback()
            getattr(form, e.field or "username").errors.append(e.message)
        else:
            links = _links([user])
            db.session.commit()
            return render_template("admin_staff/created.html", links=links, heading=_("账号已创建"))
    return index(form=form)


@bp.post("/admin/staff/import")
@role_required(Role.ADMIN)
def import_csv():
    """Create every account of a CSV file after checking all of it; a refused file creates none."""
    form = StaffImportForm()
    if not form.validate_on_submit():
        return index(import_form=form)
    raw = form.file.data.read(1_000_001)
    try:
        if len(raw) > 1_000_000:
            raise staff.CsvRefused([_("文件太大（最多 1 MB）。")])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise staff.CsvRefused([_("文件不是 UTF-8 编码，请在表格软件里另存为“CSV UTF-8”。")]) from None
        users = staff.import_csv(current_user, text, now=clock.now())
    except staff.CsvRefused as e:
        db.session.rollback()
        form.file.errors = [e.message, *e.problems]
        return index(import_form=form)
    links = _links(users)
    db.session.commit()
    return render_template(
        "admin_staff/created.html", links=links, heading=_("已导入 %(count)s 个账号", count=len(users))
    )


def _account(user_id: int) -> User:
    try:
        return staff.account(user_id)
    except DomainError:
        abort(404)


@bp.get("/admin/staff/<int:user_id>")
@role_required(Role.ADMIN)
def account(user_id: int):
    """One account: its state, what may be changed, and its audit history."""
    user = _account(user_id)
    move_form = MoveForm(formdata=None, department=user.department.slug if user.department else "")
    move_form.department.choices = _department_choices()
    history = db.session.scalars(
        db.select(AuditLog)
        .where(AuditLog.target_type == "user", AuditLog.target_id == user.id)
        .order_by(AuditLog.id.desc())
        .limit(50)
    )
    return render_template(
        "admin_staff/account.html",
        user=user,
        move_form=move_form,
        history=list(history),
        title_form=TitleForm(formdata=None, title=user.title.value if user.title else ""),
        action_form=ActionForm(),
    )


def _change(user_id: int, call, success: str, form=None):
    user = _account(user_id)
    form = form or ActionForm()
    if form.validate_on_submit():
        apply(lambda: call(user), success)
    else:
        flash_errors(form)
    return redirect(url_for("admin_staff.account", user_id=user_id))


@bp.post("/admin/staff/<int:user_id>/disable")
@role_required(Role.ADMIN)
def disable(user_id: int):
    """Disable the account: it cannot log in, and its sessions end now."""
    return _change(user_id, lambda u: staff.disable(current_user, u, now=clock.now()), _("账号已停用。"))


@bp.post("/admin/staff/<int:user_id>/enable")
@role_required(Role.ADMIN)
def enable(user_id: int):
    """Enable a disabled account again."""
    return _change(user_id, lambda u: staff.enable(current_user, u, now=clock.now()), _("账号已启用。"))


@bp.post("/admin/staff/<int:user_id>/reset")
@role_required(Role.ADMIN)
def reset(user_id: int):
    """Reset the password: the old one and every session stop working; a new link is shown once."""
    user = _account(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin_staff.account", user_id=user_id))
    try:
        staff.reset_password(current_user, user, now=clock.now())
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
        return redirect(url_for("admin_staff.account", user_id=user_id))
    links = _links([user])
    db.session.commit()
    return render_template("admin_staff/created.html", links=links, heading=_("密码已重置"))


@bp.post("/admin/staff/<int:user_id>/move")
@role_required(Role.ADMIN)
def move(user_id: int):
    """Move a staff member to another department."""
    form = MoveForm()
    form.department.choices = _department_choices()
    return _change(
        user_id,
        lambda u: staff.move(current_user, u, departments.by_slug(form.department.data), now=clock.now()),
        _("已调整部门。"),
        form,
    )


@bp.post("/admin/staff/<int:user_id>/title")
@role_required(Role.ADMIN)
def change_title(user_id: int):
    """Make a liaison a spokesperson or the other way round."""
    form = TitleForm()
    return _change(
        user_id,
        lambda u: staff.change_title(current_user, u, form.title.data, now=clock.now()),
        _("职务已修改。"),
        form,
    )


@bp.post("/admin/departments/<slug>/bylines")
@role_required(Role.ADMIN)
def bylines(slug: str):
    """Whether this department's signed posts and replies show the signer's name."""
    dept = departments.by_slug(slug)
    if dept is None:
        abort(404)
    form = BylinesForm()
    if form.validate_on_submit():
        apply(lambda: staff.set_show_names(current_user, dept, form.show.data, now=clock.now()), _("署名设置已保存。"))
    return redirect(url_for("admin_staff.index", department=slug))


@bp.route("/account/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The one-time link: the account's owner chooses a password and is logged in with it."""
    secret = current_app.config["SECRET_KEY"]
    try:
        user = staff.user_for_token(token, secret)
    except DomainError as e:
        return render_template("admin_staff/set_password.html", error=e.message, form=None), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        if apply(
            lambda: staff.set_password(token, form.password.data, secret, now=clock.now()),
            _("密码已设置，以后请用新密码登录。"),
            form,
        ):
            logout_user()  # whoever was logged in on this browser
            login_user(user)
            return redirect(url_for("console.index" if user.is_staff else "admin.index"))
    return render_template("admin_staff/set_password.html", user=user, form=form, error=None)


@bp.route("/console/profile", methods=["GET", "POST"])
@role_required(Role.STAFF)
def profile():
    """The department's public profile, edited by its spokesperson."""
    guard(lambda: staff.require_spokesperson(current_user))
    dept = current_user.department
    form = ProfileForm(obj=dept)
    if form.validate_on_submit():
        if apply(
            lambda: staff.update_profile(
                current_user, now=clock.now(), **{name: getattr(form, name).data for name in staff.PROFILE_LIMITS}
            ),
            _("部门资料已保存。"),
            form,
        ):
            return redirect(url_for("admin_staff.profile"))
    return render_template("admin_staff/profile.html", form=form, dept=dept)
