"""The hall with one suggested fix applied from outside, to measure what it would buy.

`bench.whatif:app` is the real app, except that the per-department figures (the two full-table
GROUP BYs behind the home, directory and department pages) are computed once a minute per worker
instead of on every request: the shape of "figures kept up to date instead of aggregated per
request". Nothing in xtq/ changes; this only prices the fix.
"""

import time
from collections.abc import Callable
from functools import wraps

from xtq import create_app
from xtq.domain import figures

TTL_S = 60.0


def cached(compute: Callable, ttl: float = TTL_S) -> Callable:
    memo: dict[str, tuple[float, object]] = {}

    @wraps(compute)
    def wrapper(now):
        hit = memo.get("value")
        if hit is None or time.monotonic() - hit[0] > ttl:
            hit = memo["value"] = (time.monotonic(), compute(now))
        return hit[1]

    return wrapper


figures.department_counts = cached(figures.department_counts)
app = create_app()
