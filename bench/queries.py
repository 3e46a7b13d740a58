"""Where a page's time goes: queries per page, time in SQL vs the rest, and the query plans.

    python -m bench.queries --db bench/out/city.sqlite [--runs 5] [--explain]

Runs each page in-process through the Flask test client (no server, no wrk), counting every SQL
statement with a SQLAlchemy cursor event; reports the median over `runs` requests.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event

from bench import pages, target

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Trace:
    statements: list[tuple[str, tuple, float]] = field(default_factory=list)
    _started: float = 0.0

    def before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self._started = time.perf_counter()

    def after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append((statement, parameters, time.perf_counter() - self._started))


def replay(app, statements: list[tuple[str, tuple, float]]) -> list[tuple[str, tuple, float]]:
    """Run each statement again and fetch every row: SQLite does most of its work while rows are
    fetched, after the cursor event has fired, so only a replay times a query whole."""
    from xtq.extensions import db

    timed = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            for statement, parameters, _ in statements:
                started = time.perf_counter()
                raw.cursor().execute(statement, parameters).fetchall()
                timed.append((statement, parameters, time.perf_counter() - started))
        finally:
            raw.close()
    return timed


@dataclass(frozen=True)
class Profile:
    name: str
    path: str
    status: int
    queries: int
    sql_ms: float
    total_ms: float
    statements: list[tuple[str, tuple, float]]


def profile(app, page: pages.Page, runs: int) -> Profile:
    from xtq.extensions import db

    client = app.test_client()
    totals, traces, status = [], [], 0
    with app.app_context():
        engine = db.engine
    for _ in range(runs + 1):  # the first request warms caches and is not counted
        trace = Trace()
        event.listen(engine, "before_cursor_execute", trace.before)
        event.listen(engine, "after_cursor_execute", trace.after)
        started = time.perf_counter()
        status = client.get(page.path).status_code
        totals.append((time.perf_counter() - started) * 1000)
        event.remove(engine, "before_cursor_execute", trace.before)
        event.remove(engine, "after_cursor_execute", trace.after)
        traces.append(trace)
    totals, traces = totals[1:], traces[1:]
    last = replay(app, traces[-1].statements)
    sql_ms = sum(s[2] for s in last) * 1000
    return Profile(page.name, page.path, status, len(last), sql_ms, statistics.median(totals), last)


def explain(app, statement: str, parameters: tuple) -> list[str]:
    from xtq.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
            cursor = raw.cursor()
            cursor.execute(prefix + statement, parameters)
            rows = cursor.fetchall()
        finally:
            raw.close()
    return [row[-1] for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=target.argument,
        default=str(ROOT / "bench" / "out" / "city.sqlite"),
        help="file or postgresql:// URL",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true", help="print each slow statement with its query plan")
    parser.add_argument("--slow-ms", type=float, default=2.0, help="what --explain calls slow")
    args = parser.parse_args(argv)
    os.environ["XTQ_INSTANCE_PATH"] = instance = tempfile.mkdtemp(prefix="xtq-bench-instance-")
    atexit.register(shutil.rmtree, instance, True)
    from xtq import create_app

    # The page cache off: every run renders the page, which is what this profiles.
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db.url, "SECRET_KEY": "bench", "PAGE_CACHE_SECONDS": 0})
    logging.getLogger("xtq.request").setLevel(logging.WARNING)
    print(f"{'page':<38} {'status':>6} {'queries':>7} {'SQL ms*':>8} {'total ms':>9}")
    for page in pages.app_pages(pages.sample(args.db)):
        p = profile(app, page, args.runs)
        print(f"{p.name:<38} {p.status:>6} {p.queries:>7} {p.sql_ms:>8.1f} {p.total_ms:>9.1f}")
        if args.explain:
            for statement, parameters, seconds in p.statements:
                if seconds >= args.slow_ms / 1000:
                    print(f"    {seconds * 1000:7.1f} ms  {' '.join(statement.split())[:400]}")
                    for line in explain(app, statement, parameters):
                        print(f"               {line}")
    print("* SQL ms: the page's statements replayed one by one with every row fetched")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
