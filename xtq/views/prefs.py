"""Reader preferences kept in cookies: care mode (关怀版) for older readers, and the language."""

from flask import Blueprint, make_response, redirect, request, url_for

from xtq.i18n import LANG_COOKIE, LANGUAGES
from xtq.web.security import safe_next

bp = Blueprint("prefs", __name__)

CARE_COOKIE = "care"
ONE_YEAR = 365 * 24 * 3600


def care_mode() -> bool:
    return request.cookies.get(CARE_COOKIE) == "1"


@bp.get("/care")
def care():
    """Switch care mode on (?on=1) or off, then go back to the page the reader was on."""
    response = make_response(redirect(safe_next(request.args.get("next"), url_for("hall.index"))))
    if request.args.get("on") == "1":
        response.set_cookie(CARE_COOKIE, "1", max_age=ONE_YEAR, httponly=True, samesite="Lax")
    else:
        response.delete_cookie(CARE_COOKIE)
    return response


@bp.get("/lang")
def language():
    """Switch the interface language (?to=en or zh_CN), then go back to the page."""
    response = make_response(redirect(safe_next(request.args.get("next"), url_for("hall.index"))))
    to = request.args.get("to")
    if to in LANGUAGES:
        response.set_cookie(LANG_COOKIE, to, max_age=ONE_YEAR, httponly=True, samesite="Lax")
    return response
