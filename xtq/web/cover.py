"""The 即将上线 cover: while a launch is scheduled the public sees it instead of the hall."""

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from xtq import clock
from xtq.web import site_state

# Reachable while the public sees the cover: logging in, the ceremony itself, the screen, health.
OPEN_DURING_COVER = {"static", "auth.login", "auth.logout", "hall.healthz", "prefs.care"}
OPEN_BLUEPRINTS = {"launch", "screen"}


def sees_real_site() -> bool:
    return current_user.is_authenticated and (current_user.is_staff or current_user.is_admin)


def cover():
    """While a launch is scheduled the public gets the 即将上线 cover; staff and the admin the real site."""
    state = site_state.current()
    if state.is_public or request.endpoint is None or request.endpoint in OPEN_DURING_COVER:
        return None
    if request.blueprint in OPEN_BLUEPRINTS or sees_real_site():
        return None
    if request.path.startswith("/api/"):
        return {"error": {"code": 503, "message": _("发布厅即将上线。")}}, 503, {"Retry-After": "600"}
    return render_template("launch/cover.html", launch_at=state.launch_at, now=clock.now())


def prelaunch():
    """Staff and the admin are told when the public sees the cover instead of this page."""
    state = site_state.current()
    return {"prelaunch_at": None if state.is_public else state.launch_at}


def init_app(app: Flask) -> None:
    app.before_request(cover)
    app.context_processor(prelaunch)
