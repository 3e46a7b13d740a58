"""Security helpers that must exist in exactly one place."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go to after login, or `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
