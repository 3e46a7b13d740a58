"""Citizens' questions and the public history of each: asked, transferred, accepted or declined,
progress, replied, follow-up, rated, reopened and closed, with the question's own columns kept
consistent with its last event (status, due, accepted/replied/closed times, rating)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench import corpus
from bench.bulk import Batcher, Loader, Progress, stamp
from bench.city import City, Dept

QUESTION_SQL = (
    "INSERT INTO question (id, tracking_code, submit_token, asker_id, department_id, district_id, category, title, "
    "body, body_html, anonymous, status, created_at, last_activity_at, due_at, accepted_at, first_replied_at, "
    "replied_at, closed_at, rating, hidden_at, hidden_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
EVENT_SQL = (
    "INSERT INTO question_event (question_id, kind, actor_id, created_at, from_department_id, to_department_id, "
    "text, text_html, rating, hidden_at, hidden_reason) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
CATEGORIES = ("交通出行", "教育", "医疗卫生", "社会保障", "住房", "城市管理", "环境", "治安", "水电气暖", "其他")
STATUSES = ("asked", "accepted", "replied", "declined", "closed")
STATUS_MIX_BY_AGE = (  # (younger than N days, weights in STATUSES order)
    (3, (35, 35, 15, 5, 10)),
    (20, (5, 25, 25, 5, 40)),
    (10**6, (1, 3, 6, 7, 83)),
)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
STALE_CLOSE = "答复后 7 天未评价，系统自动办结。"

Html = Callable[[Iterable[str]], str]


def tracking_code(question_id: int) -> str:
    """A short unique code: the id scrambled by a multiplication that is a bijection mod 34**8."""
    n = question_id * 2654435761 % len(ALPHABET) ** 8
    chars = []
    for _ in range(8):
        n, digit = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


@dataclass
class Step:
    kind: str
    hours: float  # after the question was asked
    actor: int | None
    text: str = ""
    rating: str | None = None
    from_dept: int | None = None
    to_dept: int | None = None


@dataclass
class History:
    steps: list[Step] = field(default_factory=list)
    clock: float = 0.0

    def add(self, kind: str, after: float, actor: int | None, **extra) -> float:
        self.clock += after
        self.steps.append(Step(kind, self.clock, actor, **extra))
        return self.clock


class QuestionMaker:
    def __init__(self, city: City, rng: random.Random, html: Html) -> None:
        self.city, self.rng, self.html = city, rng, html
        self.districts = [d for d in city.depts if d.group == "district"]

    def rows(self, question_id: int, dept: Dept, asked: datetime) -> tuple[tuple, list[tuple]]:
        rng = self.rng
        status = self._status(asked)
        asker = rng.choice(self.city.citizens)
        history = self._history(status, dept, asker)
        asked = min(asked, self.city.now - timedelta(hours=history.clock + rng.uniform(0.1, 2)))
        question = self._question(question_id, dept, asker, status, asked, history)
        events = [self._event(question_id, asked, step) for step in history.steps]
        return question, events

    def _status(self, asked: datetime) -> str:
        age_days = (self.city.now - asked).days
        weights = next(w for limit, w in STATUS_MIX_BY_AGE if age_days < limit)
        return self.rng.choices(STATUSES, weights)[0]

    def _history(self, status: str, dept: Dept, asker: int) -> History:
        rng, h = self.rng, History()
        h.add("asked", 0, asker)
        if rng.random() < 0.06:
            origin = rng.choice(self.city.depts)
            if origin.id != dept.id:
                h.add(
                    "transferred",
                    rng.uniform(2, 20),
                    rng.choice(origin.liaisons),
                    text="该事项属于其他部门职责，转交办理。",
                    from_dept=origin.id,
                    to_dept=dept.id,
                )
        if status == "asked":
            return h
        if status == "declined":
            h.add("declined", rng.uniform(2, 30), rng.choice(dept.liaisons), text=rng.choice(corpus.DECLINE_REASONS))
            return h
        h.add("accepted", rng.uniform(1, 30), rng.choice(dept.liaisons))
        if rng.random() < 0.15:
            h.add("progress", rng.uniform(12, 72), rng.choice(dept.liaisons), text=rng.choice(corpus.PROGRESS))
        if status == "accepted":
            return h
        self._reply(h, dept)
        if status == "replied":
            if rng.random() < 0.2:
                h.add("followup", rng.uniform(1, 48), asker, text=rng.choice(corpus.FOLLOWUPS))
            return h
        self._close(h, dept, asker)
        return h

    def _reply(self, h: History, dept: Dept) -> None:
        author = dept.spokesperson if self.rng.random() < 0.5 else self.rng.choice(dept.liaisons)
        h.add("replied", self.rng.uniform(4, 200), author, text=corpus.fill(self.rng, self.rng.choice(corpus.REPLIES)))

    def _close(self, h: History, dept: Dept, asker: int) -> None:
        rng, roll = self.rng, self.rng.random()
        if roll < 0.15:
            h.add("closed", 7 * 24, None, text=STALE_CLOSE)
            return
        if roll < 0.3:
            h.add(
                "rated", rng.uniform(1, 120), asker, text=rng.choice(corpus.RATING_COMMENTS[2:]), rating="unsatisfied"
            )
            h.add("reopened", 0.001, None)
            self._reply(h, dept)
        h.add("rated", rng.uniform(1, 120), asker, text=rng.choice(corpus.RATING_COMMENTS[:2]), rating="satisfied")
        h.add("closed", 0.001, None)

    def _question(self, question_id: int, dept: Dept, asker: int, status: str, asked: datetime, h: History) -> tuple:
        rng = self.rng
        at = {}
        for step in h.steps:  # first accepted, first and last replied, closed
            at.setdefault(step.kind, step.hours)
            if step.kind == "replied":
                at["last_replied"] = step.hours
        when = lambda key: stamp(asked + timedelta(hours=at[key])) if key in at else None  # noqa: E731
        due = {"asked": 24.0, "accepted": at.get("accepted", 0) + 7 * 24}.get(status)
        ratings = [s.rating for s in h.steps if s.rating]
        place, service = rng.choice(corpus.PLACES), rng.choice(corpus.SERVICES)
        title = corpus.fill(rng, rng.choice(corpus.QUESTION_TITLES), place, service)[:60]
        fragments = [corpus.fill(rng, rng.choice(corpus.QUESTION_BODIES), place, service)]
        if rng.random() < 0.05:
            fragments += [f" @{dept.short_name}", " 请帮忙解决。"]
        district = rng.choice(self.districts).id if rng.random() < 0.4 else None
        hidden = rng.random() < 0.003
        return (
            question_id,
            tracking_code(question_id),
            None,
            asker,
            dept.id,
            district,
            rng.choice(CATEGORIES),
            title,
            "".join(fragments),
            self.html(fragments),
            rng.random() < 0.1,
            status,
            stamp(asked),
            stamp(asked + timedelta(hours=h.clock)),
            stamp(asked + timedelta(hours=due)) if due is not None else None,
            when("accepted"),
            when("replied"),
            when("last_replied"),
            when("closed"),
            ratings[-1] if ratings else None,
            stamp(asked + timedelta(hours=h.clock + 1)) if hidden else None,
            rng.choice(corpus.HIDE_REASONS) if hidden else None,
        )

    def _event(self, question_id: int, asked: datetime, step: Step) -> tuple:
        html = self.html([step.text]) if step.text else ""
        return (
            question_id,
            step.kind,
            step.actor,
            stamp(asked + timedelta(hours=step.hours)),
            step.from_dept,
            step.to_dept,
            step.text,
            html,
            step.rating,
            None,
            None,
        )


def build_questions(conn: Loader, city: City, count: int, rng: random.Random, html: Html, progress: Progress) -> None:
    maker = QuestionMaker(city, rng, html)
    batcher = Batcher(conn, progress, "questions")
    weights = [d.weight for d in city.depts]
    depts = rng.choices(city.depts, weights, k=count)
    conn.execute("BEGIN")
    for question_id, (dept, asked) in enumerate(zip(depts, city.moments(count, rng)), start=1):
        question, events = maker.rows(question_id, dept, asked)
        batcher.add(QUESTION_SQL, question)
        for event in events:
            batcher.add(EVENT_SQL, event)
    batcher.flush()
    conn.execute("COMMIT")
