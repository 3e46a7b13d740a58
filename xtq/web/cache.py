"""A short-lived memo, per app and per worker process, for costly public aggregates.

Hot topics and similar figures change slowly but cost a scan to compute; every anonymous page
view must not pay for them. PUBLIC_CACHE_SECONDS (0 turns it off, as the tests do) bounds how
stale they may be.
"""

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

from xtq.web import stamps

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


UNTIL_WRITTEN_SIZE = 10_000  # entries per worker; all dropped at once when full


def until_written(key: tuple[Hashable, ...], compute: Callable[[], T], stamp: str = stamps.CONTENT) -> T:
    """`compute()`, or its value from less than PAGE_CACHE_SECONDS ago if nothing was written since.

    For what one reader sees of a page (their unread count, follow and 同问 state): any write may
    change it, and every write touches the content stamp. A value that only some writes change names
    the stamp they touch (stamps.USERS: a user's row)."""
    ttl = float(current_app.config["PAGE_CACHE_SECONDS"])
    if ttl <= 0:
        return compute()
    store = current_app.extensions.setdefault("xtq_until_written", {})
    seen, now = stamps.read(stamp), time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] == seen and now - hit[1] < ttl:
        return hit[2]
    if len(store) >= UNTIL_WRITTEN_SIZE:
        store.clear()
    value = compute()
    store[key] = (seen, now, value)
    return value
