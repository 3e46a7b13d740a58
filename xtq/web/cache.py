"""A short-lived memo, per app and per worker process, for costly public aggregates.

Hot topics and similar figures change slowly but cost a scan to compute; every anonymous page
view must not pay for them. PUBLIC_CACHE_SECONDS (0 turns it off, as the tests do) bounds how
stale they may be.
"""

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def remember(key: tuple, compute: Callable[[], T], ttl_setting: str = "PUBLIC_CACHE_SECONDS") -> T:
    """`compute()`, or its value from less than `ttl_setting` seconds ago in this process."""
    ttl = float(current_app.config[ttl_setting])
    if ttl <= 0:
        return compute()
    store = current_app.extensions.setdefault("xtq_cache", {})
    hit = store.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = compute()
    store[key] = (now, value)
    return value


def forget_memo() -> None:
    """Drop everything this process remembers (the figures behind it were computed again or dropped)."""
    current_app.extensions.pop("xtq_cache", None)
