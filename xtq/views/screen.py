"""The big screen for the projector at /screen, and the small JSON it polls."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from xtq import clock
from xtq.domain import figures, launch, screen
from xtq.views.launch import ceremony_state
from xtq.web import qr, site_state
from xtq.web.cover import sees_real_site
from xtq.web.templating import isotime, localtime

bp = Blueprint("screen", __name__, url_prefix="/screen")
POLL_SECONDS = 4
CEREMONY_SHOWN_FOR = 180  # seconds a completed ceremony stays in the feed, so late screens still play it


@bp.get("")
def index():
    """The wall: hall name, live figures, newest posts and replies, the ceremony, a QR code to the hall."""
    theme = "light" if request.args.get("theme") == "light" else "dark"
    hall_url = (current_app.config.get("SITE_URL") or request.host_url).rstrip("/") + url_for("hall.index")
    return render_template(
        "screen/index.html",
        data=feed(),
        theme=theme,
        hall_url=hall_url,
        qr=qr.svg(hall_url, _("扫码进入发布厅")),
        poll_ms=POLL_SECONDS * 1000,
    )


@bp.get("/data.json")
def data():
    """Everything the wall shows, in a few small queries."""
    return feed(), 200, {"Cache-Control": "no-store"}


def feed() -> dict:
    now = clock.now()
    state = site_state.current()
    content = state.is_public or sees_real_site()  # before the launch the public screen shows no content
    ceremony = launch.latest_ceremony()
    if (
        ceremony is not None
        and not ceremony.is_open
        and (now - ceremony.completed_at).total_seconds() > CEREMONY_SHOWN_FOR
    ):
        ceremony = None
    return {
        "now": now.isoformat(),
        "clock": localtime(now, "time"),
        "hall": {
            "public": state.is_public,
            "launch_at": state.launch_at.isoformat() if state.launch_at else None,
            "launch_at_text": localtime(state.launch_at, "short") if state.launch_at else None,
        },
        "figures": figures.screen_counts(now) if content else None,
        "posts": [
            {
                "id": p.id,
                "department": p.department,
                "kind": p.kind,
                "text": p.text,
                "time": _when(p.at, now),
                "at": isotime(p.at),
            }
            for p in (screen.newest_posts(now) if content else [])
        ],
        "replies": [
            {
                "id": r.id,
                "department": r.department,
                "title": r.title,
                "reply": r.reply,
                "time": _when(r.at, now),
                "at": isotime(r.at),
                "metoo": ngettext("%(num)d 人同问", "%(num)d 人同问", r.metoo) if r.metoo else "",
                "thumb": url_for("media.thumb", photo_id=r.photo_id) if r.photo_id else None,
            }
            for r in (screen.newest_replies(now) if content else [])
        ],
        "ceremony": ceremony_state(ceremony),
    }


def _when(moment, now) -> str:
    same_day = localtime(moment, "date") == localtime(now, "date")
    return localtime(moment, "time" if same_day else "short")
