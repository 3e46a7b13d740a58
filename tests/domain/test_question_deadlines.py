"""Deadlines of the loop, computed by hand from the State Council's holiday arrangements."""

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.helpers import sh
from tests.question_fixtures import dept
from xtq import clock
from xtq.domain import questions
from xtq.models import EventKind, Notification, Rating

CST = timezone(timedelta(hours=8))


def end_of(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=CST).astimezone(UTC) + timedelta(days=1)


def ask(citizen, cal, at):
    return questions.ask(citizen, dept("gongan"), title="春节前问一下", body="内容", category="治安", now=at, cal=cal)


@pytest.mark.parametrize(
    ("asked", "accept_by", "accepted", "reply_by"),
    [
        # Fri 2026-02-13, before the Spring Festival (off 2/15-2/23; make-up Sat 2/14 and Sat 2/28):
        # the next working day is the make-up Saturday 2/14; five working days from 2/14 are
        # 2/24, 2/25, 2/26, 2/27 and the make-up Saturday 2/28.
        (
            sh(year=2026, month=2, day=13, hour=16),
            date(2026, 2, 14),
            sh(year=2026, month=2, day=14, hour=9),
            date(2026, 2, 28),
        ),
        # Fri 2025-01-24 (off 1/28-2/4; make-up Sun 1/26 and Sat 2/8): accept by Sunday 1/26;
        # reply from 1/26: 1/27, 2/5, 2/6, 2/7, 2/8.
        (
            sh(year=2025, month=1, day=24, hour=16),
            date(2025, 1, 26),
            sh(year=2025, month=1, day=26, hour=9),
            date(2025, 2, 8),
        ),
        # Fri 2025-09-26 (National Day off 10/1-10/8; make-up Sun 9/28 and Sat 10/11):
        # accept by Sunday 9/28; reply from 9/28: 9/29, 9/30, 10/9, 10/10, 10/11.
        (
            sh(year=2025, month=9, day=26, hour=16),
            date(2025, 9, 28),
            sh(year=2025, month=9, day=28, hour=9),
            date(2025, 10, 11),
        ),
        # Tue 2026-09-29 (National Day off 10/1-10/7; make-up Sat 10/10): accept by Wed 9/30;
        # reply from 9/30: 10/8, 10/9, 10/10, 10/12, 10/13.
        (
            sh(year=2026, month=9, day=29, hour=16),
            date(2026, 9, 30),
            sh(year=2026, month=9, day=30, hour=9),
            date(2026, 10, 13),
        ),
    ],
)
def test_friday_before_a_long_holiday(citizen, liaison, cal, asked, accept_by, accepted, reply_by):
    q = ask(citizen, cal, asked)
    assert q.due_at == end_of(accept_by)
    assert questions.timing(q, asked, cal).last_day == accept_by
    questions.accept(q, liaison, now=accepted, cal=cal)
    assert q.due_at == end_of(reply_by)


def test_timing_counts_working_days_left_and_late(citizen, cal):
    q = ask(citizen, cal, sh(year=2026, month=2, day=13, hour=16))  # accept by Sat 2/14
    assert questions.timing(q, sh(year=2026, month=2, day=13, hour=17), cal) == questions.Timing(
        end_of(date(2026, 2, 14)), False, 0, 2
    )
    during = questions.timing(
        q, sh(year=2026, month=2, day=18, hour=10), cal
    )  # holiday: overdue, no working day late yet
    assert (during.overdue, during.days_late, during.days_left) == (True, 0, 0)
    after = questions.timing(q, sh(year=2026, month=2, day=25, hour=10), cal)  # 2/24, 2/25
    assert (after.overdue, after.days_late) == (True, 2)


def test_transfer_restarts_the_accept_deadline(citizen, liaison, cal):
    q = ask(citizen, cal, sh(year=2026, month=11, day=23, hour=9))  # Monday: accept by Tuesday
    questions.accept(q, liaison, now=sh(year=2026, month=11, day=23, hour=10), cal=cal)
    questions.transfer(
        q, liaison, dept("jiaotong"), "交通部门负责", now=sh(year=2026, month=11, day=26, hour=10), cal=cal
    )  # Thursday
    assert q.status.value == "asked" and q.accepted_at is None
    assert q.due_at == end_of(date(2026, 11, 27))


def test_reopening_and_follow_up_set_a_new_reply_deadline(citizen, liaison, spokesperson, cal):
    q = ask(citizen, cal, sh(year=2026, month=11, day=2, hour=9))
    questions.accept(q, liaison, now=sh(year=2026, month=11, day=2, hour=10), cal=cal)
    questions.reply(q, spokesperson, "答复", now=sh(year=2026, month=11, day=3, hour=10), cal=cal)
    assert q.due_at is None
    questions.followup(
        q, citizen, "追问", now=sh(year=2026, month=11, day=4, hour=10), cal=cal
    )  # Wed: 11/5, 6, 9, 10, 11
    assert q.due_at == end_of(date(2026, 11, 11)) and questions.awaits_followup_answer(q)
    questions.reply(q, spokesperson, "追问答复", now=sh(year=2026, month=11, day=5, hour=10), cal=cal)
    assert q.due_at is None and q.status.value == "replied"
    questions.rate(
        q, citizen, Rating.UNSATISFIED, now=sh(year=2026, month=11, day=6, hour=10), cal=cal
    )  # Fri: 11/9 … 11/13
    assert q.status.value == "accepted" and q.due_at == end_of(date(2026, 11, 13))


@pytest.mark.parametrize("app_config", [{"ACCEPT_DAYS": 2, "REPLY_DAYS": 10}])
def test_deadlines_are_configurable(citizen, liaison, cal):
    q = ask(citizen, cal, sh(year=2026, month=11, day=23, hour=9))  # Monday: 11/24, 11/25
    assert q.due_at == end_of(date(2026, 11, 25))
    questions.accept(
        q, liaison, now=sh(year=2026, month=11, day=23, hour=10), cal=cal
    )  # ten working days: to Fri 12/4... Mon 12/7
    assert q.due_at == end_of(date(2026, 12, 7))


def test_late_december_runs_into_the_holidays_file(app, citizen, liaison):
    # 2027 is not in the package; the deployment's file says Mon 2027-01-04 is a holiday.
    holidays = Path(app.instance_path) / "holidays.json"
    holidays.write_text(json.dumps({"holidays": ["2027-01-01", "2027-01-04"], "years": [2027]}))
    app.extensions.pop("xtq_calendar", None)
    cal = clock.work_calendar()
    q = ask(citizen, cal, sh(year=2026, month=12, day=31, hour=10))  # Thursday; Fri 1/1 and Mon 1/4 off
    assert q.due_at == end_of(date(2027, 1, 5))


def test_stale_reply_closes_itself_after_seven_days(make_question, citizen, cal):
    q = make_question("replied", at=sh(year=2026, month=11, day=2, hour=9))
    replied = q.replied_at
    assert not questions.close_if_stale(q, replied + timedelta(days=7) - timedelta(seconds=1))
    assert questions.close_if_stale(q, replied + timedelta(days=9))
    assert q.status.value == "closed" and q.closed_at == replied + timedelta(days=7)
    assert q.events[-1].kind == EventKind.CLOSED and "未评价" in q.events[-1].text
    assert not questions.close_if_stale(q, replied + timedelta(days=10))


def test_a_pending_follow_up_keeps_the_question_open(make_question, cal):
    q = make_question("replied_followup", at=sh(year=2026, month=11, day=2, hour=9))
    assert not questions.close_if_stale(q, q.replied_at + timedelta(days=30))
    assert questions.close_stale(q.replied_at + timedelta(days=30)) == 0


def test_reminders_on_the_last_day_and_once_overdue_never_twice(citizen, liaison, spokesperson, cal):
    q = ask(citizen, cal, sh(year=2026, month=11, day=26, hour=10))  # Thursday: accept by Friday 11/27
    questions.db.session.commit()
    sent = [
        questions.remind(now, cal)
        for now in (
            sh(year=2026, month=11, day=26, hour=11),  # Thursday: two working days left, nothing yet
            sh(year=2026, month=11, day=27, hour=8),  # Friday, the last day: remind
            sh(year=2026, month=11, day=27, hour=16),  # again on Friday: nothing new
            sh(year=2026, month=11, day=28, hour=0, minute=30),  # Saturday: deadline passed, remind
            sh(year=2026, month=11, day=30, hour=9),  # Monday: still overdue, but already reminded
        )
    ]
    assert sent == [0, 1, 0, 1, 0]
    reminders = [e for e in q.events if e.kind == EventKind.REMINDED]
    assert [("最后一个工作日" in e.text, "已超过" in e.text) for e in reminders] == [(True, False), (False, True)]
    for staff in (liaison, spokesperson):
        texts = [
            n.text
            for n in questions.db.session.scalars(
                questions.db.select(Notification).where(Notification.user_id == staff.id)
            )
        ]
        assert sum("催办" in t for t in texts) == 2
    # accepting starts a new step, with reminders of its own
    questions.accept(
        q, liaison, now=sh(year=2026, month=11, day=30, hour=10), cal=cal
    )  # reply by Mon 12/7 (12/1-12/4, 12/7)
    assert questions.remind(sh(year=2026, month=12, day=4, hour=9), cal) == 0
    assert questions.remind(sh(year=2026, month=12, day=7, hour=9), cal) == 1
    assert questions.remind(sh(year=2026, month=12, day=7, hour=10), cal) == 0


def test_escalation_list_holds_questions_three_working_days_late(citizen, liaison, cal):
    late = ask(citizen, cal, sh(year=2026, month=11, day=16, hour=10))  # Mon: accept by Tue 11/17; late 11/18, 19, 20
    recent = ask(citizen, cal, sh(year=2026, month=11, day=17, hour=10))  # Tue: accept by Wed 11/18; late 11/19, 20
    now = sh(year=2026, month=11, day=20, hour=12)
    assert [(q.id, days) for q, days in questions.escalations(now, cal)] == [(late.id, 3)]
    questions.accept(late, liaison, now=now, cal=cal)
    assert questions.escalations(now, cal) == [] and recent.status.value == "asked"
