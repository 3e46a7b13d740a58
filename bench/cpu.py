"""CPU time per request of the signed-in and staff pages, in-process: `python -m bench.cpu --db city.sqlite`
(or --db postgresql://...).

On a machine shared with other work, requests/s swing with everyone else's load; the CPU time a
request costs this process (`time.process_time`) hardly does. Each page is fetched through Flask's
test client as its reader (anonymous, a CSRF-only session, a signed-in citizen, the busiest
department's spokesperson, the admin): a few warm-up requests, then the median of `--requests`.
The template floor (bench/floor.py) is measured the same way, as the yardstick.

To compare with an earlier commit, export it (`git archive <commit> | tar -x -C /tmp/before`), copy
this file into its bench/ and run it there, alternating with this checkout.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import target
from bench.city import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def login(app, username: str | None):
    client = app.test_client()
    if username:
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        response = client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
        )
        if response.status_code != 302:
            raise RuntimeError(f"could not sign in as {username}")
        client.get("/directory")  # the welcome flash
    return client


def median_ms(client, paths, count: int, warmup: int = 3) -> tuple[float, float]:
    """The median CPU ms of `count` requests, and the share of them the page cache answered."""
    for _ in range(warmup):
        client.get(next(paths))
    spent, hits = [], 0
    for _ in range(count):
        path = next(paths)
        started = time.process_time()
        response = client.get(path)
        spent.append((time.process_time() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        hits += response.headers.get("X-Cache") == "hit"
    return statistics.median(spent), hits / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", type=target.argument, required=True, help="made by bench.generate: a SQLite file or a postgresql:// URL"
    )
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # the request log
    os.environ["XTQ_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="xtq-cpu-")
    from bench.floor import template
    from xtq import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.db.url,
            "SECRET_KEY": "bench-not-secret",
            "RATELIMIT_ENABLED": False,
        }
    )
    ids = [i for (i,) in args.db.rows("SELECT id FROM question WHERE hidden_at IS NULL")]
    slug, citizen = args.db.rows(
        "SELECT d.slug, (SELECT username FROM \"user\" WHERE role = 'citizen' ORDER BY id LIMIT 1) FROM question q "
        "JOIN department d ON d.id = q.department_id GROUP BY d.id ORDER BY count(*) DESC LIMIT 1"
    )[0]
    rng = random.Random(5)

    def always(path):
        while True:
            yield path

    def any_question():
        while True:
            yield f"/q/{rng.choice(ids)}"

    anonymous, reader = login(app, None), login(app, citizen)
    staff, admin = login(app, f"{slug}_fyr"), login(app, "admin")
    csrf_only = app.test_client()
    csrf_only.get("/login")
    pages = [
        ("home, anonymous", anonymous, always("/")),
        ("home, anonymous with a CSRF-only session", csrf_only, always("/")),
        ("home, signed-in citizen", reader, always("/")),
        (f"/hall/{slug}, signed-in citizen", reader, always(f"/hall/{slug}")),
        ("/timeline, signed-in citizen", reader, always("/timeline")),
        ("/directory, signed-in citizen", reader, always("/directory")),
        ("/q/<uniformly random id>, anonymous", anonymous, any_question()),
        ("/q/<uniformly random id>, signed-in citizen", reader, any_question()),
        ("/q/<one id>, signed-in citizen", reader, always(f"/q/{ids[len(ids) // 2]}")),
        (f"/console/questions, {slug}_fyr", staff, always("/console/questions")),
        ("/console/questions?status=mine", staff, always("/console/questions?status=mine")),
        ("/console/questions?status=all", staff, always("/console/questions?status=all")),
        ("/console/compose", staff, always("/console/compose")),
        ("/admin/escalations, admin", admin, always("/admin/escalations")),
        ("/admin/review, admin", admin, always("/admin/review")),
        ("/admin/dispatch, admin", admin, always("/admin/dispatch")),
    ]
    floor, _ = median_ms(template.test_client(), always("/"), 200, warmup=20)
    print("| page | CPU ms per request | × template floor | page cache hits |\n|---|---:|---:|---:|")
    print(f"| template floor (20 items) | {floor:.2f} | — | — |", flush=True)
    for name, client, paths in pages:
        ms, hits = median_ms(client, paths, args.requests if "escalations" not in name else 3)
        print(f"| {name} | {ms:,.2f} | {floor / ms:.1%} | {hits:.0%} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
