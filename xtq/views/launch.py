"""The launch: the admin's ceremony page and the guests' start buttons (the cover itself is xtq/web/cover.py)."""

from datetime import datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from xtq import clock
from xtq.domain import launch, messages
from xtq.domain.errors import DomainError, NotFound
from xtq.extensions import db
from xtq.forms import ActionForm
from xtq.forms.launch import CeremonyForm, ScheduleForm
from xtq.forms.publishing import utc
from xtq.models import Ceremony
from xtq.views._rules import apply, flash_errors
from xtq.web import qr, site_state

bp = Blueprint("launch", __name__, url_prefix="/launch")


@bp.get("")
def index():
    """The admin runs the launch here; a guest on a phone types a start code."""
    if not (current_user.is_authenticated and current_user.is_admin):
        return render_template("launch/guest.html", code=request.args.get("code", ""))
    state = site_state.current()
    ceremony = launch.open_ceremony()
    return render_template(
        "launch/admin.html",
        state=state,
        ceremony=ceremony,
        seats=_seat_cards(ceremony),
        last=None if ceremony else launch.latest_ceremony(),
        schedule_form=ScheduleForm(),
        ceremony_form=CeremonyForm(),
        loopback=_on_loopback(),
        screen_url=_absolute(url_for("screen.index")),
    )


@bp.post("/schedule")
def schedule():
    """Plan the launch: the public sees the cover until the ceremony."""
    form = ScheduleForm()
    if form.validate_on_submit():
        now = clock.now()
        apply(
            lambda: launch.schedule(current_user, utc(form.at.data), now=now, state=site_state.current()),
            _("已安排上线：公众现在看到“即将上线”。"),
        )
    else:
        _guard_admin()
        flash_errors(form)
    return redirect(url_for("launch.index"))


@bp.post("/unschedule")
def unschedule():
    """Call off the planned launch: the hall is public at once."""
    if ActionForm().validate_on_submit():
        apply(
            lambda: launch.unschedule(current_user, now=clock.now(), state=site_state.current()),
            _("已取消上线计划，发布厅已公开。"),
        )
    return redirect(url_for("launch.index"))


@bp.post("/ceremony")
def open_ceremony():
    """Open a ceremony (or a rehearsal) with a start code per seat."""
    form = CeremonyForm()
    if form.validate_on_submit():
        now = clock.now()
        apply(
            lambda: launch.open_new(
                current_user, form.labels(), rehearsal=form.rehearsal.data, now=now, state=site_state.current()
            ),
            _("彩排已开始：请嘉宾扫码按下启动按钮。")
            if form.rehearsal.data
            else _("上线仪式已开始：请嘉宾扫码按下启动按钮。"),
        )
    else:
        _guard_admin()
        flash_errors(form)
    return redirect(url_for("launch.index"))


@bp.post("/ceremony/<int:ceremony_id>/cancel")
def cancel(ceremony_id: int):
    """Stop an open ceremony; its codes stop working."""
    ceremony = db.session.get(Ceremony, ceremony_id) or abort(404)
    if ActionForm().validate_on_submit():
        apply(lambda: launch.cancel(current_user, ceremony, now=clock.now()), _("仪式已取消，启动码已失效。"))
    return redirect(url_for("launch.index"))


@bp.get("/seat")
def seat_lookup():
    """A typed start code goes to its seat's page."""
    code = launch.normalize_code(request.args.get("code", ""))
    if launch.seat_by_code(code) is None:
        return render_template("launch/guest.html", code=request.args.get("code", ""), unknown=True), 404
    return redirect(url_for("launch.seat", code=code))


@bp.get("/seat/<code>")
def seat(code: str):
    """A guest's start button, big enough for any phone."""
    found = launch.seat_by_code(code) or abort(404)
    ceremony = found.ceremony
    return render_template(
        "launch/seat.html",
        seat=found,
        ceremony=ceremony,
        pressed=launch.pressed_count(ceremony),
        total=len(ceremony.seats),
    )


@bp.post("/seat/<code>")
def press(code: str):
    """Press the start button (once); the last seat to press launches the hall."""
    if ActionForm().validate_on_submit():
        try:
            launch.press(code, now=clock.now())
        except NotFound:
            db.session.rollback()
            abort(404)
        except DomainError as e:
            db.session.rollback()
            current_app.logger.info("seat press refused: %s", e.message)
        else:
            db.session.commit()
    return redirect(url_for("launch.seat", code=launch.normalize_code(code)))


@bp.get("/state.json")
def state_json():
    """The latest ceremony's seats and progress (no codes), for the guests' phones and the screen."""
    return {"ceremony": ceremony_state(launch.latest_ceremony())}


def ceremony_state(ceremony: Ceremony | None) -> dict | None:
    """A ceremony as the public may see it: seats pressed or not, never the codes."""
    if ceremony is None:
        return None
    return {
        "id": ceremony.id,
        "rehearsal": ceremony.rehearsal,
        "open": ceremony.is_open,
        "completed_at": _iso(ceremony.completed_at),
        "seats": [{"label": messages.known(s.label), "pressed": s.pressed_at is not None} for s in ceremony.seats],
        "pressed": launch.pressed_count(ceremony),
        "total": len(ceremony.seats),
    }


def _seat_cards(ceremony: Ceremony | None) -> list[dict]:
    if ceremony is None:
        return []
    cards = []
    for s in ceremony.seats:
        url = _absolute(url_for("launch.seat", code=s.code))
        label = messages.known(s.label)
        cards.append(
            {
                "seat": s,
                "label": label,
                "url": url,
                "code": launch.spaced(s.code),
                "qr": qr.svg(url, _("%(label)s的启动二维码", label=label)),
            }
        )
    return cards


def _absolute(path: str) -> str:
    """An address phones can open: SITE_URL when set, else the address this page was opened with."""
    base = (current_app.config.get("SITE_URL") or request.host_url).rstrip("/")
    return base + path


def _on_loopback() -> bool:
    host = (current_app.config.get("SITE_URL") or request.host_url).split("//", 1)[-1].split(":")[0].split("/")[0]
    return host in ("127.0.0.1", "localhost", "::1", "[")


def _guard_admin() -> None:
    try:
        launch.require_admin(current_user)
    except DomainError:
        abort(403)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
