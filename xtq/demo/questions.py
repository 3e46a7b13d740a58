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
from xtq.domain import deadlines, metoo, photos, questions
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
            citizens[item["asker"] % len(citizens)],
            depts[item["dept"]],
            title=item["title"],
            body=item["body"],
            category=item["category"],
            district=depts.get(item.get("district") or ""),
            anonymous=item.get("anonymous", False),
            private=item.get("private", False),
            now=asked_at,
            cal=cal,
            rng=rng,
        )
        _Story(q, users, cal, asked_at, now).play(item, depts)
    questions.remind(now, cal)
    _voices(users, now)


def _voices(users, now: datetime) -> None:
    """同问, photos and e-mail settings, through the same rules as on the site."""
    citizens = users["citizens"]
    db.session.flush()
    open_questions = list(
        db.session.scalars(
            db.select(Question)
            .where(Question.status.in_(questions.OPEN), Question.hidden_at.is_(None))
            .order_by(Question.id)
        )
    )
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
        return [
            db.session.scalar(
                db.select(Post.id)
                .where(
                    Post.department_id == self.q.department_id,
                    Post.status == PostStatus.PUBLISHED,
                    Post.published_at <= at,
                    Post.body.contains(cites["post_topic"]),
                )
                .limit(1)
            )
        ]

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
        return questions.ask(
            asker,
            depts[slug] if slug else None,
            title=title,
            body=body,
            category=category,
            to_office=slug is None,
            now=at,
            cal=cal,
            rng=rng,
        )

    def staff(slug, i=1):
        return users["staff"][slug][i]

    q = ask(
        citizens[0],
        None,
        "小区旁边的排水沟夏天发臭",
        "金水区文化路北段小区东侧的排水沟，天一热就有臭味，不知道该找哪个部门。",
        "环境",
        ago(3),
    )
    office.dispatch(q, admin, depts["huanbao"], "排水沟水质异味，由环保局牵头查明来源", now=ago(2.9), cal=cal)
    questions.accept(q, staff("huanbao"), now=ago(2.5), cal=cal)

    q = ask(
        citizens[1],
        "gongan",
        "燃气费账单比往年高出一倍",
        "家里只有两口人，这个月燃气费三百多，请帮忙查一下是不是表有问题。",
        "水电气暖",
        ago(0.5),
    )
    office.return_to_office(
        q, staff("gongan"), "燃气计量和收费不属于公安职责，请转郑州燃气办理。", now=ago(0.4), cal=cal
    )

    q = ask(
        citizens[2],
        "jiaoyu",
        "学校门口早上接送孩子的车堵成一团",
        "二七区某小学门口每天早上七点半堵车，孩子过马路很危险。",
        "交通出行",
        ago(2),
    )
    questions.accept(q, staff("jiaoyu"), now=ago(1.9), cal=cal)
    office.add_assist(q, staff("jiaoyu", 0), depts["gongan"], now=ago(1.8))
    office.add_note(q, staff("gongan"), "交警二七大队可在上学高峰派人疏导，并施划临时停车区。", now=ago(1.5))
    office.assist_done(q, staff("gongan"), now=ago(1.4))
    questions.reply(
        q,
        staff("jiaoyu", 0),
        "已会同市公安局交警支队在上学高峰安排民警疏导，并在学校东侧施划临时即停即走车位。",
        now=ago(1),
        cal=cal,
    )

    q = ask(
        citizens[3],
        "chengguan",
        "背街小巷的路灯坏了一排",
        "管城区东大街南侧小巷十几盏路灯都不亮，晚上走路看不见。",
        "城市管理",
        ago(2),
    )
    questions.accept(q, staff("chengguan"), now=ago(1.9), cal=cal)
    row = office.request_extension(
        q, staff("chengguan"), 3, "需更换地下供电线路，须与供电公司协调停电时间。", now=ago(1.5)
    )
    office.approve_extension(row, admin, now=ago(1.4), cal=cal)

    q = ask(
        citizens[4 % len(citizens)],
        "fangguan",
        "小区电梯经常困人",
        "惠济区某小区3号楼电梯一个月困人三次，物业一直不修。",
        "住房",
        ago(2),
    )
    questions.accept(q, staff("fangguan"), now=ago(1.9), cal=cal)
    row = office.request_extension(q, staff("fangguan"), 5, "需要等待电梯厂家检测。", now=ago(1.5))
    office.refuse_extension(row, admin, "电梯困人涉及安全，请先督促物业停梯检修，不宜延期。", now=ago(1.4))

    q = ask(
        citizens[5 % len(citizens)],
        "renshe",
        "社保转移办了两个月还没好",
        "从外地转回郑州的养老保险，提交材料两个月了没有进展。",
        "社会保障",
        ago(14),
    )
    questions.accept(q, staff("renshe"), now=ago(13.9), cal=cal)
    office.supervise(q, admin, "已逾期多日，群众多次反映，请于督办期限内办结并公开答复。", 3, now=ago(1), cal=cal)

    office.intake(
        admin,
        depts["zilaishui"],
        "phone",
        title="整栋楼停水一天了没有通知",
        body="来电反映：中原区建设路某小区整栋楼从昨天起停水，没有看到任何停水通知。",
        category="水电气暖",
        caller="李女士，电话 139****5678（来电记录）",
        now=ago(0.2),
        cal=cal,
        rng=rng,
    )

    last_month = (deadlines.local_date(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    monthly.generate(last_month, now)
