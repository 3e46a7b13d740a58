"""Fixtures for the closed loop: the calendar and a builder that puts a question in any state
through the real domain functions (registered by conftest.py as a plugin)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from xtq import clock
from xtq.domain import questions
from xtq.domain.departments import by_slug as dept
from xtq.extensions import db
from xtq.models import Rating, Role, StaffTitle

STATES = ("asked", "accepted", "declined", "replied", "replied_followup", "closed", "hidden", "at_office")


@pytest.fixture
def cal(app):
    return clock.work_calendar()


@pytest.fixture
def make_question(app, cal, citizen, liaison, spokesperson, make_user):
    """make_question(state, at=..., **ask fields): a question in `state`, every step one hour apart."""
    from xtq.models import Role

    admin_user = []

    def make(state="asked", *, at, asker=None, department="gongan", title="小区门口路灯不亮", body="晚上很黑，请尽快修理。",
             category="城市管理", anonymous=False, submit_token=None):
        steps = iter(range(0, 100))

        def t():
            return at + timedelta(hours=next(steps))

        q = questions.ask(asker or citizen, dept(department), title=title, body=body, category=category,
                          anonymous=anonymous, submit_token=submit_token, now=t(), cal=cal)
        staff = liaison if department == "gongan" else None
        if state == "at_office":  # returned to the coordinating office's dispatch queue
            from xtq.domain import office

            office.return_to_office(q, staff, "不属于本部门职责", now=t(), cal=cal)
        elif state in ("asked", "hidden"):
            if state == "hidden":
                if not admin_user:
                    admin_user.append(make_user(Role.ADMIN))
                questions.hide(q, admin_user[0], "含有他人隐私", now=t())
        elif state == "declined":
            questions.decline(q, staff, "不属于本部门职责", now=t(), cal=cal)
        else:
            questions.accept(q, staff, now=t(), cal=cal)
            if state != "accepted":
                questions.reply(q, spokesperson, "已安排维修。", now=t(), cal=cal)
            if state == "replied_followup":
                questions.followup(q, q.asker, "什么时候修好？", now=t(), cal=cal)
            if state == "closed":
                questions.rate(q, q.asker, Rating.SATISFIED, now=t(), cal=cal)
        db.session.commit()
        return q

    return make


def sh(day: int, hour: int, month: int = 11, year: int = 2026, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time (Monday 16 November 2026 is day 16)."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def steps(app, cal, citizen, make_user):
    """Ask, accept, reply, transfer and rate at given Shanghai times, as the departments' staff."""

    class Steps:
        staff: dict[str, object] = {}

        def member(self, slug):
            if slug not in self.staff:
                self.staff[slug] = make_user(Role.STAFF, slug=slug, title=StaffTitle.LIAISON)
            return self.staff[slug]

        def ask(self, slug, at):
            q = questions.ask(citizen, dept(slug), title="问题", body="内容", category="其他", now=at, cal=cal)
            db.session.commit()
            return q

        def accept(self, q, at):
            questions.accept(q, self.member(q.department.slug), now=at, cal=cal)
            db.session.commit()

        def reply(self, q, at):
            questions.reply(q, self.member(q.department.slug), "答复", now=at, cal=cal)
            db.session.commit()

        def transfer(self, q, to, at):
            questions.transfer(q, self.member(q.department.slug), dept(to), "职责", now=at, cal=cal)
            db.session.commit()

        def rate(self, q, rating, at):
            questions.rate(q, q.asker, rating, now=at, cal=cal)
            db.session.commit()

        def answered(self, slug, asked, accepted, replied):
            q = self.ask(slug, asked)
            self.accept(q, accepted)
            self.reply(q, replied)
            return q

    return Steps()
