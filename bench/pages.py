"""The pages the benchmark measures, with real ids and keyset cursors read from the generated file.

Paths of pages that other issues are still building follow PRODUCT.md and the issues; a page
that answers 404 is reported as missing, so the table fills in as the features land.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from bench.target import Target

PAGE_SIZE = 20  # xtq.config.Config.PAGE_SIZE
DEEP_PAGE = 500
PUBLIC_POSTS = "status = 'published' AND hidden_at IS NULL AND published_at <= :now"


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


def cursor(moment: str | datetime, row_id: int) -> str:
    """xtq.pagination.encode for a stored naive-UTC time (text on SQLite, a datetime on PostgreSQL)."""
    from xtq.pagination import encode

    moment = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    return encode(moment.replace(tzinfo=UTC), row_id)


def sample(target: Target, deep_page: int = DEEP_PAGE) -> Sample:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    slug, dept_id = _busiest_department(target)
    home = deep_cursor(target, "post", "published_at", PUBLIC_POSTS, deep_page, now=now)
    hall = deep_cursor(
        target, "post", "published_at", f"department_id = :dept AND {PUBLIC_POSTS}", deep_page, dept=dept_id, now=now
    )
    return Sample(slug, home, hall, _rich_question(target), deep_page)


def _busiest_department(target: Target) -> tuple[str, int]:
    rows = target.rows(
        "SELECT d.slug, d.id FROM post p JOIN department d ON d.id = p.department_id "
        "GROUP BY d.id ORDER BY count(*) DESC LIMIT 1"
    )
    return tuple(rows[0] if rows else target.rows("SELECT slug, id FROM department ORDER BY position LIMIT 1")[0])


def deep_cursor(
    target: Target, table: str, time_column: str, where: str, deep_page: int = DEEP_PAGE, **params
) -> str | None:
    """The `after=` cursor that shows page `deep_page` (or the last page, when there are fewer) of a
    list of `table` newest first by (`time_column`, id)."""
    total = target.rows(f"SELECT count(*) FROM {table} WHERE {where}", **params)[0][0]
    skip = min((deep_page - 1) * PAGE_SIZE, max(total - 1, 0) // PAGE_SIZE * PAGE_SIZE)
    if skip == 0:
        return None
    row = target.rows(
        f"SELECT {time_column}, id FROM {table} WHERE {where} ORDER BY {time_column} DESC, id DESC LIMIT 1 OFFSET :skip",
        skip=skip - 1,
        **params,
    )[0]
    return cursor(*row)


def _rich_question(target: Target) -> int | None:
    """A recent question with a long public history (transfer, reopen, two replies)."""
    rows = target.rows(
        "SELECT question_id FROM question_event WHERE question_id > (SELECT max(id) - 5000 FROM question) "
        "GROUP BY question_id ORDER BY count(*) DESC, question_id DESC LIMIT 1"
    )
    return rows[0][0] if rows else None


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
