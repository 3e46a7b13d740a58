"""The page cache's hit rate on the lists under a stream of writes, in-process:
`python -m bench.hits --db copy-of-city.sqlite` (it writes: use a copy).

N rounds; in each, one write through its real form (in turn an ask, a comment on a post, an accept,
a reply, as in the mixed day), then one read of each list page as an anonymous and as a signed-in
reader. A read that the cache answers shows that the write before it left the page standing.
Reported per page and per kind of write, and over all writes.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections import Counter

from bench import target
from bench.cpu import login
from bench.mixed import Forms

KINDS = ("ask", "comment", "accept", "reply")
PAGES = ("/", "/timeline", "/directory")


def submit(client, page: str, action: str, values: dict[str, str]):
    """Fill the form posting to ``action`` on ``page`` as a browser would, send it; the response."""
    parser = Forms()
    parser.feed(client.get(page).get_data(as_text=True))
    return client.post(action or page, data={**parser.forms[action], **values})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=target.argument, required=True, help="a copy of a city: this writes to it")
    parser.add_argument("--rounds", type=int, default=80)
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)
    os.environ["XTQ_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="xtq-hits-")
    from xtq import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.db.url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    (slug,) = args.db.rows(
        "SELECT d.slug FROM question q JOIN department d ON d.id = q.department_id GROUP BY d.id ORDER BY count(*) DESC"
    )[0]
    posts = [
        i
        for (i,) in args.db.rows(
            "SELECT id FROM post WHERE status = 'published' AND hidden_at IS NULL ORDER BY published_at DESC LIMIT 20"
        )
    ]
    citizen, reader = (
        name for (name,) in args.db.rows("SELECT username FROM \"user\" WHERE role = 'citizen' ORDER BY id LIMIT 2")
    )
    writer, staff = login(app, citizen), login(app, f"{slug}_fyr")
    readers = {"anonymous": login(app, None), "signed-in": login(app, reader)}
    asked: list[int] = []  # this run's questions, accepted in turn
    accepted: list[int] = []
    hits, reads, failed = Counter(), Counter(), 0
    for n in range(args.rounds):
        kind = KINDS[n % len(KINDS)]
        if kind == "ask":
            fields = {
                "department": slug,
                "title": f"压测提问 {n}：小区路灯不亮",
                "body": "晚上很黑。",
                "category": "城市管理",
            }
            response = submit(writer, f"/ask?dept={slug}", "", fields)
            asked.append(int(response.headers["Location"].rsplit("/", 1)[1]))
        elif kind == "comment":
            post = posts[n % len(posts)]
            response = submit(writer, f"/p/{post}", f"/p/{post}/comments", {"body": f"感谢发布（{n}）"})
        elif kind == "accept":
            question = asked.pop()
            response = submit(staff, f"/q/{question}", f"/console/questions/{question}/accept", {})
            accepted.append(question)
        else:
            question = accepted.pop()
            values = {"reply-text": f"已安排处理，谢谢反映（{n}）。"}
            response = submit(staff, f"/q/{question}", f"/console/questions/{question}/reply", values)
        failed += response.status_code >= 400
        for reader, client in readers.items():
            for path in PAGES:
                response = client.get(path)
                reads[path, reader, kind] += 1
                hits[path, reader, kind] += response.headers.get("X-Cache") == "hit"
    print(f"{args.rounds} writes ({failed} failed), each followed by one read of each page as each reader\n")
    print("| page | reader | " + " | ".join(f"after {k}" for k in KINDS) + " | all |")
    print("|---|---|" + "---:|" * (len(KINDS) + 1))
    for path in PAGES:
        for reader in readers:
            shares = [hits[path, reader, k] / reads[path, reader, k] for k in KINDS]
            total = sum(hits[path, reader, k] for k in KINDS) / sum(reads[path, reader, k] for k in KINDS)
            print(f"| {path} | {reader} | " + " | ".join(f"{s:.0%}" for s in shares) + f" | {total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
