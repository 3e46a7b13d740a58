"""Fixtures for the closed loop: the calendar and a builder that puts a question in any state
through the real domain functions (registered by conftest.py as a plugin)."""

from datetime import timedelta

import pytest

from xtq import clock
from xtq.domain import office, questions, screening
from xtq.domain.departments import by_slug as dept
from xtq.extensions import db
from xtq.models import Rating, Role, StaffTitle

STATES = (
    "asked",
    "accepted",
    "declined",
    "replied",
    "replied_followup",
    "closed",
    "hidden",
    # safe to publish (issue 16): held for review, withdrawn, appealed, and declined again after an appeal
    "pending",
    "withdrawn",
    "appealed",
    "upheld",
    "private",
    # the coordinating office (issue 13): returned to the dispatch queue
    "at_office",
)


@pytest.fixture
def cal(app):
    return clock.work_calendar()


@pytest.fixture
def make_question(app, cal, citizen, liaison, spokesperson, make_user):
    """make_question(state, at=..., **ask fields): a question in `state`, every step one hour apart."""
    from xtq.models import Role

    admin_user = []

    def make(
        state="asked",
        *,
        at,
        asker=None,
        department="gongan",
        title="小区门口路灯不亮",
        body="晚上很黑，请尽快修理。",
        category="城市管理",
        anonymous=False,
        submit_token=None,
    ):
        steps = iter(range(0, 100))

        def t():
            return at + timedelta(hours=next(steps))

        if state == "pending":
            screening.set_mode(screening.ALL)
        q = questions.ask(
            asker or citizen,
            dept(department),
            title=title,
            body=body,
            category=category,
            anonymous=anonymous,
            private=state == "private",
            submit_token=submit_token,
            now=t(),
            cal=cal,
        )
        staff = liaison if department == "gongan" else None
        if state in ("appealed", "upheld", "hidden") and not admin_user:
            admin_user.append(make_user(Role.ADMIN))
        if state == "pending":
            screening.set_mode(screening.FLAGGED)
        elif state == "withdrawn":
            questions.withdraw(q, q.asker, now=t())
        elif state == "at_office":
            office.return_to_office(q, staff, "不属于本部门职责", now=t(), cal=cal)
        elif state in ("declined", "appealed", "upheld"):
            questions.decline(q, staff, "不属于本部门职责", now=t(), cal=cal)
            if state != "declined":
                questions.appeal(q, q.asker, "属于本部门职责", now=t(), cal=cal)
            if state == "upheld":
                questions.uphold(q, admin_user[0], "确不属于本部门职责", now=t())
        elif state in ("asked", "hidden", "private"):
            if state == "hidden":
                questions.hide(q, admin_user[0], "含有他人隐私", now=t())
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
