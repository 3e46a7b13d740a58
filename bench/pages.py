"""The pages the benchmark measures, with real ids and keyset cursors read from the generated file.

Paths of pages that other issues are still building follow PRODUCT.md and the issues; a page
that answers 404 is reported as missing, so the table fills in as the features land.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

PAGE_SIZE = 20  # xtq.config.Config.PAGE_SIZE
DEEP_PAGE = 500
PUBLIC_POSTS = "status = 'published' AND hidden_at IS NULL AND published_at <= ?"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    target: float  # share of the template floor's requests/s this page must reach (issue 8)
    first: str | None = None  # for a deep page: the name of its page 1, which it must stay within 1.2x of


@dataclass(frozen=True)
class Sample:
    """Real rows to point the pages at."""

    slug: str
    home_deep: str | None
    hall_deep: str | None
    question_id: int | None
    deep_page: int


def cursor(published_at: str, row_id: int) -> str:
    """xtq.pagination.encode for a stored naive-UTC time text."""
    from xtq.pagination import encode

    moment = datetime.fromisoformat(published_at).replace(tzinfo=UTC)
    return encode(moment, row_id)


def sample(db_file: Path, deep_page: int = DEEP_PAGE) -> Sample:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        slug, dept_id = _busiest_department(conn)
        home = _deep_cursor(conn, PUBLIC_POSTS, (now,), deep_page)
        hall = _deep_cursor(conn, f"department_id = ? AND {PUBLIC_POSTS}", (dept_id, now), deep_page)
        question = _rich_question(conn)
    finally:
        conn.close()
    return Sample(slug, home, hall, question, deep_page)


def _busiest_department(conn: sqlite3.Connection) -> tuple[str, int]:
    row = conn.execute(
        "SELECT d.slug, d.id FROM post p JOIN department d ON d.id = p.department_id "
        "GROUP BY p.department_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return row or conn.execute("SELECT slug, id FROM department ORDER BY position LIMIT 1").fetchone()


def _deep_cursor(conn: sqlite3.Connection, where: str, params: tuple, deep_page: int) -> str | None:
    """The `after=` cursor that shows page `deep_page` (or the last page, when there are fewer)."""
    total = conn.execute(f"SELECT count(*) FROM post WHERE {where}", params).fetchone()[0]
    skip = min((deep_page - 1) * PAGE_SIZE, max(total - 1, 0) // PAGE_SIZE * PAGE_SIZE)
    if skip == 0:
        return None
    row = conn.execute(
        f"SELECT published_at, id FROM post WHERE {where} ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?",
        (*params, skip - 1),
    ).fetchone()
    return cursor(*row)


def _rich_question(conn: sqlite3.Connection) -> int | None:
    """A recent question with a long public history (transfer, reopen, two replies)."""
    row = conn.execute(
        "SELECT question_id FROM question_event WHERE question_id > (SELECT max(id) - 5000 FROM question) "
        "GROUP BY question_id ORDER BY count(*) DESC, question_id DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def app_pages(s: Sample) -> list[Page]:
    deep = f"page {s.deep_page}"
    return [
        Page("hall home", "/", 0.35),
        Page(f"hall home, {deep}", f"/?after={s.home_deep}" if s.home_deep else "/", 0.35, "hall home"),
        Page("directory", "/directory", 0.35),
        Page(f"/hall/{s.slug}, page 1", f"/hall/{s.slug}", 0.50),
        Page(
            f"/hall/{s.slug}, {deep}",
            f"/hall/{s.slug}?after={s.hall_deep}" if s.hall_deep else f"/hall/{s.slug}",
            0.50,
            f"/hall/{s.slug}, page 1",
        ),
        Page("question /q/<id>", f"/q/{s.question_id or 1}", 0.50),
        Page("timeline, filtered", f"/timeline?department={s.slug}&status=replied", 0.35),
        Page("/stats", "/stats", 0.35),
        Page("search 公交", "/search?q=" + quote("公交"), 0.35),
        Page("department feed", f"/hall/{s.slug}/feed.atom", 0.35),
        Page("API: department's posts", f"/api/v1/departments/{s.slug}/posts", 0.35),
    ]
