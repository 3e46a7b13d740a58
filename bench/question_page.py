"""A question page's miss, and what writes to other questions leave of the kept ones, in-process:
`python -m bench.question_page --db city.sqlite`.

1. CPU ms per `/q/<uniformly random id>` miss (median of `--requests`, `time.process_time`, as in
   bench/cpu.py) for an anonymous reader, a signed-in citizen and the question's own staff (the
   busiest department's spokesperson, on that department's questions): rendered whole
   (PAGE_CACHE_SECONDS = 0), and as deployed (the cache on; random ids over the whole city are
   misses, kept as skeletons and filled).
2. `--writes N`: keep `--pages` of the busiest department's question pages (anonymous), make N
   同问 on other questions of that department through the domain, each committed as a request
   would, and count how many of the kept pages still answer from the cache. Needs a scratch copy of
   the city (it writes): `--scratch /tmp/mine.sqlite`.
`--profile anonymous|citizen|staff` prints a cProfile of misses instead.

To compare commits, export the earlier one (`git archive <commit> | tar -x -C /tmp/before`), copy
this file into its bench/ and run both, alternating.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import random
import shutil
import sys
import tempfile
from pathlib import Path

from bench import target
from bench.cpu import login, median_ms


def make_app(url: str, seconds: int):
    from xtq import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-not-secret", "RATELIMIT_ENABLED": False}
        | {"PAGE_CACHE_SECONDS": seconds}
    )


def questions_of(db: target.Target):
    every = [i for (i,) in db.rows("SELECT id FROM question WHERE hidden_at IS NULL")]
    dept_id, slug, citizen = db.rows(
        "SELECT d.id, d.slug, (SELECT username FROM \"user\" WHERE role = 'citizen' ORDER BY id LIMIT 1) "
        "FROM question q JOIN department d ON d.id = q.department_id GROUP BY d.id ORDER BY count(*) DESC LIMIT 1"
    )[0]
    own = [i for (i,) in db.rows("SELECT id FROM question WHERE department_id = :d AND hidden_at IS NULL", d=dept_id)]
    return every, own, slug, citizen


def drawn(ids: list[int], seed: int):
    rng = random.Random(seed)
    while True:
        yield f"/q/{rng.choice(ids)}"


def misses(db: target.Target, requests: int, profile: str | None, callers=()) -> None:
    every, own, slug, citizen = questions_of(db)
    apps = {seconds: make_app(db.url, seconds) for seconds in (0, 60)}
    readers = {
        seconds: {
            "anonymous": (login(app, None), every),
            "citizen": (login(app, citizen), every),
            "staff": (login(app, f"{slug}_fyr"), own),
        }
        for seconds, app in apps.items()
    }
    if profile:
        client, ids = readers[0][profile]
        paths = drawn(ids, 1)
        for _ in range(20):
            client.get(next(paths))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            client.get(next(paths))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        if callers:
            pstats.Stats(profiler).print_callers(*callers)
        return
    print("| /q/<uniformly random id> miss | rendered whole: CPU ms | as deployed (cache on): CPU ms |")
    print("|---|---:|---:|")
    for who in ("anonymous", "citizen", "staff"):
        ms = [median_ms(readers[s][who][0], drawn(readers[s][who][1], 7), requests, warmup=10)[0] for s in (0, 60)]
        print(f"| {who}{f' ({slug}_fyr)' if who == 'staff' else ''} | {ms[0]:.2f} | {ms[1]:.2f} |", flush=True)


def kept_after_writes(db: target.Target, scratch: Path, pages: int, writes: int) -> None:
    """Keep pages of one department's questions, write to others of it, count the pages still kept."""
    from xtq import clock
    from xtq.domain import metoo
    from xtq.extensions import db as sql
    from xtq.models import Question, Role, User
    from xtq.web import page_cache

    shutil.copyfile(db.path, scratch)
    _every, own, _slug, _citizen = questions_of(db)
    app = make_app(f"sqlite:///{scratch.resolve()}", 600)
    rng = random.Random(3)
    kept = rng.sample(own, pages)
    others = [i for i in own if i not in set(kept)]
    client = app.test_client()
    for _pass in range(2):  # the first closes the stale among them (a write), the second keeps every page
        for qid in kept:
            client.get(f"/q/{qid}")
    before = sum(client.get(f"/q/{qid}").headers.get("X-Cache") == "hit" for qid in kept)  # not every page is kept
    done, written = 0, set()
    with app.app_context():
        citizens = list(sql.session.scalars(sql.select(User).where(User.role == Role.CITIZEN).limit(2000)))
        while done < writes:
            q = sql.session.get(Question, rng.choice(others))
            with app.test_request_context():
                try:
                    metoo.me_too(q, rng.choice(citizens), now=clock.now())
                    sql.session.commit()
                    done += 1
                    written.add(q.id)
                except Exception:  # closed, asked by this citizen, already 同问: another one
                    sql.session.rollback()
    hits = sum(client.get(f"/q/{qid}").headers.get("X-Cache") == "hit" for qid in kept)
    shared = {page_cache.question_stamp(i) for i in written} & {page_cache.question_stamp(i) for i in kept}
    print(
        f"{writes} 同问 on other questions of the department: {hits} of the {before} kept pages still hit "
        f"({len(shared)} of their buckets written to)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=target.argument, required=True, help="made by bench.generate")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", choices=("anonymous", "citizen", "staff"))
    parser.add_argument("--callers", nargs="*", default=(), help="with --profile: who calls these functions")
    parser.add_argument("--writes", type=int, default=0, help="write to other questions, then count kept pages")
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--scratch", type=Path, help="a SQLite file to copy the city into for --writes")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # the request log
    os.environ["XTQ_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="xtq-qpage-")
    if args.writes:
        if args.scratch is None or args.db.postgres:
            parser.error("--writes needs a SQLite city and --scratch")
        kept_after_writes(args.db, args.scratch, args.pages, args.writes)
    else:
        misses(args.db, args.requests, args.profile, args.callers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
