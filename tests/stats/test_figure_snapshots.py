"""Stored figure snapshots: pages read them instead of aggregating; cron refreshes them."""

from datetime import timedelta

import pytest

from tests.helpers import NOW
from xtq.domain import figures
from xtq.extensions import db
from xtq.models import FigureSnapshot


@pytest.fixture
def app_config():
    return {"FIGURES_CACHE_SECONDS": 60, "FIGURES_MAX_AGE": 900}


def test_refresh_stores_every_snapshot_and_they_read_back_equal(app, runner, make_question):
    for i in range(6):
        make_question("replied", at=NOW - timedelta(days=3, hours=i))
    result = runner.invoke(args=["figures-refresh"])
    assert result.exit_code == 0 and "统计数字已更新：11 组" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(FigureSnapshot)) == 11
    app.extensions.pop("xtq_cache", None)
    stored = figures.cached_table(figures.Scope.DEPARTMENT, figures.Period.ALL_TIME, NOW)
    assert stored == figures.table(figures.Scope.DEPARTMENT, figures.Period.ALL_TIME, NOW)
    assert figures.cached_weekly(NOW) == figures.weekly_reply_rate(NOW)
    assert figures.cached_city(figures.Period.ALL_TIME, NOW).received == 6


def test_a_page_reads_the_snapshot_not_the_data(app, client, make_question, count_queries):
    figures.refresh(NOW)
    app.extensions.pop("xtq_cache", None)
    make_question("asked", at=NOW - timedelta(hours=1))  # newer than the snapshot: not counted yet
    assert figures.cached_city(figures.Period.ALL_TIME, NOW).received == 0
    with count_queries() as q:
        client.get("/stats")
    assert not any("question_deadline" in s for s in q.statements)


def test_an_old_snapshot_is_computed_again(app, make_question):
    figures.refresh(NOW)
    make_question("asked", at=NOW - timedelta(hours=1))
    db.session.execute(db.update(FigureSnapshot).values(computed_at=NOW - timedelta(days=30)))
    db.session.commit()
    app.extensions.pop("xtq_cache", None)
    assert figures.cached_city(figures.Period.ALL_TIME, NOW).received == 1
