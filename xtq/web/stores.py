"""Where kept pages and fragments live: Flask-Caching backends bounded by bytes, evicting in constant time.

SharedCache (the page cache's default): one store in the instance folder that every worker on the
server reads (diskcache: SQLite and files, safe across processes). A page one worker rendered is a
hit in the others, so each page is rendered once per server rather than once per worker, and the
pages live in the operating system's file cache instead of each worker's memory. A get costs tens of
microseconds; a set a fraction of a millisecond, next to a render of several.

SizedCache (fragments, and the page cache where a deployment asks for it): one worker's own store,
cachetools' LRUCache. cachelib's SimpleCache, once full, sorts every entry on each set to find the
oldest: with a few thousand kept fragments that sort cost a list page's render more than its rows did.

SizedCache holds values as callers gave them, unpickled (they store immutable tuples, strings and
bytes); SharedCache keeps such copies of the pages a worker used last beside the shared ones. Both drop
the least recently stored or used entry when over ``CACHE_MAX_BYTES``. Several servers share one Redis
instead (``CACHE_TYPE = "RedisCache"``, docs/deploy.md).
"""

import logging
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

import diskcache
from cachetools import LRUCache
from flask_caching.backends.base import BaseCache


def weight(value: Any) -> int:
    """About the bytes a kept value holds: strings and bytes, through the tuples and lists around them."""
    if isinstance(value, (tuple, list)):
        return sys.getsizeof(value) + sum(map(weight, value))
    return sys.getsizeof(value)


class SizedCache(BaseCache):
    """One worker's store, least recently used out first."""

    def __init__(self, max_bytes: int, default_timeout: int = 300, **_options: Any) -> None:
        super().__init__(default_timeout)
        self._store: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda entry: weight(entry[1]))
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config: dict[str, Any], args: list, kwargs: dict[str, Any]) -> "SizedCache":
        return cls(config["CACHE_MAX_BYTES"], *args, **kwargs)

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._store.get(key)
            if entry is None:
                return None
            if entry[0] and entry[0] < time.monotonic():
                del self._store[key]
                return None
            return entry[1]

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        seconds = self._normalize_timeout(timeout)
        entry = (time.monotonic() + seconds if seconds else 0.0, value)
        with self._lock:
            try:
                self._store[key] = entry
            except ValueError:  # larger than the whole store: not kept
                self._store.pop(key, None)
                return False
        return True

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self.get(key) is None and self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._store.pop(key, None) is not None

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        with self._lock:
            self._store.clear()
        return True

    def __len__(self) -> int:
        return len(self._store)


# What a broken store raises (a full disk, a damaged file, a lock held too long): never a reader's error.
FAILURES = (sqlite3.Error, OSError, diskcache.Timeout)
log = logging.getLogger(__name__)


def _open(directory: str, max_bytes: int) -> diskcache.Cache:
    Path(directory).mkdir(mode=0o700, parents=True, exist_ok=True)  # signed-in readers' pages are in it
    # Without the memory map: a mapped page one worker touched would count as its private memory. A lock
    # is waited for a second at most: a request would rather render its page than wait for the store.
    return diskcache.Cache(
        directory, timeout=1, size_limit=max_bytes, eviction_policy="least-recently-stored", sqlite_mmap_size=0
    )


class SharedCache(BaseCache):
    """The workers' one store, in ``CACHE_DIR`` (default: the instance folder's page-cache), with the
    pages this worker used last also in its memory (``CACHE_NEAR_BYTES``): a hot page costs no read.
    A copy in memory is as good as the one on disk: whoever asks checks its stamps and age anyway."""

    def __init__(
        self, directory: str, max_bytes: int, near_bytes: int, default_timeout: int = 300, **_options: Any
    ) -> None:
        super().__init__(default_timeout)
        try:
            self._store = _open(directory, max_bytes)
        except FAILURES as e:  # the store is only ever a copy: a broken one is started afresh
            log.warning("page store %s unreadable (%s): started afresh", directory, e)
            for database in Path(directory).glob(f"{diskcache.core.DBNAME}*"):  # its index; nothing else
                database.unlink()
            self._store = _open(directory, max_bytes)
        self._near = SizedCache(near_bytes, default_timeout)

    @classmethod
    def factory(cls, app, config: dict[str, Any], args: list, kwargs: dict[str, Any]) -> "SharedCache":
        directory = config.get("CACHE_DIR") or str(Path(app.instance_path) / "page-cache")
        return cls(directory, config["CACHE_MAX_BYTES"], config["CACHE_NEAR_BYTES"], *args, **kwargs)

    def get(self, key: str) -> Any:
        value = self._near.get(key)
        if value is None:
            try:
                value, expires = self._store.get(key, expire_time=True)
            except FAILURES as e:  # a page not found: the reader gets it rendered
                log.warning("page store unreadable: %s", e)
                return None
            if value is not None:
                self._near.set(key, value, max(1, int(expires - time.time())) if expires else 0)
        return value

    def forget_near(self, key: str) -> None:
        """Drop this worker's copy: the next get reads the one the workers share, perhaps newer."""
        self._near.delete(key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        seconds = self._normalize_timeout(timeout)
        self._near.set(key, value, seconds)
        try:
            return self._store.set(key, value, expire=seconds or None)
        except FAILURES as e:  # a full disk or a broken file: the page is not shared, the reader still gets it
            log.warning("page store not written: %s", e)
            return False

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return self.get(key) is None and self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        self._near.delete(key)
        return self._store.delete(key)

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        self._near.clear()
        self._store.clear()
        return True

    def __len__(self) -> int:
        return len(self._store)
