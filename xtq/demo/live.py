"""The live demo: plausible questions, replies and posts at a steady pace, through the real rules.

Each step does one thing, in turn: a citizen asks, a department accepts and replies to the
oldest question still waiting, a spokesperson posts. Only in demo mode, only with demo accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from xtq.demo import content
from xtq.domain import publishing, questions
from xtq.domain.deadlines import WorkCalendar
from xtq.domain.errors import DomainError
from xtq.extensions import db
from xtq.models import Department, PostKind, Question, QuestionStatus, User


class NotADemo(Exception):
    """The live demo runs only on a demo hall (flask demo), never on real data."""


@dataclass
class LiveDemo:
    """Cycles through demo_content.LIVE_QUESTIONS, LIVE_REPLIES and LIVE_POSTS."""

    step_number: int = 0
    question_index: int = 0
    post_index: int = 0

    @classmethod
    def start(cls, demo_mode: bool) -> "LiveDemo":
        """Refuse outside demo mode; carry on where earlier runs left off."""
        if not demo_mode or _user("admin") is None:
            raise NotADemo()
        asked = db.session.scalar(
            db.select(func.count())
            .select_from(Question)
            .where(Question.title.in_([q["title"] for q in content.LIVE_QUESTIONS]))
        )
        return cls(question_index=asked or 0, post_index=asked or 0)

    def step(self, now: datetime, cal: WorkCalendar) -> str:
        """Do the next thing; returns one line saying what."""
        kind = self.step_number % 3
        self.step_number += 1
        if kind == 1 and (said := self._reply(now, cal)):
            return said
        if kind == 2:
            return self._post(now)
        return self._ask(now, cal)

    def _ask(self, now: datetime, cal: WorkCalendar) -> str:
        item = content.LIVE_QUESTIONS[self.question_index % len(content.LIVE_QUESTIONS)]
        self.question_index += 1
        asker = _user(content.CITIZENS[item["asker"] % len(content.CITIZENS)]["username"])
        dept = _department(item["dept"])
        q = questions.ask(
            asker,
            dept,
            title=item["title"],
            body=item["body"],
            category=item["category"],
            district=_department(item["district"]) if item.get("district") else None,
            anonymous=item.get("anonymous", False),
            now=now,
            cal=cal,
        )
        return f"网友提问 → {dept.short_name}：「{q.title}」"

    def _reply(self, now: datetime, cal: WorkCalendar) -> str | None:
        waiting = db.session.scalars(
            db.select(Question)
            .where(
                Question.status == QuestionStatus.ASKED,
                Question.title.in_(list(content.LIVE_REPLIES)),
                Question.hidden_at.is_(None),
            )
            .order_by(Question.created_at, Question.id)
            .limit(1)
        ).first()
        if waiting is None:
            return None
        slug = waiting.department.slug
        liaison, spokesperson = _user(f"{slug}_lly"), _user(f"{slug}_fyr")
        try:
            questions.accept(waiting, liaison, now=now, cal=cal)
            questions.reply(waiting, spokesperson, content.LIVE_REPLIES[waiting.title], now=now, cal=cal)
        except DomainError:  # demo accounts changed by hand: ask something new instead
            db.session.rollback()
            return None
        return f"{waiting.department.short_name}答复：「{waiting.title}」"

    def _post(self, now: datetime) -> str:
        item = content.LIVE_POSTS[self.post_index % len(content.LIVE_POSTS)]
        self.post_index += 1
        author = _user(f"{item['dept']}_fyr")
        publishing.compose(author, PostKind(item["kind"]), item["body"], now=now)
        return f"{author.department.short_name}发布微博：{item['body'][:24]}…"


def run(
    demo: LiveDemo,
    *,
    count: int | None,
    clock: Callable[[], datetime],
    cal: WorkCalendar,
    wait: Callable[[], None],
    report: Callable[[int, str], None],
) -> int:
    """Step, commit, report and wait, `count` times or until interrupted; returns the steps done."""
    done = 0
    while count is None or done < count:
        line = demo.step(clock(), cal)
        db.session.commit()
        done += 1
        report(done, line)
        if count is None or done < count:
            wait()
    return done


def _user(username: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.username == username))


def _department(slug: str) -> Department:
    return db.session.scalars(db.select(Department).where(Department.slug == slug)).one()
