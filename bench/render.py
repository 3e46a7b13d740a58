"""CPU time per request of pages rendered in full (the page cache off), in-process:
`python -m bench.render --db city.sqlite`.

The pages a whole-page cache cannot help: a question drawn uniformly from every id (each one a
miss), the same as a signed-in citizen, and the lists (home, the busiest department's hall, the
timeline) rendered for every request. Measured like bench/cpu.py (median of `--requests` after a
warm-up, `time.process_time`), with the template floor as the yardstick. To compare commits, run
this file from each checkout in turn (`git archive <commit> | tar -x -C /tmp/before`).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.cpu import login, median_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="made by bench.generate")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--fragments", type=int, default=600, help="FRAGMENT_CACHE_SECONDS (0: off)")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # the request log
    os.environ["XTQ_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="xtq-render-")
    from bench.floor import template
    from xtq import create_app

    db_file = args.db.resolve()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
            "SECRET_KEY": "bench-not-secret",
            "RATELIMIT_ENABLED": False,
            "PAGE_CACHE_SECONDS": 0,
            "FRAGMENT_CACHE_SECONDS": args.fragments,
        }
    )
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    ids = [i for (i,) in conn.execute("SELECT id FROM question WHERE hidden_at IS NULL")]
    slug, citizen = conn.execute(
        "SELECT d.slug, (SELECT username FROM user WHERE role = 'citizen' ORDER BY id LIMIT 1) FROM question q "
        "JOIN department d ON d.id = q.department_id GROUP BY d.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    conn.close()

    def always(path):
        while True:
            yield path

    def any_question(seed):
        rng = random.Random(seed)
        while True:
            yield f"/q/{rng.choice(ids)}"

    anonymous, reader = login(app, None), login(app, citizen)
    pages = [
        ("/q/<uniformly random id>, anonymous", anonymous, any_question(5)),
        ("/q/<uniformly random id>, signed-in citizen", reader, any_question(6)),
        ("home, anonymous, rendered", anonymous, always("/")),
        (f"/hall/{slug}, anonymous, rendered", anonymous, always(f"/hall/{slug}")),
        ("/timeline, anonymous, rendered", anonymous, always("/timeline")),
    ]
    floor = median_ms(template.test_client(), always("/"), 200, warmup=20)
    print("| page | CPU ms per request | × template floor |\n|---|---:|---:|")
    print(f"| template floor (20 items) | {floor:.2f} | — |", flush=True)
    for name, client, paths in pages:
        ms = median_ms(client, paths, args.requests, warmup=10)
        print(f"| {name} | {ms:,.2f} | {floor / ms:.1%} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
