"""The departments' posts over three years, with their #话题# rows and a few pinned, hidden,
deleted and draft ones, and structured service notices from utilities and districts."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bench import corpus
from bench.bulk import Batcher, Loader, Progress, stamp
from bench.city import City, Dept

POST_SQL = (
    "INSERT INTO post (id, department_id, author_id, kind, status, body, body_html, byline, created_at, "
    "published_at, edited_at, pinned_at, deleted_at, hidden_at, hidden_reason, comment_count, notice_type, "
    "notice_districts, notice_streets, notice_start, notice_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
TOPIC_SQL = "INSERT INTO post_topic (post_id, topic) VALUES (?,?)"
KINDS = ("daily", "service", "notice", "decision")
KIND_WEIGHTS = (40, 32, 18, 10)
PINNED_PER_DEPARTMENT = 2

Html = Callable[[Iterable[str]], str]


class PostMaker:
    """Rows for one post at a time: text fragments, status mix, notice fields."""

    def __init__(self, city: City, rng: random.Random, html: Html) -> None:
        self.city, self.rng, self.html = city, rng, html
        self.districts = [d.slug for d in city.depts if d.group == "district"]
        self.mentions = [d.short_name for d in city.depts]

    def row(self, post_id: int, dept: Dept, published: datetime) -> tuple[tuple, list[str]]:
        rng = self.rng
        notice = self._notice(dept)
        fragments, topics = self._fragments(notice)
        status, deleted_at = "published", None
        roll = rng.random()
        if roll < 0.015:
            status, deleted_at = "deleted", stamp(published + timedelta(days=1))
        elif roll < 0.025:
            status = "draft"
        hidden = rng.random() < 0.001
        author = dept.spokesperson if rng.random() < 0.8 else rng.choice(dept.liaisons)
        kind = "outage" if notice else rng.choices(KINDS, KIND_WEIGHTS)[0]
        edited = stamp(published + timedelta(hours=2)) if rng.random() < 0.02 else None
        body = "".join(fragments)
        row = (
            post_id,
            dept.id,
            author,
            kind,
            status,
            body,
            self.html(fragments),
            rng.random() < 0.1,
            stamp(published - timedelta(minutes=rng.randint(1, 90))),
            None if status == "draft" else stamp(published),
            edited,
            None,
            deleted_at,
            stamp(published + timedelta(hours=5)) if hidden else None,
            rng.choice(corpus.HIDE_REASONS) if hidden else None,
            0,
            *self._notice_fields(notice, published),
        )
        return row, topics

    def _notice(self, dept: Dept) -> tuple[str, str] | None:
        if dept.group == "utility" and dept.slug in corpus.OUTAGES and self.rng.random() < 0.15:
            return corpus.OUTAGES[dept.slug]
        if dept.group == "district" and self.rng.random() < 0.05:
            return corpus.ROADWORK
        return None

    def _fragments(self, notice: tuple[str, str] | None) -> tuple[list[str], list[str]]:
        rng = self.rng
        topics = corpus.pick_topics(rng, 2 if rng.random() < 0.3 else 1) if rng.random() < 0.15 else []
        fragments = [f"#{t}#" for t in topics[:1]]
        if notice:
            fragments.append(corpus.fill(rng, notice[1]))
        else:
            fragments += [rng.choice(corpus.POST_OPENINGS), corpus.fill(rng, rng.choice(corpus.POST_BODIES))]
            if rng.random() < 0.4:
                fragments.append(corpus.fill(rng, rng.choice(corpus.POST_BODIES)))
        if rng.random() < 0.05:
            fragments += [f"@{rng.choice(self.mentions)}", " 请予以配合。"]
        fragments.append(rng.choice(corpus.POST_CLOSINGS))
        fragments += [f" #{t}#" for t in topics[1:]]
        return fragments, topics

    def _notice_fields(self, notice: tuple[str, str] | None, published: datetime) -> tuple:
        if not notice:
            return (None, None, None, None, None)
        rng = self.rng
        start = published + timedelta(hours=rng.randint(12, 72))
        districts = " ".join(rng.sample(self.districts, rng.randint(1, 2)))
        streets = "、".join(rng.sample(corpus.PLACES, 2))
        return (notice[0], districts, streets, stamp(start), stamp(start + timedelta(hours=rng.randint(4, 48))))


def build_posts(conn: Loader, city: City, count: int, rng: random.Random, html: Html, progress: Progress) -> None:
    maker = PostMaker(city, rng, html)
    batcher = Batcher(conn, progress, "posts")
    weights = [d.weight for d in city.depts]
    moments = city.moments(count, rng)
    depts = rng.choices(city.depts, weights, k=count)
    conn.execute("BEGIN")
    for post_id, (dept, published) in enumerate(zip(depts, moments), start=1):
        row, topics = maker.row(post_id, dept, published)
        batcher.add(POST_SQL, row)
        for topic in topics:
            batcher.add(TOPIC_SQL, (post_id, topic))
    batcher.flush()
    conn.execute("COMMIT")


def pin_some(conn: Loader, city: City) -> None:
    """Each department pins a couple of recent posts (run after the indexes are back)."""
    conn.execute("BEGIN")
    for dept in city.depts:
        conn.execute(
            "UPDATE post SET pinned_at = published_at WHERE id IN (SELECT id FROM post WHERE department_id = ? "
            "AND status = 'published' AND hidden_at IS NULL ORDER BY published_at DESC LIMIT ? OFFSET 3)",
            (dept.id, PINNED_PER_DEPARTMENT),
        )
    conn.execute("COMMIT")
