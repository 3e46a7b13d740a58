"""Demo questions in every status, with their public history."""

from datetime import datetime, timedelta

from xtq import demo_content as content
from xtq.clock import work_calendar
from xtq.domain import deadlines
from xtq.extensions import db
from xtq.models import EventKind, Question, QuestionEvent, QuestionStatus, Rating
from xtq.text import render


def build_questions(depts, users, mentions, now: datetime) -> None:
    cal = work_calendar()
    citizens = users["citizens"]
    for i, item in enumerate(content.QUESTIONS):
        asked_at = now - timedelta(days=1 + (len(content.QUESTIONS) - i) % 15, hours=i % 9)
        if item["story"] == "overdue":
            asked_at = now - timedelta(days=14 + i % 5)
        elif item["story"] == "asked":
            asked_at = now - timedelta(hours=3 + i)
        dept = depts[item["dept"]]
        q = Question(
            tracking_code=f"D{i + 1:03d}{dept.slug[:3].upper()}",
            asker=citizens[item["asker"] % len(citizens)],
            department=dept,
            district=depts.get(item.get("district") or ""),
            category=item["category"],
            title=item["title"],
            body=item["body"],
            body_html=render(item["body"], mentions),
            anonymous=item.get("anonymous", False),
            created_at=asked_at,
            last_activity_at=asked_at,
            due_at=deadlines.due_at(asked_at, deadlines.ACCEPT_DAYS, cal),
        )
        db.session.add(q)
        story = _Story(q, users, mentions, cal, asked_at, now)
        story.event(EventKind.ASKED, q.asker, "", to=dept)
        story.play(item, depts)


class _Story:
    """Plays a question's history forward in time, one step every few hours."""

    def __init__(self, question, users, mentions, cal, start, now):
        self.q, self.users, self.mentions, self.cal, self.at, self.now = question, users, mentions, cal, start, now

    def staff(self, title_index: int):
        return self.users["staff"][self.q.department.slug][title_index]

    def event(self, kind, actor, text, *, to=None, frm=None, rating=None, hours=0):
        self.at = min(self.at + timedelta(hours=hours), self.now)
        db.session.add(QuestionEvent(question=self.q, kind=kind, actor=actor, created_at=self.at, text=text,
                                     text_html=render(text, self.mentions), from_department=frm,
                                     to_department=to, rating=rating))
        self.q.last_activity_at = self.at

    def accept(self):
        self.event(EventKind.ACCEPTED, self.staff(1), "", hours=3)
        self.q.status, self.q.accepted_at = QuestionStatus.ACCEPTED, self.at
        self.q.due_at = deadlines.due_at(self.at, deadlines.REPLY_DAYS, self.cal)

    def reply(self, text):
        self.event(EventKind.REPLIED, self.staff(0), text, hours=20)
        self.q.status, self.q.replied_at = QuestionStatus.REPLIED, self.at
        self.q.first_replied_at = self.q.first_replied_at or self.at
        self.q.due_at = None

    def rate(self, rating, comment=""):
        self.event(EventKind.RATED, self.q.asker, comment, rating=rating, hours=5)
        self.q.rating = rating

    def play(self, item, depts):
        story = item["story"]
        if story == "asked":
            return
        if story == "declined":
            self.event(EventKind.DECLINED, self.staff(1), item["decline_reason"], hours=4)
            self.q.status, self.q.closed_at, self.q.due_at = QuestionStatus.DECLINED, self.at, None
            return
        if story == "transferred_replied":
            old, new = self.q.department, depts[item["transfer_to"]]
            self.event(EventKind.TRANSFERRED, self.staff(1), item["transfer_reason"], frm=old, to=new, hours=2)
            self.q.department = new
        self.accept()
        if item.get("progress"):
            self.event(EventKind.PROGRESS, self.staff(1), item["progress"], hours=20)
        if story in ("accepted", "overdue"):
            return
        self.reply(item["reply"])
        if story == "followup":
            self.event(EventKind.FOLLOWUP, self.q.asker, item["followup"], hours=6)
            if item.get("followup_reply"):
                self.event(EventKind.REPLIED, self.staff(0), item["followup_reply"], hours=10)
        elif story == "closed_satisfied":
            self.rate(Rating.SATISFIED, item.get("rating_comment", ""))
            self.event(EventKind.CLOSED, None, "")
            self.q.status, self.q.closed_at = QuestionStatus.CLOSED, self.at
        elif story == "reopened":
            self.rate(Rating.UNSATISFIED, item.get("rating_comment", ""))
            self.event(EventKind.REOPENED, None, "")
            self.q.status, self.q.rating = QuestionStatus.ACCEPTED, None
            self.q.due_at = deadlines.due_at(self.at, deadlines.REPLY_DAYS, self.cal)
            if item.get("reopen_reply"):
                self.reply(item["reopen_reply"])
