"""Demo questions in every status, played through the real rules of xtq.domain.questions.

Each question's story runs forward in time from when it was asked, one step every few
hours, never past `now`; the domain checks every step exactly as it does on the site.
Then citizens are reached and heard: 同问 on open questions (so hot questions show), photos
drawn here and accepted through the real photo rules, and confirmed e-mail addresses with
districts chosen for outage alerts.
"""

import io
import random
from datetime import datetime, timedelta

from PIL import Image, ImageDraw

from xtq.clock import work_calendar
from xtq.demo import content
from xtq.domain import metoo, photos, questions
from xtq.domain.questions import Action
from xtq.extensions import db
from xtq.models import Post, PostStatus, Question, Rating

# Titles of demo questions that get a photo (a street scene drawn below), and how many 同问 the first few get.
PHOTO_TITLES = ("紫荆山路夜市油烟大、垃圾多", "地铁施工围挡占了半条路", "大学路修车铺占用人行道")
HOT_METOOS = (6, 4, 3, 2, 2, 1)
DEMO_DISTRICTS = ("jinshui", "erqi", "zhongyuan")

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
    _voices(users, now)


def _voices(users, now: datetime) -> None:
    """同问, photos and e-mail settings, through the same rules as on the site."""
    citizens = users["citizens"]
    db.session.flush()
    open_questions = list(db.session.scalars(
        db.select(Question).where(Question.status.in_(questions.OPEN), Question.hidden_at.is_(None))
        .order_by(Question.id)))
    for q, wanted in zip(open_questions, HOT_METOOS):
        for n, citizen in enumerate(c for c in citizens if Action.METOO in questions.allowed_actions(q, c)):
            if n == wanted:
                break
            metoo.me_too(q, citizen, now=now - timedelta(hours=2 + n * 3))
    for title in PHOTO_TITLES:
        q = db.session.scalar(db.select(Question).where(Question.title == title))
        if q is not None:
            db.session.flush()
            photos.store(photos.prepare([_street_photo(title)]), q.asker, now=q.created_at, question=q)
    for citizen, district in zip(citizens, DEMO_DISTRICTS):
        citizen.email = f"{citizen.username}@example.com"  # example.com: the demo never reaches anyone
        citizen.notice_districts = district


def _street_photo(seed: str) -> bytes:
    """A simple drawn street scene (no photo files ship with the demo), different for each seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 720), (70, 90, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 430, 960, 720), fill=(95, 95, 100))  # the road
    draw.rectangle((0, 400, 960, 440), fill=(150, 145, 135))  # the pavement
    for x in range(40, 960, 180):  # buildings
        height = rng.randint(120, 300)
        draw.rectangle((x, 400 - height, x + 140, 400), fill=(rng.randint(120, 190), rng.randint(110, 160), 120))
        for wy in range(400 - height + 20, 390, 40):
            draw.rectangle((x + 20, wy, x + 50, wy + 20), fill=(230, 220, 150))
    for x in range(80, 960, 260):  # things on the pavement
        colour = (rng.randint(150, 255), rng.randint(60, 200), rng.randint(40, 90))
        draw.ellipse((x, 380, x + 60, 440), outline=colour, width=8)
        draw.ellipse((x + 70, 380, x + 130, 440), outline=colour, width=8)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


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
