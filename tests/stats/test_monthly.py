"""Monthly reports: generated once a month has ended, frozen, printable and as CSV, listed on /stats."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from tests.helpers import NOW, TODAY, send
from xtq import clock
from xtq.domain import monthly
from xtq.domain.errors import DomainError
from xtq.extensions import db

LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
KEY = monthly.month_key(LAST_MONTH)


def _in_last_month(day: int) -> datetime:
    return datetime(LAST_MONTH.year, LAST_MONTH.month, day, 10, 0, tzinfo=clock.SHANGHAI)


def test_last_months_report_is_generated_frozen_and_shown(app, client, runner, make_question):
    make_question("replied", at=_in_last_month(3))
    make_question("asked", at=_in_last_month(4))
    result = runner.invoke(args=["monthly-report"])
    assert result.exit_code == 0 and KEY in result.output
    assert runner.invoke(args=["monthly-report"]).output.startswith("没有需要生成")
    report = monthly.read(KEY)
    gongan = next(d for d in report.departments if d.slug == "gongan")
    assert (report.city.this.received, gongan.this.received) == (2, 2)

    make_question("asked", at=_in_last_month(5))  # too late: the report is frozen
    assert monthly.read(KEY).city.this.received == 2

    page = send(client, "GET", f"/stats/{KEY}").get_data(as_text=True)
    assert "月度通报" in page and "市公安局" in page
    assert f"/stats/{KEY}" in send(client, "GET", "/stats").get_data(as_text=True)
    rows = list(
        csv.reader(io.StringIO(send(client, "GET", f"/stats/{KEY}.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    assert rows[1][:2] == ["全市", "2"] and any(r[0] == "市公安局" and r[1] == "2" for r in rows)


def test_a_month_that_has_not_ended_has_no_report(app, client):
    with pytest.raises(DomainError, match="还没有结束"):
        monthly.generate(TODAY.replace(day=1), NOW)
    assert send(client, "GET", f"/stats/{monthly.month_key(TODAY.replace(day=1))}").status_code == 404
    assert send(client, "GET", "/stats/2026-13").status_code == 404


def test_the_change_from_last_month_and_the_most_improved(app, steps):
    before = (LAST_MONTH - timedelta(days=1)).replace(day=1)
    for i in range(5):  # the month before: five replies, all late
        q = steps.ask("jiaotong", datetime(before.year, before.month, 2 + i, 10, tzinfo=clock.SHANGHAI))
        steps.accept(q, q.created_at + timedelta(days=3))
    for i in range(5):  # last month: five on time
        steps.answered(
            "jiaotong",
            _in_last_month(2 + i),
            _in_last_month(2 + i) + timedelta(hours=1),
            _in_last_month(2 + i) + timedelta(hours=2),
        )
    monthly.generate(LAST_MONTH, NOW)
    db.session.commit()
    report = monthly.read(KEY)
    jiaotong = next(d for d in report.departments if d.slug == "jiaotong")
    assert jiaotong.this.text("replied_on_time") == "100%"
    assert [d.slug for d in report.most_improved("accepted_on_time")] == ["jiaotong"]
