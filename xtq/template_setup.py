"""Template filters and the few values every page needs."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from xtq import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def localtime(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC moment as Beijing time."""
    return "" if moment is None else moment.astimezone(SHANGHAI).strftime(fmt)


def reltime(moment: datetime | None) -> str:
    """'3 分钟前' style for recent moments, the date for older ones."""
    if moment is None:
        return ""
    seconds = (clock.now() - moment).total_seconds()
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟前"
    if seconds < 86400:
        return f"{int(seconds // 3600)} 小时前"
    if seconds < 86400 * 7:
        return f"{int(seconds // 86400)} 天前"
    return localtime(moment, "%Y-%m-%d")


def timetag(moment: datetime | None) -> Markup:
    """A <time> element with the exact Beijing time as its title."""
    if moment is None:
        return Markup("")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        moment.isoformat(), localtime(moment), reltime(moment)
    )


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(localtime=localtime, reltime=reltime, timetag=timetag)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site():
        from xtq.views.prefs import care_mode

        return {"site_name": app.config["SITE_NAME"], "city_name": app.config["CITY_NAME"], "care_mode": care_mode()}
