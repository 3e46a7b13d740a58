"""Security settings that must exist in exactly one place: headers, cookies, proxies, redirects,
and the cleaning of everything typed (form fields, query parameters, URL parts) by xtq.text.clean."""

import re
from urllib.parse import urlsplit

from flask import Flask, Request, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from xtq.text import clean

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies are Secure whenever the request came over HTTPS (or config forces it)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


_RAW_BYTE = re.compile(rb"[\x80-\xff]")


class CleanedMultiDict(ImmutableMultiDict):
    """request.args and request.form, every text key and value passed through `clean` once."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            mapping = mapping.items()
        super().__init__([(_clean(k), _clean(v)) for k, v in mapping or ()])


def _clean(value):
    return clean(value) if isinstance(value, str) else value  # uploaded files stay as they are


class CleanedRequest(Request):
    parameter_storage_class = CleanedMultiDict

    @property
    def max_content_length(self) -> int | None:
        """MAX_CONTENT_LENGTH, or PHOTO_REQUEST_MAX for a multipart form sent to a view marked
        `accepts_photos` (decided before CSRF or anything else reads the body). Its text fields
        stay bounded by MAX_FORM_MEMORY_SIZE."""
        view = current_app.view_functions.get(self.endpoint or "") if current_app else None
        if (
            self._max_content_length is None
            and self.mimetype == "multipart/form-data"
            and getattr(view, "accepts_photos", False)
        ):
            return current_app.config["PHOTO_REQUEST_MAX"]
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A client may send raw bytes in the query string; Werkzeug decodes it as strict UTF-8
        # (request.args, request.full_path) and fails on bytes that are not. Percent-encoded, valid
        # UTF-8 reads the same and invalid bytes stay visible as %FF.
        self.query_string = _RAW_BYTE.sub(lambda m: b"%%%02X" % m.group()[0], self.query_string)


class RowIdConverter(IntegerConverter):
    """<int:...> in every route: an id beyond what the database stores (a 32-bit integer on
    PostgreSQL) matches no route, a 404, instead of overflowing the driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def _refuse_unclean_url_parts(endpoint: str | None, values: dict | None) -> None:
    """A slug or name in the URL with control characters names nothing: 404 before any query."""
    if values and any(isinstance(v, str) and clean(v) != v for v in values.values()):
        abort(404)


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies:  # only behind a proxy we trust may X-Forwarded-* be believed
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)
    app.session_interface = SessionInterface()
    app.request_class = CleanedRequest
    app.url_map.converters["int"] = RowIdConverter  # before any blueprint adds its routes
    app.url_value_preprocessor(_refuse_unclean_url_parts)

    @app.after_request
    def security_headers(response: Response) -> Response:
        policy = response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        if "frame-ancestors 'none'" in policy:  # embeds (xtq/views/embed.py) list who may frame them
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if request.is_secure:
            _secure_remember_cookie(response)
        return response


def _secure_remember_cookie(response: Response) -> None:
    cookies = response.headers.getlist("Set-Cookie")
    if not any(c.startswith("remember_token=") and "Secure" not in c for c in cookies):
        return
    response.headers.remove("Set-Cookie")
    for cookie in cookies:
        if cookie.startswith("remember_token=") and "Secure" not in cookie:
            cookie += "; Secure"
        response.headers.add("Set-Cookie", cookie)


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go to after login, or `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
