"""Register, log in, log out, and reset a forgotten password by e-mail."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from xtq import clock
from xtq.domain import accounts, email_addresses
from xtq.domain.errors import DomainError
from xtq.extensions import db, limiter
from xtq.forms.accounts import ForgotForm, LoginForm, RegisterForm, ResetForm
from xtq.web.security import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def login():
    """Log in; the error never says whether the account exists."""
    if current_user.is_authenticated:
        return redirect(url_for("hall.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("欢迎回来，%(display_name)s。", display_name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next"), url_for("hall.index")))
        form.password.errors.append(_("用户名或密码错误。"))
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_LIMIT"], methods=["POST"])
def register():
    """Public registration makes citizen accounts only."""
    if current_user.is_authenticated:
        return redirect(url_for("hall.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register_citizen(
                form.username.data, form.display_name.data, form.password.data, now=clock.now()
            )
        except DomainError as e:
            db.session.rollback()
            getattr(form, e.field or "username").errors.append(e.message)
        else:
            db.session.commit()
            login_user(user)
            flash(_("注册成功，欢迎来到心通桥。"), "success")
            return redirect(safe_next(request.args.get("next"), url_for("hall.index")))
    return render_template("auth/register.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST, so that a link on another site cannot log anyone out)."""
    logout_user()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("hall.index"))


def _reset_address_key() -> str:
    """Rate-limit key: the address asked for, so that one inbox cannot be flooded from many machines."""
    return "reset:" + (request.form.get("email") or "").strip().lower()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["RESET_ADDRESS_LIMIT"], methods=["POST"], key_func=_reset_address_key)
def forgot():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form = ForgotForm()
    if form.validate_on_submit():
        email_addresses.request_reset(form.email.data, now=clock.now())
        db.session.commit()
        flash(
            _(
                "如果这个邮箱属于某个账号，重设密码的链接已经发到这个邮箱，%(minutes)s 分钟内有效。",
                minutes=email_addresses.RESET_MINUTES,
            ),
            "info",
        )
        return redirect(url_for("auth.forgot"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_LIMIT"], methods=["POST"])
def reset(token: str):
    """The link in the reset e-mail: choose a new password (the link then stops working)."""
    try:
        email_addresses.reset_target(token, now=clock.now())
    except DomainError as e:
        return render_template("auth/reset.html", form=None, refused=e.message), 400
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = email_addresses.reset(token, form.password.data, now=clock.now())
        except DomainError as e:
            db.session.rollback()
            form.password.errors.append(e.message)
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            return render_template(
                "account/message.html",
                title=_("密码已重设"),
                action=(url_for("auth.login"), _("登录")),
                message=_("请用新密码登录。您的用户名是 %(username)s。", username=user.username),
            )
    return render_template("auth/reset.html", form=form, refused=None)
