"""Measure every public page of the hall against Flask's own floor, on this machine, in one run.

    python -m bench.run --db bench/out/city.sqlite            # full run, writes docs/performance.md
    python -m bench.run --db /tmp/tiny.sqlite --smoke         # 1-second runs, writes nothing

Each app (the hall, the hello floor, the template floor) is served by gunicorn with 2 sync
workers on 127.0.0.1; each page is warmed up, then measured by wrk with the same settings.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import machine, pages, report, target, wrk
from bench.pages import Page
from bench.report import Demo, Row
from bench.server import Gunicorn, fetch
from bench.target import Target

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
FLOORS = (Page("Flask hello floor", "/", 0.0), Page("Flask template floor (20 items)", "/", 0.0))
FLOOR_AGAIN = Page("Flask template floor, again at the end", "/", 0.0)  # shows drift during the run
MIN_REQUESTS, LONG_SECONDS = 20, 30  # a page with fewer requests in its run is measured again, longer
FLOOR_SPECS = ("bench.floor:hello", "bench.floor:template")


RENDERED = " (rendered, no page cache)"


def rendered(app_pages: list[Page]) -> list[Page]:
    """The same pages with the page cache off: what each costs to render, as for a signed-in reader."""
    return [Page(p.name + RENDERED, p.path, p.target, p.first + RENDERED if p.first else None) for p in app_pages]


def instance_dir(tmp: Path, name: str = "instance", config: str = "") -> Path:
    """A throwaway instance folder with its secret key made up front (two workers must agree)."""
    path = tmp / name
    path.mkdir(exist_ok=True)
    (path / "secret_key").write_text("bench-not-secret")
    (path / "config.py").write_text(config)
    return path


def measure(server: Gunicorn, page: Page, settings: wrk.Settings, warmup: int) -> Row:
    status, size = fetch(server.base + page.path)
    if status == 404:
        return Row(page, "missing", body_bytes=size)
    if status != 200:
        return Row(page, f"error {status}", body_bytes=size)
    if warmup:
        wrk.run(server.base + page.path, settings, seconds=warmup)
        server.drain()
    result = wrk.run(server.base + page.path, settings)
    rss = server.worker_rss_mb()
    server.drain()
    if result.requests < MIN_REQUESTS and settings.seconds < LONG_SECONDS:
        result = wrk.run(server.base + page.path, settings, seconds=LONG_SECONDS)  # a slow page: measure longer
        rss += server.worker_rss_mb()
        server.drain()
    first_p99 = None
    if result.p50_ms < report.P99_MS <= result.p99_ms:  # a fast page with a slow tail: once more, both shown
        first_p99, result = result.p99_ms, wrk.run(server.base + page.path, settings)
        rss += server.worker_rss_mb()
        server.drain()
    return Row(page, "ok", result, max(rss) if rss else None, size, first_p99_ms=first_p99)


def measure_app(
    spec: str, page_list: list[Page], env: dict[str, str], tmp: Path, settings: wrk.Settings, warmup: int
) -> list[Row]:
    rows = []
    with Gunicorn(spec, env, tmp) as server:
        for page in page_list:
            row = measure(server, page, settings, warmup)
            print_row(row)
            rows.append(row)
    return rows


def refresh_figures(env: dict[str, str]) -> None:
    """What cron does every 10 minutes in a deployment (deploy/xtq.cron): otherwise the first page
    to find the stored figures older than FIGURES_MAX_AGE computes them while being measured."""
    flask = [sys.executable, "-m", "flask", "--app", "app", "figures-refresh"]
    subprocess.run(flask, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True)


def print_row(row: Row) -> None:
    if row.result is None:
        print(f"  {row.page.name:<38} {row.status}", flush=True)
        return
    r = row.result
    print(
        f"  {row.page.name:<38} {r.rps:8.1f} req/s  p50 {r.p50_ms:7.1f} ms  p99 {r.p99_ms:7.1f} ms  "
        f"RSS {row.rss_mb or 0:5.0f} MB  errors {r.errors}",
        flush=True,
    )


def time_demo(tmp: Path, limit_s: int = 120) -> Demo:
    """`flask demo` into an empty instance folder, timed from the command line like a trainer runs it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["XTQ_INSTANCE_PATH"] = str(tmp / "demo-instance")
    flask = [sys.executable, "-m", "flask", "--app", "app", "demo"]
    started = time.monotonic()
    try:
        out = subprocess.run(flask, cwd=ROOT, env=env, capture_output=True, text=True, timeout=limit_s)
    except subprocess.TimeoutExpired:
        return Demo(time.monotonic() - started, False, f"still running after {limit_s} s")
    seconds = time.monotonic() - started
    last = (out.stderr.strip().splitlines() or ["?"])[-1]
    return Demo(seconds, out.returncode == 0, "" if out.returncode == 0 else last)


def database_facts(target: Target) -> dict[str, str]:
    name = target.path.name if target.path else "PostgreSQL " + target.rows("SHOW server_version")[0][0]
    facts = {"database": name, "size": f"{target.size_bytes() / 2**20:,.0f} MiB"}
    for table in ("department", "user", "post", "post_topic", "question", "question_event"):
        count = target.rows(f'SELECT count(*) FROM "{table}"')[0][0]
        facts[f"{table} rows"] = f"{count:,}"
    return facts


def run(args: argparse.Namespace) -> list[Row]:
    settings = wrk.Settings(args.threads, args.connections, args.duration, args.timeout)
    sample = pages.sample(args.db)
    described = machine.describe()
    app_pages = [p for p in pages.app_pages(sample) if not args.only or any(o in p.name for o in args.only)]
    with tempfile.TemporaryDirectory(prefix="xtq-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {"XTQ_INSTANCE_PATH": str(instance_dir(tmp)), "DATABASE_URL": args.db.url}
        print(f"{settings.describe()}, warm-up {args.warmup} s, database {args.db.label}", flush=True)
        rows = []
        for spec, floor in zip(FLOOR_SPECS, FLOORS):
            rows += measure_app(spec, [floor], env, tmp, settings, args.warmup)
        refresh_figures(env)
        rows += measure_app("app:app", app_pages, env, tmp, settings, args.warmup)
        if not args.cached_only:
            uncached = {**env, "XTQ_INSTANCE_PATH": str(instance_dir(tmp, "rendered", "PAGE_CACHE_SECONDS = 0\n"))}
            refresh_figures(env)
            rows += measure_app("app:app", rendered(app_pages), uncached, tmp, settings, args.warmup)
        if not args.smoke:
            rows += measure_app(FLOOR_SPECS[1], [FLOOR_AGAIN], env, tmp, settings, args.warmup)
        demo = None if args.no_demo else time_demo(tmp)
    floor = rows[1].result.rps if rows[1].result else None
    for row in rows:
        if row.result and floor and row.page.target:
            row.ratio = row.result.rps / floor
    print(report.table(rows))
    if demo:
        print(f"flask demo: {f'{demo.seconds:.1f} s' if demo.ok else 'failed: ' + demo.message}")
    if args.write:
        described["load average at the end"] = machine.load_average()
        text = report.section(rows, described, settings, database_facts(args.db), demo)
        report.write(args.write, text)
        print(f"wrote {args.write}")
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=target.argument,
        default=str(ROOT / "bench" / "out" / "city.sqlite"),
        help="made by bench.generate: a SQLite file or a postgresql:// URL",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds of measurement per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per page")
    parser.add_argument(
        "--timeout",
        type=int,
        default=30,
        help="wrk's per-request timeout in seconds (slower answers are counted as errors, not in the percentiles)",
    )
    parser.add_argument("--only", nargs="*", help="measure only the pages whose name contains one of these")
    parser.add_argument("--write", type=Path, default=DOC, help=f"the doc to update (default {DOC})")
    parser.add_argument("--no-write", dest="write", action="store_const", const=None)
    parser.add_argument("--cached-only", action="store_true", help="skip the second pass with the page cache off")
    parser.add_argument("--no-demo", action="store_true", help="skip timing `flask demo`")
    parser.add_argument("--smoke", action="store_true", help="1-second runs, no warm-up, no demo, write nothing")
    args = parser.parse_args(argv)
    if args.smoke:
        args.threads, args.connections, args.duration, args.warmup, args.write, args.no_demo = 1, 4, 1, 0, None, True
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not wrk.available():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    rows = run(args)
    return 0 if all(row.status in ("ok", "missing") for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
