"""The hall with two suggested fixes applied from outside, to measure what they would buy.

`bench.whatif:app` is the real app, except that the per-department figures (two full-table
GROUP BYs behind the home, directory and department pages) and the hot topics (a 30-day
aggregation on the home page) are computed once per worker, at its first request, and then reused:
the cost a page would have with figures and topic counts kept up to date when posts and questions
change, instead of aggregated per request. Nothing in xtq/ changes; this only prices the fix.
"""

from collections.abc import Callable
from functools import wraps

from xtq import create_app
from xtq.domain import figures, posts


def computed_once(compute: Callable) -> Callable:
    memo: dict[str, object] = {}

    @wraps(compute)
    def wrapper(*args, **kwargs):
        if "value" not in memo:
            memo["value"] = compute(*args, **kwargs)
        return memo["value"]

    return wrapper


figures.department_counts = computed_once(figures.department_counts)
posts.hot_topics = computed_once(posts.hot_topics)
app = create_app()
