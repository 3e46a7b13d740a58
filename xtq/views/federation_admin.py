"""/admin/federation: each department's fediverse account on or off, followers by server, the job
queue, dead letters, blocked domains."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from xtq import clock
from xtq.domain import departments
from xtq.federation import admin
from xtq.federation.forms import ActionForm, BlockForm, SwitchForm
from xtq.models import Role
from xtq.views._rules import apply, flash_errors, guard
from xtq.views.roles import restrict

bp = Blueprint("federation_admin", __name__, url_prefix="/admin/federation")
restrict(bp, Role.ADMIN)


@bp.get("")
def index(block_form: BlockForm | None = None):
    """What the fediverse side of the hall is doing."""
    guard(lambda: admin.require_admin(current_user))
    return render_template(
        "federation/admin.html",
        overview=admin.overview(),
        block_form=block_form or BlockForm(),
        switch_form=SwitchForm(),
        action_form=ActionForm(),
    )


@bp.post("/departments/<slug>")
def switch(slug: str):
    """Turn one department's account on or off."""
    form = SwitchForm()
    department = departments.by_slug(slug) or abort(404)
    if form.validate_on_submit():
        on = form.on.data == "1"
        apply(
            lambda: admin.set_enabled(current_user, department, on, now=clock.now()),
            _("%(name)s 的联邦账号已开启。", name=department.short_name)
            if on
            else _("%(name)s 的联邦账号已关闭。", name=department.short_name),
        )
    return redirect(url_for(".index"))


@bp.post("/blocks")
def block():
    """Block a remote domain."""
    form = BlockForm()
    if form.validate_on_submit():
        if apply(
            lambda: admin.block(current_user, form.host.data, form.reason.data or "", now=clock.now()),
            _("已屏蔽该域名。"),
            form,
        ):
            return redirect(url_for(".index"))
    else:
        flash_errors(form)
    return index(block_form=form), 400


@bp.post("/blocks/<host>/delete")
def unblock(host: str):
    """Lift a block."""
    if ActionForm().validate_on_submit():
        apply(lambda: admin.unblock(current_user, host, now=clock.now()), _("已解除屏蔽。"))
    return redirect(url_for(".index"))


@bp.post("/deliveries/<int:delivery_id>/retry")
def retry(delivery_id: int):
    """Send a dead letter once more."""
    if ActionForm().validate_on_submit():
        apply(lambda: admin.retry(current_user, delivery_id, now=clock.now()), _("已重新发送。"))
    return redirect(url_for(".index"))
