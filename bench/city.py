"""The people of the generated city: department staff, the admin, citizens and their follows."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench import corpus
from bench.bulk import Loader, Progress, insert, stamp

FULL = {"citizens": 200_000, "posts": 1_000_000, "questions": 300_000}
YEARS = 3
LIAISONS = 3  # per department, beside one spokesperson
PASSWORD = "bench2011"
BUSY = {"gongan", "gongjiao", "reli", "jiaotong", "chengguan", "jinshui", "zhongyuan", "guidao", "jiaoyu", "zilaishui"}
USER_SQL = (
    'INSERT INTO "user" (id, username, display_name, password_hash, role, department_id, title, '
    "email, active, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
)
FOLLOW_SQL = "INSERT INTO follow (user_id, department_id, created_at) VALUES (?,?,?)"


@dataclass(frozen=True)
class Counts:
    citizens: int
    posts: int
    questions: int

    @classmethod
    def at(cls, scale: float) -> Counts:
        return cls(**{name: max(1, round(n * scale)) for name, n in FULL.items()})


@dataclass(frozen=True)
class Dept:
    id: int
    slug: str
    short_name: str
    group: str
    spokesperson: int
    liaisons: tuple[int, ...]

    @property
    def weight(self) -> float:
        """Busy departments (police, bus, heating, big districts) post and are asked far more."""
        return 6.0 if self.slug in BUSY else 1.0 + (self.id % 5) * 0.3


@dataclass(frozen=True)
class City:
    depts: list[Dept]
    citizens: range
    start: datetime
    now: datetime

    def moments(self, count: int, rng: random.Random) -> list[datetime]:
        """`count` sorted moments over the city's years, busier towards now."""
        span = (self.now - self.start).total_seconds()
        return [self.start + timedelta(seconds=s) for s in sorted(span * rng.random() ** 0.8 for _ in range(count))]


def build_people(conn: Loader, counts: Counts, rng: random.Random, now: datetime, progress: Progress) -> City:
    from werkzeug.security import generate_password_hash

    start = now - timedelta(days=365 * YEARS)
    password_hash = generate_password_hash(PASSWORD)  # one hash for every generated account
    departments = conn.execute('SELECT id, slug, short_name, "group" FROM department ORDER BY position, id').fetchall()
    depts = _depts(departments)
    insert(conn, USER_SQL, _staff_rows(depts, password_hash, rng, start), progress, "staff")
    admin_id = len(depts) * (1 + LIAISONS) + 1
    conn.execute(
        USER_SQL,
        (admin_id, "admin", "市互联网信息办公室", password_hash, "admin", None, None, None, True, stamp(start)),
    )
    citizens = range(admin_id + 1, admin_id + 1 + counts.citizens)
    insert(conn, USER_SQL, _citizen_rows(citizens, password_hash, rng, start, now), progress, "citizens")
    city = City(depts, citizens, start, now)
    insert(conn, FOLLOW_SQL, _follow_rows(city, rng), progress, "follows")
    return city


def _depts(departments: list[tuple[int, str, str, str]]) -> list[Dept]:
    depts = []
    for index, (dept_id, slug, short_name, group) in enumerate(departments):
        first = index * (1 + LIAISONS) + 1
        depts.append(Dept(dept_id, slug, short_name, group, first, tuple(range(first + 1, first + 1 + LIAISONS))))
    return depts


def _staff_rows(depts: list[Dept], password_hash: str, rng: random.Random, start: datetime) -> Iterator[tuple]:
    for dept in depts:
        yield (
            dept.spokesperson,
            f"{dept.slug}_fyr",
            f"{dept.short_name}{corpus.person_name(rng)}",
            password_hash,
            "staff",
            dept.id,
            "spokesperson",
            None,
            True,
            stamp(start),
        )
        for n, user_id in enumerate(dept.liaisons, start=1):
            yield (
                user_id,
                f"{dept.slug}_lly{n}",
                f"{dept.short_name}{corpus.person_name(rng)}",
                password_hash,
                "staff",
                dept.id,
                "liaison",
                None,
                True,
                stamp(start),
            )


def _citizen_rows(
    ids: range, password_hash: str, rng: random.Random, start: datetime, now: datetime
) -> Iterator[tuple]:
    span = (now - start).total_seconds()
    for n, user_id in enumerate(ids, start=1):
        name = corpus.person_name(rng) if rng.random() < 0.6 else f"网友{rng.randrange(10**5, 10**6)}"
        joined = start + timedelta(seconds=span * rng.random())
        yield (user_id, f"wy{n:07d}", name, password_hash, "citizen", None, None, None, True, stamp(joined))


def _follow_rows(city: City, rng: random.Random) -> Iterator[tuple]:
    days = 365 * YEARS
    for user_id in city.citizens:
        if rng.random() < 0.35:
            for dept in {d.id for d in rng.sample(city.depts, rng.randint(1, 3))}:
                yield (user_id, dept, stamp(city.now - timedelta(days=rng.uniform(0, days))))
