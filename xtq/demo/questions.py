"""Demo questions in every status, played through the real rules of xtq.domain.questions.

Each question's story runs forward in time from when it was asked, one step every few
hours, never past `now`; the domain checks every step exactly as it does on the site.
"""

import random
from datetime import datetime, timedelta

from xtq.clock import work_calendar
from xtq.demo import content
from xtq.domain import questions
from xtq.extensions import db
from xtq.models import Post, PostStatus, Rating

# How long ago each story starts: recent enough that unrated replies are not yet stale
# (they close themselves after 7 days), old enough for the overdue ones to be late.
_STARTS = {
    "asked": timedelta(hours=3),
    "accepted": timedelta(days=1),
    "declined": timedelta(days=4),
    "transferred_replied": timedelta(days=3),
    "replied": timedelta(days=2),
    "closed_satisfied": timedelta(days=9),
    "reopened": timedelta(days=5),
    "overdue": timedelta(days=14),
    "followup": timedelta(days=4),
    "withdrawn": timedelta(hours=5),
    "appealed": timedelta(days=3),
}


def build_questions(depts, users, mentions, now: datetime) -> None:
    cal = work_calendar()
    rng = random.Random(2011)  # the same tracking codes every time
    citizens = users["citizens"]
    for i, item in enumerate(content.QUESTIONS):
        asked_at = now - _STARTS[item["story"]] - timedelta(hours=(i * 5) % 17)
        q = questions.ask(
            citizens[item["asker"] % len(citizens)], depts[item["dept"]], title=item["title"], body=item["body"],
            category=item["category"], district=depts.get(item.get("district") or ""),
            anonymous=item.get("anonymous", False), private=item.get("private", False), now=asked_at, cal=cal,
            rng=rng,
        )
        _Story(q, users, cal, asked_at, now).play(item, depts)
    questions.remind(now, cal)


class _Story:
    """Plays a question's history forward in time through the domain functions."""

    def __init__(self, question, users, cal, start, now):
        self.q, self.users, self.cal, self.at, self.now = question, users, cal, start, now

    def later(self, hours: float) -> dict:
        self.at = min(self.at + timedelta(hours=hours), self.now)
        return {"now": self.at, "cal": self.cal}

    def spokesperson(self):
        return self.users["staff"][self.q.department.slug][0]

    def liaison(self):
        return self.users["staff"][self.q.department.slug][1]

    def cited(self, item, at: datetime) -> list[int]:
        """The post that the one reply of the demo citing a post points to (content.SHOWCASE)."""
        cites = content.SHOWCASE["reply_cites"]
        if item["title"] != cites["title"]:
            return []
        return [db.session.scalar(db.select(Post.id).where(
            Post.department_id == self.q.department_id, Post.status == PostStatus.PUBLISHED, Post.published_at <= at,
            Post.body.contains(cites["post_topic"])).limit(1))]

    def play(self, item, depts) -> None:
        story, q = item["story"], self.q
        if story == "asked":
            return
        if story == "withdrawn":
            questions.withdraw(q, q.asker, now=self.later(1)["now"])
            return
        if story in ("declined", "appealed"):
            questions.decline(q, self.liaison(), item["decline_reason"], **self.later(4))
            if story == "appealed":
                questions.appeal(q, q.asker, item["appeal_reason"], **self.later(6))
            return
        if story == "transferred_replied":
            questions.transfer(q, self.liaison(), depts[item["transfer_to"]], item["transfer_reason"], **self.later(2))
        questions.accept(q, self.liaison(), **self.later(3))
        if item.get("progress"):
            questions.progress(q, self.liaison(), item["progress"], **self.later(20))
        if story in ("accepted", "overdue"):
            return
        at = self.later(20)
        questions.reply(q, self.spokesperson(), item["reply"], post_ids=self.cited(item, at["now"]), **at)
        if story == "followup":
            questions.followup(q, q.asker, item["followup"], **self.later(6))
            if item.get("followup_reply"):
                questions.reply(q, self.spokesperson(), item["followup_reply"], **self.later(10))
        elif story == "closed_satisfied":
            questions.rate(q, q.asker, Rating.SATISFIED, item.get("rating_comment", ""), **self.later(5))
        elif story == "reopened":
            questions.rate(q, q.asker, Rating.UNSATISFIED, item.get("rating_comment", ""), **self.later(5))
            if item.get("reopen_reply"):
                questions.reply(q, self.spokesperson(), item["reopen_reply"], **self.later(20))
