"""Per-reader holes in a page: rendered in place, or left as markers in a cached skeleton and filled later.

A template writes ``{{ hole("follow", dept.id, dept.slug) }}`` where a part of the page belongs to
the reader. Normally the hole's renderer (registered with ``@renderer("follow")``) runs at once
and its HTML goes into the page. While xtq/web/page_cache.py renders a skeleton for a class of
readers, the hole is a marker instead, and so is every CSRF token (Flask-WTF's per-request token
on ``g`` is set to a marker, so ``csrf_input()``, ``form.hidden_tag()`` and ``form.csrf_token`` all
print it); ``fill`` then puts in this reader's parts. A renderer takes the hole's arguments as
strings and sends a query or two at most. Markers carry a nonce derived from the SECRET_KEY, so text
in a page cannot pose as one, and every worker of the server fills the skeletons the others kept.
"""

import hashlib
import hmac
from collections.abc import Callable

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from xtq.i18n import current_language
from xtq.web.cache import until_written

# Every marker starts with _prefix() and ends with _END (a page is filled with one split, no regex), and
# neither changes when escaped: the CSRF marker passes through the escaping of an attribute value.
_END = "~"  # not in a hole's arguments (ids and slugs)
_CSRF = "csrf"
_PREFIX_KEY = "xtq_hole_prefix"


def _prefix() -> str:
    """The markers' start, the same in every worker of the app and unknown outside it."""
    prefix = current_app.extensions.get(_PREFIX_KEY)
    if prefix is None:
        key = current_app.secret_key
        key = key.encode() if isinstance(key, str) else key
        nonce = hmac.new(key, b"xtq page holes", hashlib.sha256).hexdigest()[:16]
        prefix = current_app.extensions[_PREFIX_KEY] = f"xtq-hole-{nonce}:"
    return prefix


def _csrf_mark() -> str:
    return f"{_prefix()}{_CSRF}{_END}"


_SKELETON = "xtq.skeleton"
_RENDERERS: dict[str, Callable[..., str]] = {}


def renderer(name: str) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register the function that renders hole ``name`` for the current reader.

    A signed-in reader's hole is kept (per reader, language and arguments, with the CSRF token
    left out) until the next write: a reader who comes back pays no query for it."""

    def register(function: Callable[..., str]) -> Callable[..., str]:
        def kept(*args: str) -> str:
            if not current_user.is_authenticated:
                return function(*args)
            key = ("hole", name, current_language(), current_user.id, *args)
            html = until_written(key, lambda: _without_token(function, *args))
            mark = _csrf_mark()
            return html.replace(mark, generate_csrf()) if mark in html else html

        _RENDERERS[name] = kept
        return function

    return register


def _without_token(function: Callable[..., str], *args: str) -> str:
    """What ``function`` renders, with the CSRF marker where this session's token goes."""
    field = _csrf_field()
    token = g.pop(field, None)
    setattr(g, field, _csrf_mark())
    try:
        return function(*args)
    finally:
        g.pop(field)
        if token is not None:
            setattr(g, field, token)


def hole(name: str, *args) -> Markup:
    """The reader's part of the page, or its marker while a skeleton is rendered."""
    if in_skeleton():
        return Markup(f"{_prefix()}{name}{''.join(f' {a}' for a in args)}{_END}")
    return Markup(_RENDERERS[name](*map(str, args)))


def render(template: str, **context) -> str:
    """A hole's partial template, with the request and the reader (and no context processors)."""
    return current_app.jinja_env.get_template(template).render(request=request, current_user=current_user, **context)


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def begin_skeleton() -> None:
    """From here on, holes and CSRF tokens render as markers."""
    request.environ[_SKELETON] = True  # the WSGI environ: per request even where tests share g
    setattr(g, _csrf_field(), _csrf_mark())


def in_skeleton() -> bool:
    return bool(request.environ.get(_SKELETON))


def end_skeleton() -> None:
    request.environ[_SKELETON] = False
    g.pop(_csrf_field(), None)


def fill(skeleton: str) -> str:
    """The page for the current reader: every marker replaced by what the reader should see."""
    end_skeleton()
    first, *marked = skeleton.split(_prefix())
    parts, token = [first], ""  # the token is made on first use: a page without a form adds nothing to the session
    for piece in marked:
        head, _, rest = piece.partition(_END)
        name, *args = head.split()
        if name == _CSRF:
            token = token or generate_csrf()
            parts.append(token)
        else:
            parts.append(_RENDERERS[name](*args))
        parts.append(rest)
    return "".join(parts)
