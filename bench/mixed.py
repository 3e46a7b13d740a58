"""A realistic day at the hall, in one run: `python -m bench.mixed --db bench/out/city.sqlite`.

Readers of three kinds read at once against one server (gunicorn, 2 sync workers), one wrk per
page class, the connections split 70 / 20 / 10 between anonymous readers, signed-in citizens and
staff; a few hot questions and departments and a long tail of old ones (Zipf). Beside them a
writer submits about WRITES_PER_S real forms a second (asks, comments, accepts, replies), each
fetched first for its CSRF token like a browser. Reported: requests/s and p50/p95/p99 per page
class, the whole blend against the template floor (both floors measured in the same run), the
page cache's hit rate among anonymous reads (the X-Cache header), the workers' peak RSS, and any
error. `--smoke` runs it for a few seconds (tests/ops/test_bench_smoke.py).

wrk is closed-loop: each class gets a share of the connections, not of the requests; the table
shows the share of requests each class ended up with.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import itertools
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench import machine, wrk
from bench.city import PASSWORD
from bench.run import FLOOR_AGAIN, FLOOR_SPECS, FLOORS, instance_dir, measure_app, refresh_figures
from bench.server import Gunicorn

ROOT = Path(__file__).resolve().parent.parent
WRITES_PER_S = 5.0
ZIPF_S = 1.1
SAMPLES = 4000  # paths per class, drawn once; wrk picks among them at random
TARGET_SHARE, P99_MS = 0.35, 100.0  # issue 12: the blend ≥ 35 % of the template floor, p99 < 100 ms


# ---------------------------------------------------------------- what the readers ask for


@dataclass(frozen=True)
class City:
    slugs: list[str]  # departments, busiest first
    questions: list[int]  # public question ids, newest first
    posts: list[int]  # recent public post ids
    citizens: list[str]
    staff: list[tuple[str, str]]  # (username, department slug), busiest departments first
    open_questions: dict[str, list[int]]  # slug -> ids asked or accepted, for the writer's staff


def read_city(db_file: Path, citizens: int, staff: int) -> City:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        slugs = [
            s
            for (s,) in conn.execute(
                "SELECT d.slug FROM department d LEFT JOIN question q ON q.department_id = d.id "
                "GROUP BY d.id ORDER BY count(q.id) DESC, d.position"
            )
        ]
        questions = [i for (i,) in conn.execute("SELECT id FROM question WHERE hidden_at IS NULL ORDER BY id DESC")]
        posts = [
            i
            for (i,) in conn.execute(
                "SELECT id FROM post WHERE status = 'published' AND hidden_at IS NULL ORDER BY id DESC LIMIT 2000"
            )
        ]
        people = [
            u
            for (u,) in conn.execute(
                "SELECT username FROM user WHERE role = 'citizen' AND active ORDER BY id LIMIT ?", (citizens,)
            )
        ]
        staff_rows = []
        for slug in slugs[:staff]:
            staff_rows += conn.execute(
                "SELECT u.username, d.slug FROM user u JOIN department d ON d.id = u.department_id "
                "WHERE d.slug = ? AND u.role = 'staff' ORDER BY u.id LIMIT 1",
                (slug,),
            ).fetchall()
        open_questions = {
            slug: [
                i
                for (i,) in conn.execute(
                    "SELECT q.id FROM question q JOIN department d ON d.id = q.department_id "
                    "WHERE d.slug = ? AND q.status IN ('asked', 'accepted') ORDER BY q.id DESC LIMIT 500",
                    (slug,),
                )
            ]
            for _, slug in staff_rows
        }
    finally:
        conn.close()
    return City(slugs, questions, posts, people, staff_rows, open_questions)


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
    name: str
    connections: int
    paths: list[str]
    cookies: list[str] = field(default_factory=list)  # one per signed-in reader; empty: anonymous


def page_classes(city: City, sessions: dict[str, str], rng: random.Random, connections: int) -> list[PageClass]:
    halls = [f"/hall/{s}" for s in zipf(city.slugs, rng, SAMPLES)]
    questions = [f"/q/{i}" for i in zipf(city.questions, rng, SAMPLES)]
    public = [(0.20, ["/"]), (0.20, halls), (0.05, ["/directory"]), (0.05, ["/timeline"]), (0.50, questions)]
    citizen = public + [(0.05, ["/me/following"]), (0.05, ["/me/questions"]), (0.03, ["/notifications"])]
    staff_paths: list[str] = []
    for _, slug in city.staff:
        own = [f"/q/{i}" for i in city.open_questions.get(slug, [])[:50]] or ["/console/questions"]
        mix = [
            (0.45, ["/console/questions"]),
            (0.10, ["/console/questions?status=all"]),
            (0.30, own),
            (0.10, ["/console"]),
            (0.05, ["/console/compose"]),
        ]
        staff_paths += blend(mix, rng)[: SAMPLES // len(city.staff)]
    anonymous = max(1, round(connections * 0.7))
    signed_in = max(1, round(connections * 0.2))
    return [
        PageClass("anonymous: home, halls, directory, timeline", max(1, anonymous * 5 // 10), blend(public[:4], rng)),
        PageClass("anonymous: questions (Zipf over all)", max(1, anonymous - anonymous * 5 // 10), questions),
        PageClass(
            "signed-in citizens", signed_in, blend(citizen, rng), [sessions[u] for u in city.citizens if u in sessions]
        ),
        PageClass(
            "staff: inbox, questions, console",
            max(1, connections - anonymous - signed_in),
            staff_paths,
            [sessions[u] for u, _ in city.staff if u in sessions],
        ),
    ]


LUA = """
local paths = %(paths)s
local cookies = %(cookies)s
local counted = {}
local t = 0
setup = function(thread)
  t = t + 1
  thread:set("id", t)
  table.insert(counted, thread)
end
init = function(args)
  hits, misses = 0, 0
  math.randomseed(id * 7919 + os.time())
end
request = function()
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[math.random(#cookies)] end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end
response = function(status, headers, body)
  local cache = headers["X-Cache"]
  if cache == "hit" then hits = hits + 1 elseif cache == "miss" then misses = misses + 1 end
end
done = function(summary, latency, requests)
  local h, m = 0, 0
  for _, thread in ipairs(counted) do
    h = h + thread:get("hits"); m = m + thread:get("misses")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "hits": %%d, "misses": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout, h, m))
end
"""


def lua_list(values: list[str]) -> str:
    return "{" + ",".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


@dataclass
class ClassResult:
    page_class: PageClass
    result: wrk.Result
    hits: int
    misses: int


def start_wrk(base: str, page_class: PageClass, seconds: int, tmp: Path) -> subprocess.Popen:
    script = tmp / f"mixed-{abs(hash(page_class.name))}.lua"
    script.write_text(LUA % {"paths": lua_list(page_class.paths), "cookies": lua_list(page_class.cookies)})
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
    return ClassResult(page_class, result, data["hits"], data["misses"])


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

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def submit(self, page: str, action: str, values: dict[str, str]) -> int:
        """Fill the form posting to ``action`` ("" for the page itself) on ``page`` and send it; the status."""
        parser = Forms()
        parser.feed(self.get(page))
        if action not in parser.forms:
            raise LookupError(f"no form for {action} on {page}")
        data = urllib.parse.urlencode({**parser.forms[action], **values}).encode()
        try:
            with self.opener.open(self.base + (action or page), data=data, timeout=30) as response:
                response.read()
                return response.status
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


def writer(base: str, city: City, rng: random.Random, stop: threading.Event, out: Writes, rate: float) -> None:
    """About ``rate`` real form submissions a second until ``stop``: asks, comments, accepts, replies."""
    citizens = [Browser(base) for _ in range(3)]
    for browser, name in zip(citizens, city.citizens):
        browser.login(name)
    staff = {slug: Browser(base) for _, slug in city.staff[:3]}
    for name, slug in city.staff[:3]:
        staff[slug].login(name)
    accepted: dict[str, list[int]] = {slug: [] for slug in staff}
    n = 0
    while not stop.is_set():
        started = time.monotonic()
        kind = ("ask", "comment", "accept", "reply")[n % 4]
        n += 1
        try:
            status = _write(kind, base, city, rng, citizens, staff, accepted, n)
        except NothingToDo:
            out.skipped += 1
        except (LookupError, OSError) as e:
            out.failed.append(f"{kind}: {e}")
        else:
            if status >= 400:
                out.failed.append(f"{kind}: HTTP {status}")
            else:
                out.done[kind] = out.done.get(kind, 0) + 1
        out.latencies_ms.append((time.monotonic() - started) * 1000)
        stop.wait(max(0.0, 1 / rate - (time.monotonic() - started)))


def _write(kind, base, city, rng, citizens, staff, accepted, n) -> int:
    browser = rng.choice(citizens)
    if kind == "ask":
        slug = rng.choice(city.slugs[:10])
        return browser.submit(
            f"/ask?dept={slug}",
            "",
            {
                "department": slug,
                "title": f"压测提问 {n}：小区路灯不亮",
                "body": "晚上很黑，请尽快修理。",
                "category": "城市管理",
            },
        )
    if kind == "comment":
        post = rng.choice(city.posts[:200])
        return browser.submit(f"/p/{post}", f"/p/{post}/comments", {"body": f"感谢发布（{n}）"})
    slug = rng.choice(list(staff))
    if kind == "accept":
        waiting = city.open_questions[slug]
        for _ in range(len(waiting)):
            question = waiting.pop()
            try:
                status = staff[slug].submit(f"/q/{question}", f"/console/questions/{question}/accept", {})
            except LookupError:
                continue  # accepted already (the city's questions are asked or accepted): try the next
            accepted[slug].append(question)
            return status
        raise NothingToDo(slug)
    if not accepted[slug]:
        raise NothingToDo(slug)
    question = accepted[slug].pop()
    return staff[slug].submit(
        f"/q/{question}", f"/console/questions/{question}/reply", {"reply-text": f"已安排处理，谢谢反映（{n}）。"}
    )


# ---------------------------------------------------------------- one page class at a time


def single_pages(
    city: City, sessions: dict[str, str], csrf_only: str, rng: random.Random, connections: int
) -> list[PageClass]:
    """Issue 12's table: each kind of page alone, all connections on it."""
    citizen = [sessions[u] for u in city.citizens if u in sessions][:1]
    name, slug = city.staff[0]
    staff = [sessions[name]]
    admin = [sessions["admin"]] if "admin" in sessions else []
    every_question = [f"/q/{i}" for i in rng.choices(city.questions, k=SAMPLES)]  # uniform: all misses
    own = [f"/q/{i}" for i in city.open_questions.get(slug, [])[:200]] or ["/console/questions"]
    pages = [
        PageClass("home, anonymous", connections, ["/"]),
        PageClass("home, anonymous with a CSRF-only session", connections, ["/"], [csrf_only]),
        PageClass("home, signed-in citizen", connections, ["/"], citizen),
        PageClass(f"/hall/{city.slugs[0]}, signed-in citizen", connections, [f"/hall/{city.slugs[0]}"], citizen),
        PageClass("/q/<uniformly random id>, anonymous", connections, every_question),
        PageClass("/q/<uniformly random id>, signed-in citizen", connections, every_question, citizen),
        PageClass(f"/console/questions, {name}", connections, ["/console/questions"], staff),
        PageClass(f"/console/questions?status=all, {name}", connections, ["/console/questions?status=all"], staff),
        PageClass(f"/q/<open question of {slug}> as its staff", connections, own, staff),
        PageClass("/console/compose", connections, ["/console/compose"], staff),
    ]
    if admin:
        pages.append(PageClass("/admin/escalations, admin", connections, ["/admin/escalations"], admin))
    return pages


def measure_single(server: Gunicorn, pages: list[PageClass], seconds: int, warmup: int, tmp: Path) -> list[ClassResult]:
    results = []
    for page in pages:
        if warmup:
            finish_wrk(page, start_wrk(server.base, page, warmup, tmp))
            server.drain()
        results.append(finish_wrk(page, start_wrk(server.base, page, seconds, tmp)))
        server.drain()
        r = results[-1].result
        print(f"  {page.name:<52} {r.rps:8.1f} req/s  p99 {r.p99_ms:8.1f} ms  errors {r.errors}", flush=True)
    return results


def single_table(results: list[ClassResult], floor: float) -> str:
    lines = [
        "| page | req/s | × template floor | p50 ms | p99 ms | page cache hits | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        res, seen = r.result, r.hits + r.misses
        hit = f"{r.hits / seen:.0%}" if seen else "—"
        lines.append(
            f"| {r.page_class.name} | {res.rps:,.1f} | {res.rps / floor if floor else 0:.1%} | "
            f"{res.p50_ms:,.1f} | {res.p99_ms:,.1f} | {hit} | {res.errors} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


def rss_sampler(server: Gunicorn, stop: threading.Event, peaks: list[float]) -> None:
    while not stop.wait(1.0):
        peaks.extend(server.worker_rss_mb())


def run(args: argparse.Namespace) -> int:
    db_file = args.db.resolve()
    rng = random.Random(args.seed)
    city = read_city(db_file, citizens=3 if args.smoke else 40, staff=2 if args.smoke else 6)
    print(
        f"mixed day: {args.connections} connections for {args.seconds} s, ~{args.writes} writes/s, database {db_file}",
        flush=True,
    )
    described = machine.describe()
    with tempfile.TemporaryDirectory(prefix="xtq-mixed-") as tmp_name:
        tmp = Path(tmp_name)
        config = "RATELIMIT_ENABLED = False\n"  # one client address makes every request; limits are per person
        env = {"XTQ_INSTANCE_PATH": str(instance_dir(tmp, config=config)), "DATABASE_URL": f"sqlite:///{db_file}"}
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
            stop, peaks, writes = threading.Event(), [], Writes()
            threads = [
                threading.Thread(target=rss_sampler, args=(server, stop, peaks), daemon=True),
                threading.Thread(target=writer, args=(server.base, city, rng, stop, writes, args.writes), daemon=True),
            ]
            started = [(c, start_wrk(server.base, c, args.seconds, tmp)) for c in classes]
            for t in threads:
                t.start()
            results = [finish_wrk(c, p) for c, p in started]
            stop.set()
            for t in threads:
                t.join(timeout=60)
            peaks.extend(server.worker_rss_mb())
            server.drain()
            singles = (
                []
                if args.no_pages
                else measure_single(
                    server,
                    single_pages(city, sessions, csrf_only, rng, args.connections),
                    args.page_seconds,
                    0 if args.smoke else 2,
                    tmp,
                )
            )
            peaks.extend(server.worker_rss_mb())
        floors += measure_app(FLOOR_SPECS[1], [FLOOR_AGAIN], env, tmp, settings, warmup=0)
    floor = floors[1].result.rps if floors[1].result else 0.0
    text = report(results, floors, floor, writes, max(peaks, default=0.0), args, described)
    if singles:
        text += "\n\nEach page alone, all connections on it, same server and run:\n\n" + single_table(singles, floor)
    print(text)
    if args.write:
        write(args.write, text)
        print(f"wrote {args.write}")
    errors = sum(r.result.errors for r in results + singles) + len(writes.failed)
    return 1 if errors else 0


def report(
    results: list[ClassResult],
    floors,
    floor: float,
    writes: Writes,
    rss: float,
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
        res, seen = r.result, r.hits + r.misses
        hit = f"{r.hits / seen:.0%} of {seen:,}" if seen else "—"
        lines.append(
            f"| {r.page_class.name} | {r.page_class.connections} | {res.rps:,.1f} | "
            f"{res.requests / total if total else 0:.0%} | {res.p50_ms:,.1f} | {res.p95_ms:,.1f} | "
            f"{res.p99_ms:,.1f} | {hit} | {res.errors} |"
        )
    worst_p99 = max((r.result.p99_ms for r in results), default=0.0)
    share = blend_rps / floor if floor else 0.0
    verdict = "ok" if share >= TARGET_SHARE and worst_p99 < P99_MS else "miss"
    done = ", ".join(f"{n} {k}" for k, n in sorted(writes.done.items())) or "none"
    write_ms = sorted(writes.latencies_ms)
    lines += [
        "",
        f"Blend: **{blend_rps:,.1f} req/s = {share:.1%} of the template floor** "
        f"(target ≥ {TARGET_SHARE:.0%}, p99 < {P99_MS:.0f} ms in every class: {verdict}); "
        f"worker RSS peak {rss:.0f} MB.",
        f"Writes through the real forms: {done} in {seconds:.0f} s "
        f"({sum(writes.done.values()) / seconds if seconds else 0:.1f}/s; each a GET of the form and its POST, "
        f"median {write_ms[len(write_ms) // 2] if write_ms else 0:,.0f} ms); "
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
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "city.sqlite")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed run")
    parser.add_argument("--floor-seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--writes", type=float, default=WRITES_PER_S, help="form submissions per second")
    parser.add_argument("--page-seconds", type=int, default=8, help="length of each single-page run")
    parser.add_argument("--no-pages", action="store_true", help="skip the single-page runs after the mixed one")
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--write", type=Path, default=None, help="a doc to put the table in (e.g. docs/performance.md)")
    parser.add_argument("--smoke", action="store_true", help="a few seconds, no warm-up, no single pages, for CI")
    args = parser.parse_args(argv)
    if args.smoke:
        args.connections, args.seconds, args.floor_seconds, args.warmup, args.write = 8, 3, 1, 0, None
        args.no_pages = True  # the same wrk runs as the mixed classes, one at a time: seconds saved in CI
    return args


def main(argv: list[str] | None = None) -> int:
    if not wrk.available():
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
