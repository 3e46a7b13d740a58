"""Guard: the office's and staff's pages read questions, events and comments through an index.

At a city's scale (300 k questions, 1.5 M events) a full scan costs 100-600 ms a statement; a tiny
test database cannot time that, but SQLite's plan says it. (Which index wins among several depends
on the statistics ANALYZE leaves, which a test database lacks: only full scans are guarded.)
"""

import re

import pytest
from sqlalchemy import event

from xtq.extensions import db

SCAN = r"\bSCAN (question|question_event|comment)\b"


def _scans(client, path: str) -> list[str]:
    """Every statement the page sends whose SQLite plan scans a big table, with that plan."""
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    scans = []
    for statement, parameters in sent:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        plan = [
            row[-1] for row in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        ]
        if any(re.search(SCAN, line) for line in plan):
            scans.append(f"{statement}\n  {plan}")
    return scans


@pytest.mark.parametrize(
    "who, path",
    [
        ("admin", "/admin/review"),
        ("admin", "/admin/escalations"),
        ("admin", "/admin/dispatch"),
        ("liaison", "/console/questions"),
        ("liaison", "/console/questions?status=mine"),
        ("liaison", "/console/questions?status=all"),
    ],
)
def test_office_pages_read_big_tables_through_an_index(client, auth, request, who, path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans; PostgreSQL picks a seq scan on any small table")
    auth.login(request.getfixturevalue(who))
    client.get("/directory")
    assert _scans(client, path) == []
