"""The benchmark's smoke form: a tiny city generated in seconds, served from its own file.

Timings are never asserted here; docs/performance.md holds the measured numbers.
"""

import os
import sqlite3

import pytest
import sqlalchemy as sa

from bench import generate, mixed, pages, run, wrk
from bench.city import LIAISONS, Counts
from bench.target import Target
from tests.helpers import ON_POSTGRES, POSTGRES_URL
from xtq import create_app
from xtq.models import EventKind, PostKind, PostStatus, QuestionStatus

SCALE = 0.0005


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory):
    """A city at 1/2000 of full scale, made once for this module."""
    path = tmp_path_factory.mktemp("bench")
    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(path / "instance"))
    report = generate.build(Target.parse(path / "city.sqlite"), Counts.at(SCALE), seed=7, quiet=True)
    mp.undo()
    return report


def query(report, sql):
    conn = sqlite3.connect(report.target.path)
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
    app = create_app({"SQLALCHEMY_DATABASE_URI": tiny_city.target.url, "SECRET_KEY": "test"})
    sample = pages.sample(tiny_city.target)
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
    assert run.main(["--db", str(tiny_city.target.path), "--smoke", "--only", "hall home"]) == 0


@pytest.mark.skipif(
    not wrk.available(), reason="wrk is not installed (Debian: apt-get install wrk); the served run is skipped"
)
def test_the_mixed_day_runs_without_errors(tiny_city):
    """Floors, four reader classes at once and real form writes, for a few seconds: no error."""
    assert mixed.main(["--db", str(tiny_city.target.path), "--smoke"]) == 0


def test_the_cpu_table_covers_the_signed_in_and_staff_pages(tiny_city, capsys):
    from bench import cpu

    assert cpu.main(["--db", str(tiny_city.target.path), "--requests", "1"]) == 0
    table = capsys.readouterr().out
    assert "/console/questions" in table and "signed-in citizen" in table and "/admin/escalations" in table


needs_wrk = pytest.mark.skipif(
    not wrk.available(), reason="wrk is not installed (Debian: apt-get install wrk); the served run is skipped"
)


@pytest.fixture(scope="module")
def tiny_postgres_city(tmp_path_factory):
    """The same tiny city in a database of its own on the suite's PostgreSQL server."""
    url = sa.make_url(POSTGRES_URL).set(database=f"xtq_bench_{os.getpid()}").render_as_string(hide_password=False)
    mp = pytest.MonkeyPatch()
    mp.setenv("XTQ_INSTANCE_PATH", str(tmp_path_factory.mktemp("bench-pg") / "instance"))
    report = generate.build(Target.parse(url), Counts.at(SCALE), seed=7, quiet=True)
    mp.undo()
    yield report
    admin = sa.create_engine(
        sa.make_url(url).set(database="postgres", drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS xtq_bench_{os.getpid()} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL run only")
def test_postgres_gets_the_same_city(tiny_city, tiny_postgres_city):
    assert tiny_postgres_city.rows == tiny_city.rows


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL run only")
@needs_wrk
def test_the_mixed_day_runs_on_postgres(tiny_postgres_city):
    assert mixed.main(["--db", tiny_postgres_city.target.url, "--smoke"]) == 0
