"""A realistic day at the hall, in one run: `python -m bench.mixed --db bench/out/city.sqlite`
(or `--db postgresql://...`).

Readers of three kinds read at once against one server (gunicorn, 2 sync workers), one wrk per
page class, the connections split 70 / 20 / 10 between anonymous readers, signed-in citizens and
staff (with the office's lists); a few hot questions and departments and a long tail of old ones
(Zipf). Beside them WRITERS threads submit WRITES_PER_S real forms a second between them (asks,
comments, accepts, replies), each fetched first for its CSRF token like a browser. Reported:
requests/s and p50/p95/p99 per page class, the whole blend against the template floor (both
floors measured in the same run), the page cache's hit rate among anonymous reads (the X-Cache
header), each worker's peak memory (RSS, private, anonymous), the write rate reached, and any
error. Then each page alone, and page 500 of the lists beside their page 1. `--smoke` runs the
mixed part for a few seconds (tests/ops/test_bench_smoke.py).

wrk is closed-loop: each class gets a share of the connections, not of the requests; the table
shows the share of requests each class ended up with.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from bench import machine, pages, target, wrk
from bench.city import PASSWORD
from bench.pages import DEEP_PAGE
from bench.report import DEEP_RATIO
from bench.run import FLOOR_AGAIN, FLOOR_SPECS, FLOORS, instance_dir, measure_app, refresh_figures
from bench.server import Gunicorn, Memory, memory
from bench.target import Target

ROOT = Path(__file__).resolve().parent.parent
WRITES_PER_S = 5.0
ZIPF_S = 1.1
SAMPLES = 4000  # paths per class, drawn once; wrk picks among them at random
# issue 12: the blend ≥ 35 % of the template floor (25 % on PostgreSQL), p99 < 100 ms; workers < 150 MB
TARGET_SHARE, TARGET_SHARE_POSTGRES, P99_MS, RSS_MB = 0.35, 0.25, 100.0, 150.0
WRITERS = 8  # threads submitting forms: each write waits behind the readers' queue for a while
# Sent by the browsers that sign in and by wrk alike: Flask-Login's session protection fingerprints a
# session by address and User-Agent, and a cookie replayed from another one is rewritten (Set-Cookie)
# on every request, which no real browser keeps doing.
USER_AGENT = "xtq-bench"


# ---------------------------------------------------------------- what the readers ask for


@dataclass(frozen=True)
class City:
    slugs: list[str]  # departments, busiest first
    questions: list[int]  # public question ids, newest first
    posts: list[int]  # recent public post ids
    citizens: list[str]
    staff: list[tuple[str, str]]  # (username, department slug), busiest departments first
    asked: dict[str, list[int]]  # slug -> ids waiting to be accepted, for the writers' staff
    accepted: dict[str, list[int]]  # slug -> ids accepted, waiting for a reply
    deep: dict[str, str]  # list page -> the `after=` cursor of its page DEEP_PAGE


def read_city(target: Target, citizens: int, staff: int) -> City:
    slugs = [
        s
        for (s,) in target.rows(
            "SELECT d.slug FROM department d LEFT JOIN question q ON q.department_id = d.id "
            "GROUP BY d.id ORDER BY count(q.id) DESC, d.position"
        )
    ]
    questions = [i for (i,) in target.rows("SELECT id FROM question WHERE hidden_at IS NULL ORDER BY id DESC")]
    posts = [
        i
        for (i,) in target.rows(
            "SELECT id FROM post WHERE status = 'published' AND hidden_at IS NULL ORDER BY id DESC LIMIT 2000"
        )
    ]
    people = [
        u
        for (u,) in target.rows(
            "SELECT username FROM \"user\" WHERE role = 'citizen' AND active ORDER BY id LIMIT :n", n=citizens
        )
    ]
    staff_rows = []
    for slug in slugs[:staff]:
        staff_rows += target.rows(
            'SELECT u.username, d.slug FROM "user" u JOIN department d ON d.id = u.department_id '
            "WHERE d.slug = :slug AND u.role = 'staff' ORDER BY u.id LIMIT 1",
            slug=slug,
        )

    def waiting(slug: str, status: str) -> list[int]:
        return [
            i
            for (i,) in target.rows(
                "SELECT q.id FROM question q JOIN department d ON d.id = q.department_id "
                "WHERE d.slug = :slug AND q.status = :status AND q.hidden_at IS NULL ORDER BY q.id DESC LIMIT 500",
                slug=slug,
                status=status,
            )
        ]

    (dept_id,) = target.rows("SELECT id FROM department WHERE slug = :slug", slug=slugs[0])[0]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    deep = {
        "/": pages.deep_cursor(target, "post", "published_at", pages.PUBLIC_POSTS, now=now),
        f"/hall/{slugs[0]}": pages.deep_cursor(
            target, "post", "published_at", f"department_id = :dept AND {pages.PUBLIC_POSTS}", dept=dept_id, now=now
        ),
        "/timeline": pages.deep_cursor(target, "question", "last_activity_at", "hidden_at IS NULL"),
        "/console/questions?status=all": pages.deep_cursor(
            target, "question", "last_activity_at", "department_id = :dept", dept=dept_id
        ),
    }
    return City(
        slugs,
        questions,
        posts,
        people,
        [tuple(r) for r in staff_rows],
        {slug: waiting(slug, "asked") for _, slug in staff_rows},
        {slug: waiting(slug, "accepted") for _, slug in staff_rows},
        {path: after for path, after in deep.items() if after},
    )


def zipf(items: list, rng: random.Random, k: int) -> list:
    """``k`` draws from ``items``, the first ones hot and a long tail (Zipf, s = ZIPF_S)."""
    weights = list(itertools.accumulate(1 / (rank**ZIPF_S) for rank in range(1, len(items) + 1)))
    return rng.choices(items, cum_weights=weights, k=k)


def blend(parts: list[tuple[float, list[str]]], rng: random.Random) -> list[str]:
    """SAMPLES paths, each drawn from ``parts`` by weight: (weight, paths to draw from evenly)."""
    weights = [w for w, _ in parts]
    return [rng.choice(rng.choices(parts, weights)[0][1]) for _ in range(SAMPLES)]


@dataclass
class PageClass:
    """Readers of one kind: wrk sends each request to a path drawn from ``requests`` with its cookie
    ("" for an anonymous reader)."""

    name: str
    connections: int
    requests: list[tuple[str, str]]


def as_reader(paths: list[str], cookies: list[str], rng: random.Random) -> list[tuple[str, str]]:
    """Each path with one of ``cookies`` at random (none: anonymous)."""
    return [(path, rng.choice(cookies) if cookies else "") for path in paths]


def with_after(path: str, cursor: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}after={cursor}"


def staff_requests(city: City, sessions: dict[str, str], rng: random.Random) -> list[tuple[str, str]]:
    """The staff's day: the inbox (open, 我承办的, all), their own open questions, the console and
    the composer; the office (admin) on the escalation list, the review queue and dispatch."""
    requests: list[tuple[str, str]] = []
    for name, slug in city.staff:
        own = [f"/q/{i}" for i in (city.asked.get(slug, []) + city.accepted.get(slug, []))[:50]]
        mix = [
            (0.35, ["/console/questions"]),
            (0.05, ["/console/questions?status=mine"]),
            (0.10, ["/console/questions?status=all"]),
            (0.30, own or ["/console/questions"]),
            (0.10, ["/console"]),
            (0.05, ["/console/compose"]),
        ]
        requests += as_reader(blend(mix, rng)[: SAMPLES // len(city.staff)], [sessions[name]], rng)
    office = blend([(0.5, ["/admin/escalations"]), (0.25, ["/admin/review"]), (0.25, ["/admin/dispatch"])], rng)
    requests += as_reader(office[: len(requests) * 15 // 85], [sessions["admin"]], rng)
    return requests


def page_classes(city: City, sessions: dict[str, str], rng: random.Random, connections: int) -> list[PageClass]:
    halls = [f"/hall/{s}" for s in zipf(city.slugs, rng, SAMPLES)]
    questions = [f"/q/{i}" for i in zipf(city.questions, rng, SAMPLES)]
    public = [(0.20, ["/"]), (0.20, halls), (0.05, ["/directory"]), (0.05, ["/timeline"]), (0.50, questions)]
    citizen = public + [(0.05, ["/me/following"]), (0.05, ["/me/questions"]), (0.03, ["/notifications"])]
    citizen_cookies = [sessions[u] for u in city.citizens]
    anonymous = max(1, round(connections * 0.7))
    signed_in = max(1, round(connections * 0.2))
    return [
        PageClass(
            "anonymous: home, halls, directory, timeline",
            max(1, anonymous * 5 // 10),
            as_reader(blend(public[:4], rng), [], rng),
        ),
        PageClass(
            "anonymous: questions (Zipf over all)",
            max(1, anonymous - anonymous * 5 // 10),
            as_reader(questions, [], rng),
        ),
        PageClass("signed-in citizens", signed_in, as_reader(blend(citizen, rng), citizen_cookies, rng)),
        PageClass(
            "staff and office: inbox, questions, console, admin lists",
            max(1, connections - anonymous - signed_in),
            staff_requests(city, sessions, rng),
        ),
    ]


LUA = """
local requests = %(requests)s
local counted = {}
local t = 0
setup = function(thread)
  t = t + 1
  thread:set("id", t)
  table.insert(counted, thread)
end
init = function(args)
  hits, misses, unkept = 0, 0, 0
  math.randomseed(id * 7919 + os.time())
end
request = function()
  local r = requests[math.random(#requests)]
  local headers = {}
  headers["User-Agent"] = %(agent)s
  if r[2] ~= "" then headers["Cookie"] = r[2] end
  return wrk.format("GET", r[1], headers)
end
response = function(status, headers, body)
  local cache = headers["X-Cache"]
  if cache == "hit" then hits = hits + 1 elseif cache == "miss" then misses = misses + 1 else unkept = unkept + 1 end
end
done = function(summary, latency, requests)
  local h, m, u = 0, 0, 0
  for _, thread in ipairs(counted) do
    h = h + thread:get("hits"); m = m + thread:get("misses"); u = u + thread:get("unkept")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "hits": %%d, "misses": %%d, "unkept": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout, h, m, u))
end
"""


def lua_requests(requests: list[tuple[str, str]]) -> str:
    return "{" + ",".join("{" + ",".join(json.dumps(v, ensure_ascii=False) for v in r) + "}" for r in requests) + "}"


@dataclass
class ClassResult:
    page_class: PageClass
    result: wrk.Result
    hits: int
    misses: int  # rendered and kept (X-Cache: miss)
    unkept: int  # rendered and not kept (no X-Cache): a page that is cached for others counts them as misses

    @property
    def seen(self) -> int:
        """Responses of a cached page (none for a page never kept)."""
        return self.hits + self.misses + self.unkept if self.hits + self.misses else 0


def start_wrk(base: str, page_class: PageClass, seconds: int, tmp: Path) -> subprocess.Popen:
    script = tmp / f"mixed-{abs(hash(page_class.name))}.lua"
    script.write_text(LUA % {"requests": lua_requests(page_class.requests), "agent": json.dumps(USER_AGENT)})
    threads = min(2, page_class.connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{page_class.connections}",
        f"-d{seconds}s",
        "--timeout=30s",
        "-s",
        str(script),
        base + "/",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_wrk(page_class: PageClass, process: subprocess.Popen) -> ClassResult:
    output, _ = process.communicate()
    result = wrk.parse(output)
    line = next(text for text in output.splitlines() if text.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    return ClassResult(page_class, result, data["hits"], data["misses"], data["unkept"])


# ---------------------------------------------------------------- sessions and real forms


class Forms(HTMLParser):
    """The forms of a page: action -> {field: value}, hidden fields and first options included."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._current = self.forms.setdefault(a.get("action", ""), {})
        elif self._current is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "submit"):
            self._current.setdefault(a["name"], a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._current.setdefault(a["name"], "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            self._current.setdefault(self._select, a["value"])  # the first real choice

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


class Browser:
    """A signed-in reader's cookies, and forms submitted as a browser does."""

    def __init__(self, base: str) -> None:
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]
        self.landed = ""  # where the last form submitted redirected to

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, page: str, action: str, values: dict[str, str]) -> int:
        """Fill the form posting to ``action`` ("" for the page itself) on ``page`` and send it; the status.
        A form shown again with its errors (200, not redirected to what it made) counts as 422."""
        parser = Forms()
        parser.feed(self.get(page))
        if action not in parser.forms:
            raise LookupError(f"no form for {action} on {page}")
        data = urllib.parse.urlencode({**parser.forms[action], **values}).encode()
        try:
            with self.opener.open(self.base + (action or page), data=data, timeout=30) as response:
                response.read()
                self.landed = response.geturl()
                return response.status if self.landed != self.base + (action or page) else 422
        except urllib.error.HTTPError as e:
            return e.code

    def login(self, username: str) -> str:
        status = self.submit("/login", "", {"username": username, "password": PASSWORD})
        cookie = next((c for c in self.jar if c.name == "session"), None)
        if status != 200 or cookie is None or "logout" not in self.get("/"):
            raise RuntimeError(f"could not sign in as {username} (status {status})")
        return f"session={cookie.value}"


class NothingToDo(Exception):
    """No question left in the state a write needs: skipped, not an error."""


@dataclass
class Writes:
    done: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str) -> None:
        with self.lock:
            self.done[kind] = self.done.get(kind, 0) + 1


class Schedule:
    """The writers' shared clock: write number k is due at start + k / rate; a writer takes the next
    number when it is free, so several writers keep the rate although each write takes a while."""

    def __init__(self, rate: float) -> None:
        self.rate, self.lock, self.count = rate, threading.Lock(), 0
        self.start = time.monotonic()

    def next(self) -> tuple[int, float]:
        with self.lock:
            self.count += 1
            return self.count, self.start + self.count / self.rate


def writer(
    city: City,
    seat: tuple[Browser, Browser, str],
    schedule: Schedule,
    stop: threading.Event,
    out: Writes,
) -> None:
    """Real form submissions at the schedule's pace until ``stop``: asks, comments, accepts, replies,
    as one signed-in citizen and one department's staff member (the seat: citizen, staff, slug)."""
    citizen, staff, slug = seat
    rng = random.Random(id(seat))
    while True:
        n, due = schedule.next()
        if stop.wait(max(0.0, due - time.monotonic())):
            return
        kind = ("ask", "comment", "accept", "reply")[n % 4]
        started = time.monotonic()
        try:
            status = _write(kind, city, rng, citizen, staff, slug, n)
        except NothingToDo:
            out.skipped += 1  # several writers may miss one here: a count for the report, nothing more
            continue
        except (LookupError, OSError) as e:
            out.failed.append(f"{kind}: {e}")
        else:
            if status >= 400:
                out.failed.append(f"{kind}: HTTP {status}")
            else:
                out.count(kind)
        out.latencies_ms.append((time.monotonic() - started) * 1000)


def _write(kind: str, city: City, rng: random.Random, citizen: Browser, staff: Browser, slug: str, n: int) -> int:
    if kind == "ask":
        department = rng.choice(city.slugs[:10])
        status = citizen.submit(
            f"/ask?dept={department}",
            "",
            {
                "department": department,
                "title": f"压测提问 {n}：小区路灯不亮",
                "body": "晚上很黑，请尽快修理。",
                "category": "城市管理",
            },
        )
        asked = re.search(r"/q/(\d+)$", citizen.landed)
        if asked and department in city.asked:  # for the writers' staff to accept, in later runs too
            city.asked[department].insert(0, int(asked.group(1)))
        return status
    if kind == "comment":
        post = rng.choice(city.posts[:200])
        return citizen.submit(f"/p/{post}", f"/p/{post}/comments", {"body": f"感谢发布（{n}）"})
    waiting = city.asked[slug] if kind == "accept" else city.accepted[slug]
    while waiting:
        question = waiting.pop()  # atomic: no two writers take the same question
        action = f"/console/questions/{question}/{kind}"
        values = {} if kind == "accept" else {"reply-text": f"已安排处理，谢谢反映（{n}）。"}
        try:
            status = staff.submit(f"/q/{question}", action, values)
        except LookupError:
            continue  # no such form on the page any more (e.g. handled meanwhile): the next question
        if kind == "accept":
            city.accepted[slug].append(question)
        return status
    raise NothingToDo(slug)


# ---------------------------------------------------------------- one page class at a time


def single_pages(
    city: City, sessions: dict[str, str], csrf_only: str, rng: random.Random, connections: int
) -> list[PageClass]:
    """Issue 12's table: each kind of page alone, all connections on it; a list's page DEEP_PAGE
    right after its page 1."""
    citizen = [sessions[city.citizens[0]]]
    name, slug = city.staff[0]
    staff, admin = [sessions[name]], [sessions["admin"]]
    every_question = [f"/q/{i}" for i in rng.choices(city.questions, k=SAMPLES)]  # uniform: all misses
    own = [f"/q/{i}" for i in (city.asked.get(slug, []) + city.accepted.get(slug, []))[:200]]
    hall = f"/hall/{city.slugs[0]}"
    listed = [  # (name, paths, cookies, page DEEP_PAGE after page 1)
        ("home, anonymous", "/", [], False),
        ("home, anonymous with a CSRF-only session", "/", [csrf_only], False),
        ("home, signed-in citizen", "/", citizen, True),
        (f"{hall}, signed-in citizen", hall, citizen, True),
        ("/timeline, signed-in citizen", "/timeline", citizen, True),
        ("/q/<uniformly random id>, anonymous", every_question, [], False),
        ("/q/<uniformly random id>, signed-in citizen", every_question, citizen, False),
        (f"/console/questions, {name}", "/console/questions", staff, False),
        (f"/console/questions?status=mine, {name}", "/console/questions?status=mine", staff, False),
        (f"/console/questions?status=all, {name}", "/console/questions?status=all", staff, True),
        (f"/q/<open question of {slug}> as its staff", own or ["/console/questions"], staff, False),
        ("/console/compose", "/console/compose", staff, False),
        ("/admin/escalations, admin", "/admin/escalations", admin, False),
        ("/admin/review, admin", "/admin/review", admin, False),
        ("/admin/dispatch, admin", "/admin/dispatch", admin, False),
    ]
    out = []
    for label, paths, cookies, deep in listed:
        paths = [paths] if isinstance(paths, str) else paths
        out.append(PageClass(label, connections, as_reader(paths, cookies, rng)))
        if deep and paths[0] in city.deep:
            deep_path = with_after(paths[0], city.deep[paths[0]])
            out.append(PageClass(f"{DEEP_LABEL}{label}", connections, as_reader([deep_path], cookies, rng)))
    return out


DEEP_LABEL = f"↳ page {DEEP_PAGE} of "


def measure_single(server: Gunicorn, alone: list[PageClass], seconds: int, warmup: int, tmp: Path) -> list[ClassResult]:
    results = []
    for page in alone:
        if warmup:
            finish_wrk(page, start_wrk(server.base, page, warmup, tmp))
            server.drain()
        results.append(finish_wrk(page, start_wrk(server.base, page, seconds, tmp)))
        server.drain()
        r = results[-1].result
        print(f"  {page.name:<60} {r.rps:8.1f} req/s  p99 {r.p99_ms:8.1f} ms  errors {r.errors}", flush=True)
    return results


def single_table(results: list[ClassResult], floor: float) -> str:
    lines = [
        "| page | req/s | × template floor | p50 ms | p99 ms | page cache hits | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for r in results:
        res, seen = r.result, r.seen
        hit = f"{r.hits / seen:.0%}" if seen else "—"
        name = r.page_class.name
        if name.startswith(DEEP_LABEL) and previous and previous.result.p50_ms:
            ratio = res.p50_ms / previous.result.p50_ms
            name += f" (p50 {ratio:.2f}× page 1: {'ok' if ratio <= DEEP_RATIO else 'miss'}, target ≤ {DEEP_RATIO}×)"
        lines.append(
            f"| {name} | {res.rps:,.1f} | {res.rps / floor if floor else 0:.1%} | "
            f"{res.p50_ms:,.1f} | {res.p99_ms:,.1f} | {hit} | {res.errors} |"
        )
        previous = r
    return "\n".join(lines)


def memory_sampler(server: Gunicorn, stop: threading.Event, peaks: dict[int, Memory]) -> None:
    """Each worker's peak memory (by pid: gunicorn may recycle a worker), once a second."""
    while not stop.wait(1.0):
        sample_memory(server, peaks)


def sample_memory(server: Gunicorn, peaks: dict[int, Memory]) -> None:
    for pid in server.worker_pids():
        if (now := memory(pid)) is not None:
            old = peaks.get(pid, now)
            peaks[pid] = Memory(max(old.rss, now.rss), max(old.private, now.private), max(old.anonymous, now.anonymous))


# ---------------------------------------------------------------- the run


def seats(base: str, city: City, count: int) -> list[tuple[Browser, Browser, str]]:
    """A signed-in citizen and staff member for each writer."""
    out = []
    for n in range(count):
        citizen, staff = Browser(base), Browser(base)
        citizen.login(city.citizens[n % len(city.citizens)])
        name, slug = city.staff[n % len(city.staff)]
        staff.login(name)
        out.append((citizen, staff, slug))
    return out


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    city = read_city(args.db, citizens=3 if args.smoke else 40, staff=2 if args.smoke else 6)
    print(
        f"mixed day: {args.connections} connections for {args.seconds} s, ~{args.writes} writes/s "
        f"from {args.writers} writers, database {args.db.label}",
        flush=True,
    )
    described = machine.describe()
    described["database"] = args.db.label if args.db.postgres else f"SQLite, {args.db.path.name}"
    with tempfile.TemporaryDirectory(prefix="xtq-mixed-") as tmp_name:
        tmp = Path(tmp_name)
        config = "RATELIMIT_ENABLED = False\n"  # one client address makes every request; limits are per person
        env = {"XTQ_INSTANCE_PATH": str(instance_dir(tmp, config=config)), "DATABASE_URL": args.db.url}
        settings = wrk.Settings(2, args.connections, args.floor_seconds, 30)
        floors = []
        for spec, floor in zip(FLOOR_SPECS, FLOORS):
            floors += measure_app(spec, [floor], env, tmp, settings, warmup=0 if args.smoke else 2)
        refresh_figures(env)  # as cron does; else the first page to find them stale computes them
        with Gunicorn("app:app", env, tmp) as server:
            sessions = {
                name: Browser(server.base).login(name)
                for name in city.citizens + [u for u, _ in city.staff] + ["admin"]
            }
            visitor = Browser(server.base)
            visitor.get("/login")  # leaves a session holding only a CSRF token
            csrf_only = "session=" + next(c.value for c in visitor.jar if c.name == "session")
            classes = page_classes(city, sessions, rng, args.connections)
            if args.warmup:
                for process, page_class in [(start_wrk(server.base, c, args.warmup, tmp), c) for c in classes]:
                    finish_wrk(page_class, process)
                server.drain()
            writer_seats = seats(server.base, city, args.writers)
            stop, memory_peaks, writes = threading.Event(), {}, Writes()
            sampler = threading.Thread(target=memory_sampler, args=(server, stop, memory_peaks), daemon=True)
            started = [(c, start_wrk(server.base, c, args.seconds, tmp)) for c in classes]
            schedule = Schedule(args.writes)
            threads = [sampler] + [
                threading.Thread(target=writer, args=(city, seat, schedule, stop, writes), daemon=True)
                for seat in writer_seats
            ]
            for t in threads:
                t.start()
            results = [finish_wrk(c, p) for c, p in started]
            stop.set()
            for t in threads:
                t.join(timeout=60)
            sample_memory(server, memory_peaks)
            server.drain()
            singles = []
            if not args.no_pages:
                everything = dict(memory_peaks)
                stop = threading.Event()
                sampler = threading.Thread(target=memory_sampler, args=(server, stop, everything), daemon=True)
                sampler.start()
                alone = single_pages(city, sessions, csrf_only, rng, args.connections)
                singles = measure_single(server, alone, args.page_seconds, 0 if args.smoke else 2, tmp)
                stop.set()
                sampler.join(timeout=10)
        floors += measure_app(FLOOR_SPECS[1], [FLOOR_AGAIN], env, tmp, settings, warmup=0)
    floor = floors[1].result.rps if floors[1].result else 0.0
    text = report(results, floors, floor, writes, memory_peaks, args, described)
    if singles:
        text += "\n\nEach page alone, all connections on it, same server and run:\n\n" + single_table(singles, floor)
        text += "\n\n" + memory_line("Workers over the whole run, single pages included", everything)
    print(text)
    if args.write:
        write(args.write, text)
        print(f"wrote {args.write}")
    errors = sum(r.result.errors for r in results + singles) + len(writes.failed)
    return 1 if errors else 0


def memory_line(title: str, peaks: dict[int, Memory]) -> str:
    """Each worker's peak memory, the 150 MB target beside it (it is about private memory)."""
    workers = "; ".join(f"{m.rss:,.0f} / {m.private:,.0f} / {m.anonymous:,.0f}" for _, m in sorted(peaks.items()))
    worst = max((m.private for m in peaks.values()), default=0.0)
    verdict = "ok" if worst < RSS_MB else "miss"
    return (
        f"{title}: peak MB per worker, RSS / private (USS) / anonymous: {workers or 'not sampled'} "
        f"(target private < {RSS_MB:.0f} MB: {verdict}).".replace(" ,", ",")
    )


def report(
    results: list[ClassResult],
    floors,
    floor: float,
    writes: Writes,
    memory_peaks: dict[int, Memory],
    args: argparse.Namespace,
    described: dict[str, str],
) -> str:
    total = sum(r.result.requests for r in results)
    seconds = max(r.result.seconds for r in results)
    blend_rps = total / seconds if seconds else 0.0
    lines = ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in described.items()]
    lines += ["", "| floor | req/s | p99 ms |", "|---|---:|---:|"]
    lines += [f"| {f.page.name} | {f.result.rps:,.1f} | {f.result.p99_ms:,.1f} |" for f in floors if f.result]
    lines += [
        "",
        "| page class | connections | req/s | share of requests | p50 ms | p95 ms | p99 ms | "
        "page cache hits | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        res, seen = r.result, r.seen
        hit = f"{r.hits / seen:.0%} of {seen:,}" if seen else "—"
        lines.append(
            f"| {r.page_class.name} | {r.page_class.connections} | {res.rps:,.1f} | "
            f"{res.requests / total if total else 0:.0%} | {res.p50_ms:,.1f} | {res.p95_ms:,.1f} | "
            f"{res.p99_ms:,.1f} | {hit} | {res.errors} |"
        )
    worst_p99 = max((r.result.p99_ms for r in results), default=0.0)
    share = blend_rps / floor if floor else 0.0
    goal = TARGET_SHARE_POSTGRES if args.db.postgres else TARGET_SHARE
    verdict = "ok" if share >= goal and worst_p99 < P99_MS else "miss"
    done = ", ".join(f"{n} {k}" for k, n in sorted(writes.done.items())) or "none"
    write_ms = sorted(writes.latencies_ms)
    lines += [
        "",
        f"Blend: **{blend_rps:,.1f} req/s = {share:.1%} of the template floor** "
        f"(target ≥ {goal:.0%}, p99 < {P99_MS:.0f} ms in every class: {verdict}).",
        memory_line("Workers during the mixed day", memory_peaks),
        f"Writes through the real forms: {done} in {seconds:.0f} s "
        f"({sum(writes.done.values()) / seconds if seconds else 0:.1f}/s against {args.writes:g}/s asked, "
        f"{args.writers} writers; each a GET of the form and its POST, "
        f"median {write_ms[len(write_ms) // 2] if write_ms else 0:,.0f} ms, "
        f"p95 {write_ms[len(write_ms) * 95 // 100] if write_ms else 0:,.0f} ms); "
        f"skipped (no question in the state needed): {writes.skipped}; failed: {len(writes.failed)}{' (' + '; '.join(writes.failed[:3]) + ')' if writes.failed else ''}.",
    ]
    return "\n".join(lines)


BEGIN, END = "<!-- mixed:begin (written by bench/mixed.py) -->", "<!-- mixed:end -->"


def write(doc: Path, text: str) -> None:
    """Replace the generated mixed-day section of ``doc`` (appended the first time)."""
    old = doc.read_text() if doc.exists() else ""
    block = f"{BEGIN}\n\n{text}\n\n{END}"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        doc.write_text(head + block + rest.split(END, 1)[1])
    else:
        doc.write_text(old.rstrip("\n") + "\n\n" + block + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=target.argument,
        default=str(ROOT / "bench" / "out" / "city.sqlite"),
        help="made by bench.generate: a SQLite file or a postgresql:// URL",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed run")
    parser.add_argument("--floor-seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--writes", type=float, default=WRITES_PER_S, help="form submissions per second")
    parser.add_argument("--writers", type=int, default=WRITERS, help="threads submitting forms")
    parser.add_argument("--page-seconds", type=int, default=8, help="length of each single-page run")
    parser.add_argument("--no-pages", action="store_true", help="skip the single-page runs after the mixed one")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--write", type=Path, default=None, help="a doc to put the table in (e.g. docs/performance.md)")
    parser.add_argument("--smoke", action="store_true", help="a few seconds, no warm-up, no single pages, for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.connections, args.seconds, args.floor_seconds, args.warmup, args.write = 8, 3, 1, 0, None
        args.writers = 2
        args.no_pages = True  # the same wrk runs as the mixed classes, one at a time: seconds saved in CI
    return args


def main(argv: list[str] | None = None) -> int:
    if not wrk.available():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
