"""The accountability figures against numbers worked out by hand (November 2026 has no holidays).

Deadlines: accept within 1 working day (due 00:00 Shanghai after the next working day), reply
within 5 working days of accepting. Working hours count 24 per working day, none at weekends.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import sh
from xtq.domain import figures, questions
from xtq.domain.figures import CITY, Period, Scope, Share
from xtq.extensions import db
from xtq.models import Department, DeptGroup, PostStatus, Rating

THURSDAY = sh(day=26, hour=10)  # the hand-worked scenario is seen from Thursday 26 November 2026, 10:00


def of(slug: str, period: Period = Period.ALL_TIME, now: datetime = THURSDAY) -> figures.Figures:
    dept = db.session.scalar(db.select(Department).where(Department.slug == slug))
    return figures.table(Scope.DEPARTMENT, period, now).get(dept.id, figures.EMPTY)


@pytest.fixture
def six_in_gongan(steps):
    """Six questions asked Monday 16th 10:00; first replies after 2, 24, 48, 96, 120 and 144 working hours."""
    mon = 16
    q1 = steps.answered("gongan", sh(day=mon, hour=10), sh(day=mon, hour=11), sh(day=mon, hour=12))  # 2 h
    q2 = steps.answered("gongan", sh(day=mon, hour=10), sh(day=mon, hour=11), sh(day=17, hour=10))  # 24 h
    q3 = steps.answered("gongan", sh(day=mon, hour=10), sh(day=17, hour=9), sh(day=18, hour=10))  # 48 h
    q4 = steps.answered(
        "gongan", sh(day=mon, hour=10), sh(day=18, hour=11), sh(day=20, hour=10)
    )  # accepted late (due Wed 18th 00:00); 96 h
    q5 = steps.answered(
        "gongan", sh(day=mon, hour=10), sh(day=mon, hour=12), sh(day=23, hour=10)
    )  # 14 + 4×24 + (weekend 0) + 10 = 120 h
    q6 = steps.answered(
        "gongan", sh(day=mon, hour=10), sh(day=mon, hour=12), sh(day=24, hour=10)
    )  # reply due Tue 24th 00:00: late; 144 h
    steps.rate(q1, Rating.SATISFIED, sh(day=19, hour=10))
    steps.rate(q2, Rating.SATISFIED, sh(day=19, hour=10))
    steps.rate(q3, Rating.UNSATISFIED, sh(day=19, hour=10))  # reopened: new reply deadline Fri 27th, not yet decided
    steps.rate(q4, Rating.SATISFIED, sh(day=23, hour=10))
    steps.rate(q5, Rating.UNSATISFIED, sh(day=24, hour=11))  # reopened: due Wed 2 December
    return [q1, q2, q3, q4, q5, q6]  # q6 stays unrated


def test_on_time_shares_hours_and_satisfaction_worked_out_by_hand(six_in_gongan):
    f = of("gongan")
    assert f.received == 6
    assert f.accepted_on_time == Share(5, 6)  # q4 accepted on Wednesday, after its deadline
    assert f.replied == Share(6, 6)
    assert f.replied_on_time == Share(5, 6)  # q6 late; the two reopened deadlines are still running
    assert f.reply_hours.n == 6
    assert f.reply_hours.median == pytest.approx(48.0)  # nearest rank: the 3rd of 6
    assert f.reply_hours.p90 == pytest.approx(144.0)  # the ⌈5.4⌉ = 6th of 6
    assert f.satisfaction == Share(3, 5)  # q6 is unrated and left out (3/6 would be 50%)
    assert (f.text("accepted_on_time"), f.text("satisfaction"), f.text("median_hours")) == ("83%", "60%", "48.0")
    assert f.overdue == 0


def test_a_reply_deadline_that_passes_makes_the_question_overdue_and_late(steps):
    q = steps.ask("gongan", sh(day=16, hour=10))
    steps.accept(q, sh(day=16, hour=11))  # reply due Tue 24th 00:00; seen from Thu 26th 10:00
    f = of("gongan")
    assert f.overdue == 1
    assert f.replied_on_time == Share(0, 1)
    assert f.replied == Share(0, 1)
    assert f.reply_hours.n == 0 and f.text("median_hours") == figures.INSUFFICIENT


def test_transferred_questions_count_against_the_department_that_held_them_when_the_deadline_passed(steps):
    qa = steps.ask("gongan", sh(day=16, hour=10))
    steps.transfer(
        qa, "jiaoyu", sh(day=19, hour=10)
    )  # gongan's accept deadline (Wed 00:00) had passed: late for gongan
    steps.accept(qa, sh(day=20, hour=10))  # jiaoyu's new deadline is Sat 21st 00:00: on time
    qb = steps.ask("gongan", sh(day=16, hour=10))
    steps.transfer(qb, "jiaoyu", sh(day=16, hour=11))  # in time: no judgement for gongan
    steps.accept(qb, sh(day=18, hour=10))  # jiaoyu's deadline was Wed 18th 00:00: late
    qc = steps.ask("gongan", sh(day=16, hour=10))
    steps.accept(qc, sh(day=16, hour=11))  # on time; reply due Tue 24th 00:00
    steps.transfer(qc, "jiaoyu", sh(day=25, hour=10))  # after the reply deadline: late reply for gongan
    qd = steps.ask("jiaoyu", sh(day=20, hour=10))  # accept due Tue 24th 00:00, never accepted: overdue, late for jiaoyu

    gongan, jiaoyu = of("gongan"), of("jiaoyu")
    assert gongan.received == 0  # all three are now jiaoyu's
    assert gongan.accepted_on_time == Share(1, 2)  # qa late, qc on time, qb transferred in time
    assert gongan.replied_on_time == Share(0, 1)  # qc
    assert jiaoyu.received == 4
    assert jiaoyu.accepted_on_time == Share(1, 3)  # qa on time; qb late; qd overdue; qc's deadline still runs
    # qb's reply deadline (accepted Wed 18th: due Thu 26th 00:00) passed this morning; qa's runs to Sat 28th.
    assert jiaoyu.replied_on_time == Share(0, 1)
    assert jiaoyu.overdue == 2  # qb and qd
    assert qd.status == questions.S.ASKED


def test_hidden_questions_count_nowhere(steps, admin, six_in_gongan):
    before = of("gongan")
    q = steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=16, hour=12))
    questions.hide(q, admin, "含有他人隐私", now=sh(day=16, hour=13))
    db.session.commit()
    assert of("gongan") == before
    assert figures.city(Period.ALL_TIME, THURSDAY).received == 6
    assert figures.table(Scope.GROUP, Period.ALL_TIME, THURSDAY)[DeptGroup.BUREAU].received == 6
    assert sum(w.reply_rate.whole for w in figures.weekly_reply_rate(THURSDAY)) == 6


def test_groups_and_the_city_take_the_median_over_all_their_questions_not_of_medians(steps):
    steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=16, hour=12))  # 2 h
    steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=17, hour=10))  # 24 h
    steps.answered("gongan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=18, hour=10))  # 48 h
    steps.answered("jiaoyu", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=20, hour=10))  # 96 h
    steps.answered("jiaoyu", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=23, hour=10))  # 120 h
    steps.answered("zhongyuan", sh(day=16, hour=10), sh(day=16, hour=11), sh(day=16, hour=11))  # 1 h, a district
    bureaus = figures.table(Scope.GROUP, Period.ALL_TIME, THURSDAY)[DeptGroup.BUREAU]
    assert bureaus.received == 5
    assert (bureaus.reply_hours.n, bureaus.reply_hours.median, bureaus.reply_hours.p90) == (5, 48.0, 120.0)
    city = figures.city(Period.ALL_TIME, THURSDAY)
    assert city.received == 6
    assert (city.reply_hours.median, city.reply_hours.p90) == (24.0, 120.0)  # ranks 3 and 6 of 1, 2, 24, 48, 96, 120
    assert figures.table(Scope.GROUP, Period.ALL_TIME, THURSDAY)[DeptGroup.DISTRICT].received == 1
    assert DeptGroup.UTILITY not in figures.table(Scope.GROUP, Period.ALL_TIME, THURSDAY)
    assert of("gongan").text("median_hours") == figures.INSUFFICIENT  # 3 replies < 5


def test_periods_follow_shanghai_time_across_the_new_year(steps, cal):
    now = datetime(2027, 1, 5, 2, 0, tzinfo=ZoneInfo("UTC"))  # Tuesday 10:00 in Shanghai
    steps.ask("gongan", sh(day=1, hour=10, month=12))  # more than 30 days ago
    steps.ask("gongan", sh(day=10, hour=10, month=12))  # last year, within 30 days
    steps.ask("gongan", sh(day=31, hour=23, month=12, minute=30))  # 15:30 UTC on 31 December: still last year
    steps.ask(
        "gongan", sh(day=1, hour=0, month=1, year=2027, minute=30)
    )  # 16:30 UTC on 31 December: this year in Zhengzhou
    assert of("gongan", Period.ALL_TIME, now).received == 4
    assert of("gongan", Period.LAST_30_DAYS, now).received == 3
    assert of("gongan", Period.THIS_YEAR, now).received == 1
    assert figures.period_start(Period.THIS_YEAR, now) == datetime(2026, 12, 31, 16, 0, tzinfo=ZoneInfo("UTC"))


def test_posts_in_the_last_30_days_are_public_posts_only(spokesperson, make_post):
    make_post(spokesperson, "近的", published_at=THURSDAY - timedelta(days=29))
    make_post(spokesperson, "远的", published_at=THURSDAY - timedelta(days=31))
    make_post(spokesperson, "草稿", published_at=THURSDAY - timedelta(days=1), status=PostStatus.DRAFT)
    hidden = make_post(spokesperson, "隐藏", published_at=THURSDAY - timedelta(days=1))
    hidden.hidden_at = THURSDAY
    db.session.commit()
    assert of("gongan").posts_30d == 1
    assert figures.city(Period.LAST_30_DAYS, THURSDAY).posts_30d == 1


def test_fewer_than_five_reads_insufficient_and_ranks_last():
    assert str(Share(4, 4)) == figures.INSUFFICIENT and Share(4, 4).percent is None
    assert str(Share(4, 5)) == "80%"
    full, small, low = (figures.Figures(replied=Share(n, d)) for n, d in ((5, 5), (4, 4), (1, 5)))
    rows = [("small", small), ("low", low), ("full", full)]
    assert [name for name, _ in figures.ranked(rows, "replied", descending=True)] == ["full", "low", "small"]
    assert [name for name, _ in figures.ranked(rows, "replied", descending=False)] == ["low", "full", "small"]


def test_weekly_reply_rate_counts_the_questions_asked_each_week(steps):
    for i in range(5):
        q = steps.ask("gongan", sh(day=17, hour=10 + i))  # week of Monday 16th
        if i < 4:
            steps.accept(q, sh(day=17, hour=16))
            steps.reply(q, sh(day=18, hour=10))
    steps.ask("gongan", sh(day=24, hour=10))  # this week (Monday 23rd): one question only
    weeks = figures.weekly_reply_rate(THURSDAY)
    assert len(weeks) == 12 and weeks[-1].start.isoformat() == "2026-11-23"
    assert weeks[-2].reply_rate == Share(4, 5) and str(weeks[-2].reply_rate) == "80%"
    assert weeks[-1].reply_rate == Share(0, 1) and weeks[-1].reply_rate.percent is None
    assert all(w.reply_rate.whole == 0 for w in weeks[:-2])


def test_the_cache_serves_figures_for_a_minute(app, steps):
    app.config["FIGURES_CACHE_SECONDS"] = 60
    assert figures.cached_city(Period.ALL_TIME, THURSDAY).received == 0
    steps.ask("gongan", sh(day=16, hour=10))
    assert figures.cached_city(Period.ALL_TIME, THURSDAY).received == 0  # still the cached figures
    app.config["FIGURES_CACHE_SECONDS"] = 0
    assert figures.cached_city(Period.ALL_TIME, THURSDAY).received == 1
    assert CITY in figures.table(Scope.CITY, Period.ALL_TIME, THURSDAY)
