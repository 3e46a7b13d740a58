"""Template filters and the few values every page needs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from xtq import clock
from xtq.domain import messages, notifications
from xtq.i18n import LANGUAGES, N_, current_language, format_moment, html_lang, js_text
from xtq.web import holes

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The default SITE_NAME and CITY_NAME (xtq/config.py), so that the catalogues carry them; a
# deployer's own names show as configured unless they add them to the catalogues.
DEFAULT_NAMES = (N_("心通桥 微博发布厅"), N_("郑州市"))


def localtime(moment: datetime | None, style: str = "datetime") -> str:
    """A UTC moment as Beijing time: style datetime, date, short (month, day, time) or day."""
    return format_moment(moment, style)


def age(moment: datetime | None) -> tuple[str, int]:
    """What reltime shows for ``moment``, before it is put in words: ("minutes", 3) and the like."""
    if moment is None:
        return ("none", 0)
    seconds = (clock.now() - moment).total_seconds()
    if seconds < 60:
        return ("now", 0)
    if seconds < 3600:
        return ("minutes", int(seconds // 60))
    if seconds < 86400:
        return ("hours", int(seconds // 3600))
    if seconds < 86400 * 7:
        return ("days", int(seconds // 86400))
    return ("date", 0)


def reltime(moment: datetime | None) -> str:
    """'3 分钟前' style for recent moments, the date for older ones."""
    unit, n = age(moment)
    if unit == "none":
        return ""
    if unit == "now":
        return _("刚刚")
    if unit == "minutes":
        return ngettext("%(num)d 分钟前", "%(num)d 分钟前", n)
    if unit == "hours":
        return ngettext("%(num)d 小时前", "%(num)d 小时前", n)
    if unit == "days":
        return ngettext("%(num)d 天前", "%(num)d 天前", n)
    return localtime(moment, "date")


def isotime(moment: datetime | None) -> str:
    """A moment for a <time datetime> attribute: HTML allows at most three digits of a second."""
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def timetag(moment: datetime | None) -> Markup:
    """A <time> element with the exact Beijing time as its title."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        isotime(moment), localtime(moment), reltime(moment)
    )


def csrf_input() -> Markup:
    """The CSRF token as a hidden field without an id: a page may hold many forms."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        localtime=localtime,
        reltime=reltime,
        timetag=timetag,
        isotime=isotime,
        message=messages.text_of,
        known=messages.known,
    )
    app.jinja_env.globals["csrf_input"] = csrf_input
    app.jinja_env.globals["hole"] = holes.hole
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site():
        from xtq.views.prefs import care_mode

        return {
            "site_name": _(app.config["SITE_NAME"]),
            "city_name": _(app.config["CITY_NAME"]),
            "care_mode": care_mode(),
            "html_lang": html_lang(),
            "js_text": js_text,
            "language": current_language(),
            "languages": LANGUAGES,
            "unread_count": _unread_count(),
        }


def _unread_count() -> int:
    """The header bell's count: one small indexed query per page, for signed-in users only."""
    if not current_user.is_authenticated:
        return 0
    environ = request.environ  # per request (tests share one g across requests)
    if "xtq.unread_count" not in environ:
        environ["xtq.unread_count"] = notifications.unread_count(current_user)
    return environ["xtq.unread_count"]


@holes.renderer("account")
def account_menu() -> str:
    """The header's bell, name and sign-out for the reader (or the sign-in links)."""
    return holes.render("_partials/account_menu.html", unread_count=_unread_count())
