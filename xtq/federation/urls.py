"""The absolute addresses of the hall's ActivityPub objects. Ids must not change once published,
so they come from SITE_URL (or, where it is unset, the address the request came in on)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def base() -> str:
    configured = (current_app.config.get("SITE_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    raise RuntimeError("SITE_URL must be set for federation outside a request")


def host() -> str:
    return urlsplit(base()).netloc


def actor(slug: str) -> str:
    return f"{base()}/hall/{slug}"


def key_id(slug: str) -> str:
    return actor(slug) + "#main-key"


def shared_inbox() -> str:
    return f"{base()}/inbox"


def post(post_id: int) -> str:
    return f"{base()}/p/{post_id}"


def question(question_id: int) -> str:
    return f"{base()}/q/{question_id}"


def absolute_links(html: str) -> str:
    """Our rendered HTML links root-relative (/topic/…, /hall/…); other servers need absolute links."""
    return re.sub(r'href="/(?!/)', f'href="{base()}/', html)


def slug_of_actor(uri: str) -> str | None:
    """The department slug if `uri` is one of our actors, else None."""
    prefix = f"{base()}/hall/"
    if uri.startswith(prefix) and "/" not in uri[len(prefix) :] and "#" not in uri[len(prefix) :]:
        return uri[len(prefix) :]
    return None


def post_id_of(uri: str) -> int | None:
    match = re.fullmatch(re.escape(base()) + r"/p/(\d{1,10})", uri or "")
    return int(match.group(1)) if match else None


def question_id_of(uri: str) -> int | None:
    match = re.fullmatch(re.escape(base()) + r"/q/(\d{1,10})(#.*)?", uri or "")
    return int(match.group(1)) if match else None
