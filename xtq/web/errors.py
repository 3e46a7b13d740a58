"""Error pages in Chinese; JSON for the API and for clients that ask for it."""

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from xtq.extensions import db

MESSAGES = {
    400: _l("请求有误，请检查后重试。"),
    403: _l("您没有权限进行此操作。"),
    404: _l("您要找的页面不存在或已被删除。"),
    405: _l("不支持这种请求方式。"),
    413: _l("提交的内容太大了。"),
    429: _l("操作太频繁，请稍后再试。"),
    500: _l("服务器出了点问题，我们已经记录下来，请稍后再试。"),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"
    )


def _answer(code: int, message: str, headers=()):
    message = str(message)  # a lazy string (MESSAGES) becomes text in the reader's language
    if _wants_json():
        return {"error": {"code": code, "message": message}}, code, headers
    return render_template("errors/error.html", code=code, message=message), code, headers


def csrf_error(e: CSRFError):
    return _answer(400, _("页面已过期或来源不明，请刷新页面后重新提交。"))


def http_error(e: HTTPException):
    # Keep the headers the exception carries (Allow on a 405, Retry-After on a 429), not its body's type.
    headers = [(name, value) for name, value in e.get_headers() if name.lower() != "content-type"]
    return _answer(e.code or 500, MESSAGES.get(e.code, e.description or _("出错了。")), headers)


def unexpected_error(e: Exception):
    if isinstance(e, HTTPException):
        return http_error(e)
    db.session.rollback()
    current_app.logger.exception("unhandled error on %s", request.path)
    return _answer(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
