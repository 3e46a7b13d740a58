"""The benchmark's smoke form: a tiny city generated in seconds, served from its own file.

Timings are never asserted here; docs/performance.md holds the measured numbers.
"""

import sqlite3

import pytest

from bench import generate, mixed, pages, run, wrk
from bench.city import LIAISONS, Counts
from xtq import create_app
from xtq.models import EventKind, PostKind, PostStatus, QuestionStatus

SCALE = 0.0005


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory):
    """A city at 1/2000 of full scale, made once for this module."""
    path = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(path / "instance"))
    report = generate.build(path / "city.sqlite", Counts.at(SCALE), seed=7, quiet=True)
    mp.undo()
    return report


def query(report, sql):
    conn = sqlite3.connect(report.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_row_counts_follow_the_scale(tiny_city):
    rows = tiny_city.rows
    assert rows["department"] == 57
    assert rows["post"] == 500
    assert rows["question"] == 150
    assert rows["user"] == 100 + 57 * (1 + LIAISONS) + 1
    assert 2 <= rows["question_event"] / rows["question"] <= 8
    assert 0.05 <= rows["post_topic"] / rows["post"] <= 0.5


@pytest.mark.parametrize(
    ("table", "column", "allowed"),
    [
        ("post", "kind", {k.value for k in PostKind}),
        ("post", "status", {s.value for s in PostStatus}),
        ("question", "status", {s.value for s in QuestionStatus}),
        ("question_event", "kind", {k.value for k in EventKind}),
    ],
)
def test_enums_are_stored_as_their_values(tiny_city, table, column, allowed):
    assert {v for (v,) in query(tiny_city, f"SELECT DISTINCT {column} FROM {table}")} <= allowed


def test_times_are_naive_utc_text_with_microseconds(tiny_city):
    (stamp,) = query(tiny_city, "SELECT published_at FROM post WHERE published_at IS NOT NULL LIMIT 1")[0]
    assert len(stamp) == 26 and stamp[10] == " " and stamp[19] == "."


def test_question_columns_agree_with_their_last_event(tiny_city):
    mismatched = query(
        tiny_city,
        "SELECT q.id FROM question q JOIN question_event e ON e.question_id = q.id "
        "GROUP BY q.id HAVING max(e.created_at) != q.last_activity_at",
    )
    assert mismatched == []


def test_the_app_serves_the_generated_city(tiny_city, tmp_path, monkeypatch):
    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tiny_city.path}", "SECRET_KEY": "test"})
    sample = pages.sample(tiny_city.path)
    client = app.test_client()
    for path in ("/", f"/hall/{sample.slug}", f"/hall/{sample.slug}?after={sample.hall_deep}"):
        assert client.get(path).status_code == 200, path
    with app.app_context():
        from xtq.extensions import db

        db.engine.dispose()


@pytest.mark.skipif(
    not wrk.available(), reason="wrk is not installed (Debian: apt-get install wrk); the served run is skipped"
)
def test_the_runner_measures_the_floors_and_a_page(tiny_city):
    assert run.main(["--db", str(tiny_city.path), "--smoke", "--only", "hall home"]) == 0


@pytest.mark.skipif(
    not wrk.available(), reason="wrk is not installed (Debian: apt-get install wrk); the served run is skipped"
)
def test_the_mixed_day_runs_without_errors(tiny_city):
    """Floors, four reader classes at once and real form writes, for a few seconds: no error."""
    assert mixed.main(["--db", str(tiny_city.path), "--smoke"]) == 0


def test_the_cpu_table_covers_the_signed_in_and_staff_pages(tiny_city, capsys):
    from bench import cpu

    assert cpu.main(["--db", str(tiny_city.path), "--requests", "1"]) == 0
    table = capsys.readouterr().out
    assert "/console/questions" in table and "signed-in citizen" in table and "/admin/escalations" in table
