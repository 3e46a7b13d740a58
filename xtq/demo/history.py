"""A year of finished demo questions, so that the accountability figures (/stats) have something to say.

Each department gets a handful of questions asked over the past eleven months and a pace of its
own (some quick, some slow, a few late), played through the real rules of xtq.domain.questions.
Deterministic: the same hall every time.
"""

import random
from datetime import datetime, timedelta

from sqlalchemy import update

from xtq.clock import work_calendar
from xtq.domain import questions
from xtq.extensions import db
from xtq.models import Notification, Rating

PLACES = ("文化路", "花园路", "农业路", "建设路", "中原路", "大学路", "经三路", "郑汴路", "航海路", "金水路")
ISSUES = (
    ("城市管理", "{place}路灯晚上不亮", "{place}北段这几天晚上路灯都不亮，行人走路不安全，请尽快修理。"),
    ("城市管理", "{place}井盖松动", "{place}人行道上有个井盖一踩就响，担心有人踩空，希望尽快处理。"),
    ("环境", "{place}附近夜间施工噪音", "{place}附近工地晚上十一点以后还在施工，影响休息，请核查。"),
    ("社会保障", "社保转移办理进度咨询", "上个月提交了社保关系转移申请，一直没有消息，想了解办理进度。"),
    ("其他", "办事大厅排队时间太长", "周一上午去办事大厅，排队两个多小时，能否增加窗口或网上预约？"),
    ("住房", "{place}小区物业不作为", "{place}某小区电梯坏了半个月没人修，物业推说没钱，请帮忙协调。"),
    ("教育", "孩子入学材料咨询", "孩子今年上小学，户口和房产不在一起，需要准备哪些材料？"),
    ("水电气暖", "{place}一带水压偏低", "{place}一带最近早晚用水高峰水压很低，高层基本没水，请检查。"),
    ("治安", "{place}夜市周边停车乱", "{place}夜市周边车辆乱停，经常堵住消防通道，希望加强管理。"),
    ("医疗卫生", "社区医院能否延长服务时间", "上班族下班后社区医院已经关门，能否周末或晚上开诊？"),
)


def build_history(depts: dict, users: dict, now: datetime, rng: random.Random | None = None) -> int:
    """Ask and finish questions for every department over the past year; returns how many."""
    rng = rng or random.Random(2012)
    cal, citizens, slugs = work_calendar(), users["citizens"], sorted(depts)
    count = 0
    with db.session.no_autoflush:  # the rules' lookups need no flush here; flushing each time triples the cost
        for slug in slugs:
            pace = (rng.choice((2, 4, 8, 20)), rng.choice((10, 30, 60, 110, 170)))  # hours to accept, to reply
            for _ in range(rng.randint(5, 10)):
                asked = _office_hours(now - timedelta(days=rng.uniform(12, 330)), rng)
                _play(depts, slug, users, citizens[rng.randrange(len(citizens))], asked, now, pace, rng, cal)
                count += 1
    questions.close_stale(now)
    db.session.execute(
        update(Notification).where(Notification.created_at < now - timedelta(days=7)).values(read_at=now)
    )
    return count


def _office_hours(moment: datetime, rng: random.Random) -> datetime:
    """The same day at a working hour in Zhengzhou (UTC+8: 01:00–09:00 UTC)."""
    return moment.replace(hour=rng.randint(1, 9), minute=rng.randrange(60), second=0, microsecond=0)


def _play(depts, slug, users, asker, asked: datetime, now: datetime, pace, rng: random.Random, cal) -> None:
    category, title, body = rng.choice(ISSUES)
    place = rng.choice(PLACES)
    q = questions.ask(
        asker,
        depts[slug],
        title=title.format(place=place),
        body=body.format(place=place),
        category=category,
        now=asked,
        cal=cal,
        rng=rng,
    )
    at = asked

    def later(hours: float) -> dict:
        nonlocal at
        at = min(at + timedelta(hours=hours * rng.uniform(0.5, 1.6)), now - timedelta(hours=1))
        return {"now": at, "cal": cal}

    def staff(index: int):
        return users["staff"][q.department.slug][index]

    roll = rng.random()
    if roll < 0.05:
        questions.decline(q, staff(1), "该事项不属于本部门职责，请向所在社区反映。", **later(pace[0]))
        return
    if roll < 0.12:
        other = depts[rng.choice([s for s in depts if s != slug])]
        questions.transfer(q, staff(1), other, "该事项由对口部门办理。", **later(pace[0]))
    questions.accept(q, staff(1), **later(pace[0]))
    questions.reply(q, staff(0), "您反映的情况已收悉，我们已安排专人核实处理，处理结果将及时公开。", **later(pace[1]))
    rating = rng.random()
    if rating < 0.6:
        questions.rate(q, q.asker, Rating.SATISFIED, **later(24))
    elif rating < 0.75:
        questions.rate(q, q.asker, Rating.UNSATISFIED, "问题还没有解决。", **later(24))
        questions.reply(q, staff(0), "已再次派人现场处理，问题已经解决，感谢监督。", **later(pace[1]))
