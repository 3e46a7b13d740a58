"""The results table, printed and written between markers in docs/performance.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bench.pages import Page
from bench.wrk import Result, Settings

BEGIN, END = "<!-- bench:begin (written by bench/run.py) -->", "<!-- bench:end -->"
P99_MS, SEARCH_P95_MS, RSS_MB, DEEP_RATIO, DEMO_S = 100.0, 50.0, 150.0, 1.2, 10.0


@dataclass
class Row:
    page: Page
    status: str  # "ok", "missing" (404: not built yet) or "error NNN"
    result: Result | None = None
    rss_mb: float | None = None
    body_bytes: int = 0
    ratio: float | None = None
    first_p99_ms: float | None = None  # the p99 of a first run that missed; the row shows the second

    def misses(self, rows: dict[str, Row]) -> list[str]:
        if self.result is None:
            return []
        r, out = self.result, []
        if self.ratio is not None and self.ratio < self.page.target:
            out.append(f"< {self.page.target:.0%} of floor")
        if r.p99_ms >= P99_MS:
            out.append(f"p99 ≥ {P99_MS:.0f} ms")
        if self.page.name.startswith("search") and r.p95_ms >= SEARCH_P95_MS:
            out.append(f"p95 ≥ {SEARCH_P95_MS:.0f} ms")
        if self.rss_mb is not None and self.rss_mb >= RSS_MB:
            out.append(f"RSS ≥ {RSS_MB:.0f} MB")
        first = rows.get(self.page.first or "")
        if first and first.result and r.p50_ms > DEEP_RATIO * first.result.p50_ms:
            out.append(f"p50 {r.p50_ms / first.result.p50_ms:.2f}× page 1")
        if r.errors:
            out.append(f"{r.errors} errors")
        return out


@dataclass(frozen=True)
class Demo:
    seconds: float
    ok: bool
    message: str


HEADER = (
    "| page | path | req/s | requests | p50 ms | p95 ms | p99 ms | × template floor | target | worker RSS MB | verdict |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def table(rows: list[Row]) -> str:
    by_name = {row.page.name: row for row in rows}
    lines = [HEADER]
    for row in rows:
        lines.append(_line(row, by_name))
    return "\n".join(lines)


def _line(row: Row, by_name: dict[str, Row]) -> str:
    path = f"`{_short(row.page.path)}`"
    if row.result is None:
        note = "not built yet (404)" if row.status == "missing" else row.status
        return f"| {row.page.name} | {path} | — | — | — | — | — | — | {_target(row)} | — | **{note}** |"
    r = row.result
    ratio = f"{row.ratio:.2%}" if row.ratio is not None else "—"
    rss = f"{row.rss_mb:.0f}" if row.rss_mb is not None else "—"
    misses = row.misses(by_name)
    verdict = "ok" if not misses else "miss: " + "; ".join(misses)
    if row.first_p99_ms is not None:
        verdict += f" (second run; the first had p99 {row.first_p99_ms:,.0f} ms)"
    if r.requests == 0:
        over = f"> {r.seconds * 1000:,.0f}"
        return (
            f"| {row.page.name} | {path} | 0 | 0 | {over} | {over} | {over} | 0% | {_target(row)} | {rss} | "
            f"miss: no request finished in {r.seconds:.0f} s |"
        )
    return (
        f"| {row.page.name} | {path} | {r.rps:,.1f} | {r.requests:,} | {r.p50_ms:,.1f} | {r.p95_ms:,.1f} | "
        f"{r.p99_ms:,.1f} | {ratio} | {_target(row)} | {rss} | {verdict} |"
    )


def _target(row: Row) -> str:
    return f"≥ {row.page.target:.0%}" if row.page.target else "floor"


def _short(path: str, limit: int = 60) -> str:
    return path if len(path) <= limit else path[: limit - 1] + "…"


def section(
    rows: list[Row], machine: dict[str, str], settings: Settings, database: dict[str, str], demo: Demo | None
) -> str:
    parts = [BEGIN, "", "### Machine", "", "| | |", "|---|---|"]
    parts += [f"| {k} | {v} |" for k, v in machine.items()]
    parts += [
        "",
        "Client (wrk) and server (gunicorn, 2 sync workers) share the same 2 cores on 127.0.0.1, so",
        "every number below is lower than either would reach alone; the ratios cancel most of that out.",
        "",
    ]
    parts += ["### Database", "", "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in database.items()]
    parts += ["", f"### Pages ({settings.describe()} --latency, after a warm-up)", "", table(rows), ""]
    if demo is not None:
        state = f"{demo.seconds:.1f} s" if demo.ok else f"failed after {demo.seconds:.1f} s: {demo.message}"
        verdict = "ok" if demo.ok and demo.seconds < DEMO_S else "miss"
        parts += [f"`flask demo` into an empty instance: {state} (target < {DEMO_S:.0f} s: {verdict})", ""]
    parts.append(END)
    return "\n".join(parts)


def write(doc: Path, text: str) -> None:
    """Replace the generated section of `doc`, keeping everything written by hand around it."""
    if doc.exists() and BEGIN in (old := doc.read_text()) and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        doc.write_text(head + text + tail)
        return
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("# Performance\n\nMeasured by `bench/run.py`; see `bench/README.md`.\n\n" + text + "\n")
