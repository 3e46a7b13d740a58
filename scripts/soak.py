#!/usr/bin/env python3
"""Soak test: the hall under gunicorn, many writers at once, and a crash in the middle.

    .venv/bin/python scripts/soak.py               # the long form: 30 s (docs/quality.md)
    .venv/bin/python scripts/soak.py --seconds 10  # the short form (tests/ops/test_soak.py)

Builds a demo database once, serves a copy of it with gunicorn (2+ workers, loopback only),
and drives 16 logged-in writers (citizens asking and commenting, staff accepting and replying,
each POST with its CSRF token) while 4 readers browse. Part-way it kills the whole server with
SIGKILL, starts it again on the same database and carries on. Then it checks: no 5xx answer,
no "database is locked" in the server log, every write that got a success answer is in the
database, and PRAGMA integrity_check says ok. Bounded in time (--seconds, at most 300) and in
count (--max-requests per client). Prints a JSON summary; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "demo2011"  # xtq.demo.PASSWORD
HOST = "127.0.0.1"
DEPARTMENTS = ("gongan", "jiaoyu", "chengguan", "gongjiao")
INPUT_RE = re.compile(r"<input\b[^>]*>")
ATTR_RE = re.compile(r'(\w[\w-]*)="([^"]*)"')


# ---- a tiny HTTP client with a cookie jar (standard library only) ------------------------


class ServerDown(Exception):
    """No answer: refused, reset or timed out (expected around the crash)."""


@dataclass
class Response:
    status: int
    location: str
    body: str


class Client:
    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.stats = stats

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as e:
            self.stats.add("no_answer")
            raise ServerDown(str(e)) from None
        finally:
            conn.close()
        for cookie in raw.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in cookie or "expires=Thu, 01 Jan 1970" in cookie:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.stats.add("requests")
        if raw.status >= 500:
            self.stats.error(f"{raw.status} on {method} {path}")
        location = urlsplit(raw.getheader("Location") or "")
        return Response(raw.status, location.path + (f"#{location.fragment}" if location.fragment else ""), text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Response:
        return self.request("POST", path, form)


def hidden_inputs(html: str, action: str | None = None) -> dict[str, str]:
    """The hidden inputs (CSRF token, submit token) of the form posting to `action` (or the first form)."""
    if action is not None:
        start = html.find(f'action="{action}"')
        if start < 0:
            return {}
        html = html[start : html.find("</form>", start)]
    values = {}
    for tag in INPUT_RE.findall(html):
        attrs = dict(ATTR_RE.findall(tag))
        if attrs.get("type") == "hidden" and "name" in attrs:
            values.setdefault(attrs["name"], attrs.get("value", ""))
    return values


# ---- what happened -----------------------------------------------------------------------


@dataclass
class Stats:
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    writes: list[tuple] = field(default_factory=list)  # (kind, ...) each acknowledged as done
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            self.counts[name] = self.counts.get(name, 0) + n

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def wrote(self, *record) -> None:
        with self.lock:
            self.writes.append(record)


# ---- the clients -------------------------------------------------------------------------


def log_in(client: Client, username: str) -> None:
    page = client.get("/login")
    answer = client.post("/login", {**hidden_inputs(page.body), "username": username, "password": PASSWORD})
    if answer.status != 302:
        raise RuntimeError(f"{username} could not log in ({answer.status})")


def client_tag(client: Client) -> str:
    """A short tag per client: a 15-digit object id can read as an old ID number, which the hall masks."""
    return f"c{id(client) % 99991}"


def citizen_step(client: Client, rng: random.Random, name: str, n: int, post_ids: list[int]) -> None:
    marker = f"soak {name}/{client_tag(client)} #{n}"
    if rng.random() < 0.6 or not post_ids:
        dept = rng.choice(DEPARTMENTS)
        form = client.get(f"/ask?dept={dept}")
        answer = client.post(
            "/ask",
            {
                **hidden_inputs(form.body),
                "department": dept,
                "title": marker,
                "body": f"{marker}：压力测试中的问题。",
                "category": "城市管理",
            },
        )
        if answer.status == 302 and re.fullmatch(r"/q/\d+", answer.location):
            client.stats.wrote("question", int(answer.location.rsplit("/", 1)[1]), marker)
            client.stats.add("asked")
    else:
        post_id = rng.choice(post_ids)
        page = client.get(f"/p/{post_id}")
        answer = client.post(
            f"/p/{post_id}/comments", {**hidden_inputs(page.body, f"/p/{post_id}/comments"), "body": marker}
        )
        if answer.status == 302 and "评论已发表" in client.get(answer.location.split("#")[0]).body:
            client.stats.wrote("comment", post_id, marker)
            client.stats.add("commented")


def staff_step(client: Client, rng: random.Random, name: str, n: int) -> None:
    inbox = client.get("/console/questions")
    ids = re.findall(r'href="/q/(\d+)"', inbox.body)
    if not ids:
        time.sleep(0.2)
        return
    qid = rng.choice(ids[:10])
    page = client.get(f"/q/{qid}").body
    accept = f"/console/questions/{qid}/accept"
    reply = f"/console/questions/{qid}/reply"
    if f'action="{accept}"' in page:
        answer = client.post(accept, hidden_inputs(page, accept))
        if answer.status == 302 and answer.location.endswith("#history"):
            client.stats.add("accepted")
    elif f'action="{reply}"' in page:
        marker = f"soak reply {name}/{client_tag(client)} #{n}"
        answer = client.post(reply, {**hidden_inputs(page, reply), "reply-text": marker})
        if answer.status == 302 and answer.location.endswith("#history"):
            client.stats.wrote("reply", int(qid), marker)
            client.stats.add("replied")


def reader_step(client: Client, rng: random.Random, post_ids: list[int]) -> None:
    path = rng.choice(
        [
            "/",
            "/timeline",
            "/directory",
            f"/hall/{rng.choice(DEPARTMENTS)}",
            "/search?q=" + quote("公交"),
            "/api/v1/posts",
            f"/p/{rng.choice(post_ids)}" if post_ids else "/",
            "/feed.atom",
        ]
    )
    client.get(path)
    client.stats.add("reads")


def run_client(
    port: int,
    kind: str,
    username: str | None,
    stats: Stats,
    until: float,
    max_requests: int,
    post_ids: list[int],
    seed: int,
) -> None:
    rng = random.Random(seed)
    client = Client(port, stats)
    logged_in = False
    n = 0
    while time.monotonic() < until and stats.counts.get(f"steps:{seed}", 0) < max_requests:
        try:
            if username and not logged_in:
                log_in(client, username)
                logged_in = True
            if kind == "citizen":
                citizen_step(client, rng, username, n, post_ids)
            elif kind == "staff":
                staff_step(client, rng, username, n)
            else:
                reader_step(client, rng, post_ids)
            stats.add(f"steps:{seed}")
            n += 1
        except ServerDown:
            time.sleep(0.2)  # the server is down (the crash): try again shortly
        except RuntimeError as e:
            stats.error(str(e))
            time.sleep(0.5)


# ---- the server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def build_demo(instance: Path) -> None:
    env = {**os.environ, "XTQ_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    flask = [str(VENV_BIN / "flask"), "--app", "app"]
    for command in (["init-db"], ["demo"]):
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)


def start_server(instance: Path, port: int, workers: int, log) -> subprocess.Popen:
    env = {**os.environ, "XTQ_INSTANCE_PATH": str(instance), "XTQ_BIND": f"{HOST}:{port}", "XTQ_WORKERS": str(workers)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def crash(server: subprocess.Popen) -> None:
    """SIGKILL to the master and every worker at once: a power cut, as far as the app can tell."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        crash(server)


# ---- the checks --------------------------------------------------------------------------


def check_database(path: Path, stats: Stats) -> dict:
    con = sqlite3.connect(path)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        missing = []
        for record in stats.writes:
            kind = record[0]
            if kind == "question":
                row = con.execute("SELECT title FROM question WHERE id = ?", (record[1],)).fetchone()
                ok = row is not None and row[0] == record[2]
            elif kind == "comment":
                ok = (
                    con.execute("SELECT count(*) FROM comment WHERE post_id = ? AND body = ?", record[1:]).fetchone()[0]
                    == 1
                )
            else:
                ok = (
                    con.execute(
                        "SELECT count(*) FROM question_event WHERE question_id = ? AND kind = 'replied' AND text = ?",
                        record[1:],
                    ).fetchone()[0]
                    == 1
                )
            if not ok:
                missing.append(record)
        return {"integrity_check": integrity, "missing": missing, "double_steps": double_steps(con)}
    finally:
        con.close()


def double_steps(con: sqlite3.Connection) -> list[int]:
    """Questions where one step was taken twice at once: two accepts, or two replies to one request."""
    doubled, last = set(), {}
    for qid, kind in con.execute(
        "SELECT question_id, kind FROM question_event "
        "WHERE kind IN ('accepted', 'replied', 'transferred', 'followup', 'reopened') "
        "ORDER BY question_id, id"
    ):
        if kind in ("accepted", "replied") and last.get(qid) == kind:
            doubled.add(qid)
        last[qid] = kind
    return sorted(doubled)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the load (at most 300)")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2 or more)")
    parser.add_argument(
        "--kill-at", type=float, default=0.5, help="when to SIGKILL the server, as a share of --seconds"
    )
    parser.add_argument("--max-requests", type=int, default=2000, help="steps per client at most")
    parser.add_argument(
        "--busy-timeout-ms",
        type=int,
        default=None,
        help="override SQLITE_BUSY_TIMEOUT_MS (0 shows what the busy timeout guards against)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    args = parser.parse_args(argv)
    seconds = min(max(args.seconds, 2), 300)
    workers = max(args.workers, 2)

    work = Path(tempfile.mkdtemp(prefix="xtq-soak-"))
    template, instance = work / "template", work / "instance"
    template.mkdir()
    (template / "config.py").write_text("SECRET_KEY = 'soak'\n")
    build_demo(template)
    instance.mkdir()
    config = "SECRET_KEY = 'soak'\nRATELIMIT_ENABLED = False  # 16 clients share one address\n"
    if args.busy_timeout_ms is not None:
        config += f"SQLITE_BUSY_TIMEOUT_MS = {args.busy_timeout_ms}\n"
    (instance / "config.py").write_text(config)
    shutil.copy(template / "xtq.sqlite", instance / "xtq.sqlite")  # a copy of the demo database
    db_path = instance / "xtq.sqlite"
    con = sqlite3.connect(db_path)
    post_ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM post WHERE status = 'published' AND hidden_at IS NULL ORDER BY id DESC LIMIT 30"
        )
    ]
    # the demo's citizens who log in with the demo password (not the stand-ins for callers recorded by staff)
    citizens = [
        r[0]
        for r in con.execute(
            "SELECT username FROM user WHERE role = 'citizen' AND username NOT LIKE 'intake\\_%' ESCAPE '\\' ORDER BY id"
        )
    ]
    con.close()

    port = free_port()
    log_path = work / "server.log"
    stats = Stats()
    result: dict = {"seconds": seconds, "workers": workers, "writers": args.writers, "readers": args.readers}
    with open(log_path, "ab") as log:
        server = start_server(instance, port, workers, log)
        try:
            started = time.monotonic()
            until = started + seconds
            staff = [f"{d}_{t}" for d in DEPARTMENTS for t in ("lly", "fyr")]
            plan = []
            for i in range(args.writers):
                if i % 8 < 5:
                    plan.append(("citizen", citizens[i % len(citizens)]))
                else:
                    plan.append(("staff", staff[i % len(staff)]))
            plan += [("reader", None)] * args.readers
            threads = [
                threading.Thread(
                    target=run_client,
                    daemon=True,
                    args=(port, kind, name, stats, until, args.max_requests, post_ids, seed),
                )
                for seed, (kind, name) in enumerate(plan)
            ]
            for t in threads:
                t.start()
            time.sleep(seconds * args.kill_at)
            crash(server)
            result["killed_at_s"] = round(time.monotonic() - started, 1)
            server = start_server(instance, port, workers, log)
            result["restarted_at_s"] = round(time.monotonic() - started, 1)
            for t in threads:
                t.join(timeout=seconds + 30)
        finally:
            stop(server)
    server_log = log_path.read_text(errors="replace")
    checks = check_database(db_path, stats)
    locked = server_log.count("database is locked")
    tracebacks = server_log.count("Traceback")
    result.update(
        {
            "counts": {k: v for k, v in sorted(stats.counts.items()) if not k.startswith("steps:")},
            "acknowledged_writes": len(stats.writes),
            "errors_5xx": stats.errors[:20],
            "database_is_locked": locked,
            "tracebacks_in_server_log": tracebacks,
            "missing_writes": checks["missing"][:20],
            "questions_stepped_twice": checks["double_steps"][:20],
            "integrity_check": checks["integrity_check"],
        }
    )
    ok = (
        not stats.errors
        and not locked
        and not tracebacks
        and not checks["missing"]
        and not checks["double_steps"]
        and checks["integrity_check"] == "ok"
        and len(stats.writes) > 0
    )
    result["ok"] = ok
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.keep or not ok:
        print(f"working directory kept: {work}", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
