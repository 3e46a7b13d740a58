"""Demo questions in every status, played through the real rules of xtq.domain.questions.

Each question's story runs forward in time from when it was asked, one step every few
hours, never past `now`; the domain checks every step exactly as it does on the site.
"""

import random
from datetime import datetime, timedelta

from xtq import demo_content as content
from xtq.clock import work_calendar
from xtq.domain import deadlines, questions
from xtq.models import Rating

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
            anonymous=item.get("anonymous", False), now=asked_at, cal=cal, rng=rng,
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

    def play(self, item, depts) -> None:
        story, q = item["story"], self.q
        if story == "asked":
            return
        if story == "declined":
            questions.decline(q, self.liaison(), item["decline_reason"], **self.later(4))
            return
        if story == "transferred_replied":
            questions.transfer(q, self.liaison(), depts[item["transfer_to"]], item["transfer_reason"], **self.later(2))
        questions.accept(q, self.liaison(), **self.later(3))
        if item.get("progress"):
            questions.progress(q, self.liaison(), item["progress"], **self.later(20))
        if story in ("accepted", "overdue"):
            return
        questions.reply(q, self.spokesperson(), item["reply"], **self.later(20))
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


# ---------------------------------------------------------------- the coordinating office's work (issue 13)

def build_office(depts, users, now: datetime) -> None:
    """One of each: dispatched, returned, co-handled, extension approved and refused, 督办, phone intake,
    and last month's report. Every step goes through xtq.domain.office, like the site's."""
    from xtq.domain import monthly, office

    cal, admin, citizens = work_calendar(), users["admin"], users["citizens"]
    rng = random.Random(2013)

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    def ask(asker, slug, title, body, category, at):
        return questions.ask(asker, depts[slug] if slug else None, title=title, body=body, category=category,
                             to_office=slug is None, now=at, cal=cal, rng=rng)

    def staff(slug, i=1):
        return users["staff"][slug][i]

    q = ask(citizens[0], None, "小区旁边的排水沟夏天发臭", "金水区文化路北段小区东侧的排水沟，天一热就有臭味，不知道该找哪个部门。",
            "环境", ago(3))
    office.dispatch(q, admin, depts["huanbao"], "排水沟水质异味，由环保局牵头查明来源", now=ago(2.9), cal=cal)
    questions.accept(q, staff("huanbao"), now=ago(2.5), cal=cal)

    q = ask(citizens[1], "gongan", "燃气费账单比往年高出一倍", "家里只有两口人，这个月燃气费三百多，请帮忙查一下是不是表有问题。",
            "水电气暖", ago(0.5))
    office.return_to_office(q, staff("gongan"), "燃气计量和收费不属于公安职责，请转郑州燃气办理。", now=ago(0.4), cal=cal)

    q = ask(citizens[2], "jiaoyu", "学校门口早上接送孩子的车堵成一团", "二七区某小学门口每天早上七点半堵车，孩子过马路很危险。",
            "交通出行", ago(2))
    questions.accept(q, staff("jiaoyu"), now=ago(1.9), cal=cal)
    office.add_assist(q, staff("jiaoyu", 0), depts["gongan"], now=ago(1.8))
    office.add_note(q, staff("gongan"), "交警二七大队可在上学高峰派人疏导，并施划临时停车区。", now=ago(1.5))
    office.assist_done(q, staff("gongan"), now=ago(1.4))
    questions.reply(q, staff("jiaoyu", 0), "已会同市公安局交警支队在上学高峰安排民警疏导，并在学校东侧施划临时即停即走车位。",
                    now=ago(1), cal=cal)

    q = ask(citizens[3], "chengguan", "背街小巷的路灯坏了一排", "管城区东大街南侧小巷十几盏路灯都不亮，晚上走路看不见。",
            "城市管理", ago(2))
    questions.accept(q, staff("chengguan"), now=ago(1.9), cal=cal)
    row = office.request_extension(q, staff("chengguan"), 3, "需更换地下供电线路，须与供电公司协调停电时间。", now=ago(1.5))
    office.approve_extension(row, admin, now=ago(1.4), cal=cal)

    q = ask(citizens[4 % len(citizens)], "fangguan", "小区电梯经常困人", "惠济区某小区3号楼电梯一个月困人三次，物业一直不修。",
            "住房", ago(2))
    questions.accept(q, staff("fangguan"), now=ago(1.9), cal=cal)
    row = office.request_extension(q, staff("fangguan"), 5, "需要等待电梯厂家检测。", now=ago(1.5))
    office.refuse_extension(row, admin, "电梯困人涉及安全，请先督促物业停梯检修，不宜延期。", now=ago(1.4))

    q = ask(citizens[5 % len(citizens)], "renshe", "社保转移办了两个月还没好", "从外地转回郑州的养老保险，提交材料两个月了没有进展。",
            "社会保障", ago(14))
    questions.accept(q, staff("renshe"), now=ago(13.9), cal=cal)
    office.supervise(q, admin, "已逾期多日，群众多次反映，请于督办期限内办结并公开答复。", 3, now=ago(1), cal=cal)

    office.intake(admin, depts["zilaishui"], "phone", title="整栋楼停水一天了没有通知",
                  body="来电反映：中原区建设路某小区整栋楼从昨天起停水，没有看到任何停水通知。", category="水电气暖",
                  caller="李女士，电话 139****5678（来电记录）", now=ago(0.2), cal=cal, rng=rng)

    last_month = (deadlines.local_date(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    monthly.generate(last_month, now)
