"""My account: e-mail address (added or changed through a verification link), which e-mails I get,
the districts whose service notices I want, and the one-click unsubscribe link in every e-mail."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from xtq import clock
from xtq.domain import email_addresses, notices
from xtq.domain.errors import DomainError
from xtq.domain.notifications import Topic, unsubscribe, unsubscribe_target, wants_email
from xtq.extensions import csrf, db, limiter
from xtq.forms import ActionForm
from xtq.forms.accounts import DistrictsForm, EmailForm, PreferencesForm

bp = Blueprint("account", __name__)


@bp.get("/account")
@login_required
def index():
    """My e-mail address, what I am told by e-mail, and my districts."""
    return _page()


def _page(email_form: EmailForm | None = None, districts_form: DistrictsForm | None = None, status: int = 200):
    prefs = PreferencesForm(formdata=None, data={t.value: wants_email(current_user, t) for t in Topic})
    for topic in Topic:
        prefs[topic.value].label.text = topic.label
    if districts_form is None:
        districts_form = _districts_form(
            formdata=None,
            data={
                "districts": (current_user.notice_districts or "").split(),
                "streets": current_user.notice_streets or "",
            },
        )
    return render_template(
        "account/index.html",
        email_form=email_form or EmailForm(formdata=None),
        prefs=prefs,
        districts_form=districts_form,
        remove_form=ActionForm(),
        mail_on=bool(current_app.config.get("MAIL_SERVER")),
        district_names=notices.district_names(),
        verify_hours=email_addresses.VERIFY_HOURS,
    ), status


def _districts_form(**kwargs) -> DistrictsForm:
    form = DistrictsForm(**kwargs)
    form.districts.choices = [SelectChoice(slug, name) for slug, name in notices.district_names().items()]
    return form


@bp.post("/account/email")
@login_required
@limiter.limit(lambda: current_app.config["EMAIL_LIMIT"])
def email():
    """Add or change my address: a verification link goes to the new one."""
    form = EmailForm()
    if form.validate_on_submit():
        try:
            email_addresses.request_change(current_user, form.email.data, now=clock.now())
        except DomainError as e:
            db.session.rollback()
            form.email.errors.append(e.message)
        else:
            db.session.commit()
            flash(
                _(
                    "确认邮件已发送到 %(address)s，请在 %(hours)s 小时内打开其中的链接。",
                    address=form.email.data,
                    hours=email_addresses.VERIFY_HOURS,
                ),
                "success",
            )
            return redirect(url_for("account.index"))
    return _page(email_form=form, status=400)


@bp.post("/account/email/remove")
@login_required
def remove_email():
    """Stop using e-mail: forget my address (and any address waiting for its link)."""
    if ActionForm().validate_on_submit():
        email_addresses.remove(current_user)
        db.session.commit()
        flash(_("已删除邮箱，不会再给您发邮件。"), "info")
    return redirect(url_for("account.index"))


@bp.get("/account/email/verify/<token>")
def verify(token: str):
    """The link in the verification e-mail: the pending address becomes the account's."""
    try:
        user = email_addresses.verify(token, now=clock.now())
    except DomainError as e:
        db.session.rollback()
        return render_template("account/message.html", title=_("邮箱确认失败"), message=e.message), 400
    db.session.commit()
    return render_template(
        "account/message.html",
        title=_("邮箱已确认"),
        message=_("%(address)s 已确认，通知会发到这个邮箱。", address=user.email),
    )


@bp.post("/account/notifications")
@login_required
def preferences():
    """Which notifications also come by e-mail (the bell keeps all of them)."""
    form = PreferencesForm()
    if form.validate_on_submit():
        for topic in Topic:
            setattr(current_user, f"notify_{topic.value}", bool(form[topic.value].data))
        db.session.commit()
        flash(_("邮件提醒设置已保存。"), "success")
    return redirect(url_for("account.index") + "#notifications")


@bp.post("/account/districts")
@login_required
def districts():
    """The districts (and optionally streets) whose service notices I want to hear about."""
    form = _districts_form()
    if form.validate_on_submit():
        current_user.notice_districts = " ".join(form.districts.data) or None
        current_user.notice_streets = " ".join((form.streets.data or "").split()) or None
        db.session.commit()
        flash(_("关注的区县已保存。"), "success")
        return redirect(url_for("account.index") + "#districts")
    return _page(districts_form=form, status=400)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs without a form; the signed token is the credential
def unsubscribe_link(token: str):
    """The link in every notification e-mail: turn that kind of e-mail off, no login needed."""
    target = unsubscribe_target(token) or abort(404)
    user, topic = target
    if request.method == "POST":
        unsubscribe(user, topic)
        db.session.commit()
        return render_template(
            "account/message.html",
            title=_("已退订"),
            message=_("不会再给您发送“%(topic)s”的邮件。可以随时在账户设置中重新开启。", topic=topic.label),
        )
    return render_template("account/unsubscribe.html", topic=topic)
