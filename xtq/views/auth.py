"""Register, log in, log out."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from xtq import clock
from xtq.domain import accounts
from xtq.domain.errors import DomainError
from xtq.extensions import db, limiter
from xtq.forms.accounts import LoginForm, RegisterForm
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
