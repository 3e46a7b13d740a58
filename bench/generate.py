"""Build a city-scale database for the hall: `python -m bench.generate --scale 1 --out PATH` (SQLite)
or `--database-url postgresql://...` (that database is dropped and made anew).

The schema comes from the app's own migrations and the departments from seed_bureaus.json; the bulk
rows (citizens, follows, posts, topics, questions and their events) go in through bench/bulk.py
(executemany on SQLite, COPY on PostgreSQL; the same rows) with the secondary indexes dropped during
the load and rebuilt after it, then ANALYZE. Times are stored as the app stores them: naive UTC,
on SQLite as text 'YYYY-MM-DD HH:MM:SS.ffffff'.
"""

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.bulk import Loader, Progress, connect, fresh
from bench.city import Counts, build_people
from bench.posts import build_posts, pin_some
from bench.questions import build_questions
from bench.target import Target

ROOT = Path(__file__).resolve().parent.parent
BULK_TABLES = ("user", "follow", "post", "post_topic", "question", "question_event")
DEFAULT_OUT = ROOT / "bench" / "out" / "city.sqlite"


class Renderer:
    """HTML of generated text exactly as xtq.text.render makes it, rendered one fragment at a time.

    Fragments never interact (no markup, links, `#` or `@` outside topic and mention fragments),
    so joining the renderings of the fragments gives the rendering of the text; verify() checks
    that on a sample of the stored rows.
    """

    def __init__(self, app) -> None:
        from xtq.domain.departments import mention_map
        from xtq.extensions import db
        from xtq.text import render

        self.app, self._render, self._cache = app, render, {}
        with app.app_context():
            self.mentions = mention_map()
            db.session.remove()
            db.engine.dispose()  # the loader needs the file to itself

    def __call__(self, fragments: Iterable[str]) -> str:
        cache, out = self._cache, []
        for fragment in fragments:
            rendered = cache.get(fragment)
            if rendered is None:
                with self.app.app_context():
                    rendered = cache[fragment] = self._render(fragment, self.mentions)
            out.append(rendered)
        return "".join(out)

    def verify(self, rows: Iterable[tuple[str, str]]) -> int:
        checked = 0
        with self.app.app_context():
            for text, html in rows:
                if self._render(text, self.mentions) != html:
                    raise AssertionError(f"generated HTML differs from xtq.text.render for {text!r}")
                checked += 1
        return checked


@dataclass(frozen=True)
class Report:
    target: Target
    seconds: float
    size_bytes: int
    rows: dict[str, int]


def make_app(target: Target):
    """The hall's own app on the target database (with a throwaway instance folder unless one is set)."""
    if "XTQ_INSTANCE_PATH" not in os.environ:
        os.environ["XTQ_INSTANCE_PATH"] = instance = tempfile.mkdtemp(prefix="xtq-bench-instance-")
        atexit.register(shutil.rmtree, instance, True)
    from xtq import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": target.url, "SECRET_KEY": "bench"})


# The bulk loader writes the tables as they stood at this revision; the later migrations then
# derive their facts (e.g. every deadline a department had) from the loaded history.
BULK_REVISION = "7a1c2e5b9d40"


def create_schema(app) -> None:
    """Migrate the empty file to the bulk loader's schema and seed the 57 departments, the app's own way."""
    from flask_migrate import upgrade

    from xtq.domain import seeding
    from xtq.extensions import db
    from xtq.models import Department

    with app.app_context():
        upgrade(revision=BULK_REVISION)
        # Rows as that older schema has them (the models are the newest schema's): columns by reflection.
        table = sa.Table("department", sa.MetaData(), autoload_with=db.engine)
        fields = ("slug", "name", "short_name", "group", "description", "phone", "address", "position")
        defaults = {
            c.name: c.default.arg
            for c in Department.__table__.c
            if c.name in table.c and c.default is not None and c.default.is_scalar
        }
        rows = [
            defaults | {f: getattr(getattr(spec, f), "value", getattr(spec, f)) for f in fields if f in table.c}
            for spec in seeding.load(ROOT / app.config["SEED_FILE"])
        ]
        db.session.execute(table.insert(), rows)
        db.session.commit()
        db.engine.dispose()


def complete_schema(app, progress: Progress) -> None:
    """Migrate to the newest schema, then build the search index and the stored figures, as a
    deployment that upgrades does (`flask init-db`, then `flask figures-refresh` from cron)."""
    from flask_migrate import upgrade

    from xtq import clock, search
    from xtq.cli import analyze
    from xtq.domain import figures
    from xtq.extensions import db

    with app.app_context():
        progress.note("migrating to the newest schema")
        upgrade()
        progress.note("building the search index")
        search.rebuild(batch=5000, progress=lambda n: progress.note(f"building the search index: {n:,} documents"))
        db.session.commit()
        progress.note("computing the stored figures")
        figures.refresh(clock.now(), progress=lambda key: progress.note(f"figures {key}"))
        db.session.commit()
        progress.note("planner statistics (flask init-db does the same)")
        analyze()
        db.session.remove()
        db.engine.dispose()


def build(target: Target | Path, counts: Counts, *, seed: int = 2011, quiet: bool = False) -> Report:
    started = time.monotonic()
    target = target if isinstance(target, Target) else Target.parse(target)
    if target.path:
        target.path.parent.mkdir(parents=True, exist_ok=True)
    fresh(target)
    app = make_app(target)
    create_schema(app)
    render = Renderer(app)
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    progress = Progress(_expected_rows(counts), None if quiet else sys.stderr)
    conn = connect(target)
    try:
        indexes = conn.drop_indexes(BULK_TABLES)
        city = build_people(conn, counts, rng, now, progress)
        build_posts(conn, city, counts.posts, rng, render, progress)
        build_questions(conn, city, counts.questions, rng, render, progress)
        progress.finish()
        _finish(conn, indexes, progress)
        pin_some(conn, city)
        _verify(conn, render)
    finally:
        conn.close()
    complete_schema(app, progress)
    conn = connect(target)
    try:
        rows = row_counts(conn)
        _settle(conn, target, progress)
    finally:
        conn.close()
    return Report(target, time.monotonic() - started, target.size_bytes(), rows)


def _expected_rows(counts: Counts) -> int:
    """Roughly how many rows the load writes, for the ETA."""
    return int(counts.citizens * 1.7 + counts.posts * 1.2 + counts.questions * 6)


def _finish(conn: Loader, indexes: list[str], progress: Progress) -> None:
    for number, sql in enumerate(indexes, start=1):
        progress.note(f"rebuilding index {number}/{len(indexes)}")
        conn.execute(sql)
    progress.note("ANALYZE")
    conn.settle(BULK_TABLES)
    progress.note("")
    progress.finish()


def _verify(conn: Loader, render: Renderer) -> None:
    """Compare stored HTML with xtq.text.render on posts with topics and mentions, and on events."""
    samples = conn.execute(
        "SELECT body, body_html FROM post WHERE body LIKE '%#%' OR body LIKE '%@%' ORDER BY random() LIMIT 300"
    ).fetchall()
    samples += conn.execute("SELECT body, body_html FROM post ORDER BY random() LIMIT 100").fetchall()
    samples += conn.execute("SELECT body, body_html FROM question ORDER BY random() LIMIT 100").fetchall()
    samples += conn.execute(
        "SELECT text, text_html FROM question_event WHERE text != '' ORDER BY random() LIMIT 100"
    ).fetchall()
    render.verify(samples)


def _settle(conn: Loader, target: Target, progress: Progress) -> None:
    """Leave the database as the app runs it: a SQLite file in WAL journaling; on PostgreSQL, every
    row's visibility settled by VACUUM (index-only scans need it; autovacuum would do it later)."""
    if target.path:
        conn.execute("PRAGMA journal_mode=WAL")
    else:
        progress.note("VACUUM (ANALYZE)")
        conn.execute("VACUUM (ANALYZE)")
        progress.finish()


def row_counts(conn: Loader) -> dict[str, int]:
    tables = ("department", "user", "follow", "post", "post_topic", "question", "question_event", "question_deadline")
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 posts; 0.001 for a smoke run")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"the SQLite file to write, replaced (default {DEFAULT_OUT})"
    )
    where.add_argument(
        "--database-url", help="a PostgreSQL database to build instead, dropped and made anew: postgresql://..."
    )
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    args = parser.parse_args(argv)
    target = Target.parse(args.database_url or args.out)
    report = build(target, Counts.at(args.scale), seed=args.seed, quiet=args.quiet)
    print(f"{target.label}: {report.size_bytes / 2**20:,.0f} MiB in {report.seconds:,.1f} s")
    for table, n in report.rows.items():
        print(f"  {table:<15} {n:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
