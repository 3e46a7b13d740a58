"""The read-only JSON API under /api/v1, described by /api/v1/openapi.json.

One module per resource (departments, posts; questions later), sharing the helpers below:
cursor pagination with `?cursor=` and `next_cursor`, and JSON errors with a Chinese message.
"""

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from xtq.pagination import Page, decode, paginate

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LIMIT = 100


class BadParameter(Exception):
    """A query parameter the API cannot use: answered with 400 and a message."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@bp.errorhandler(BadParameter)
def bad_parameter(e: BadParameter):
    return {"error": {"code": 400, "message": e.message, "parameter": e.name}}, 400


def page_of(select, time_col, id_col) -> Page:
    """One page of `select`, newest first, from the request's `cursor` and `limit`."""
    cursor = request.args.get("cursor") or None  # an empty `cursor=` asks for the first page
    if cursor is not None and decode(cursor) is None:
        raise BadParameter("cursor", _("cursor 参数无效，请使用上一页返回的 next_cursor。"))
    raw_limit = request.args.get("limit", str(current_app.config["PAGE_SIZE"]))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise BadParameter("limit", _("limit 参数须为 1 到 %(MAX_LIMIT)s 之间的整数。", MAX_LIMIT=MAX_LIMIT))
    return paginate(select, time_col, id_col, cursor, int(raw_limit))


from xtq.views.api import departments, openapi, posts, questions  # noqa: E402,F401  (routes register on bp)
