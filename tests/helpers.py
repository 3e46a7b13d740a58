"""What tests share besides fixtures: the pinned day, the test password, settings and small helpers.

Test modules import from here, never from conftest.py.
"""

import os
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import g
from werkzeug.security import generate_password_hash

from xtq.clock import SHANGHAI
from xtq.extensions import db

PASSWORD = "correct-horse"
# One cheap hash for every test account: scrypt's cost is for attackers, not for tests.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


# The day the suite runs on, whatever day the machine says: a Sunday by default (a Sunday once broke the
# suite); XTQ_TEST_DATE=YYYY-MM-DD pins another, and tests/domain/test_awkward_dates.py covers the awkward days
# in every run. Tests that need "now" use NOW; the app's clock (xtq.clock.real_now) starts at NOW when the
# session starts and runs on from there.
TODAY = date.fromisoformat(os.environ.get("XTQ_TEST_DATE") or "2026-11-29")
NOW = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)

# The suite runs on SQLite by default; XTQ_TEST_DATABASE_URL=postgresql://... runs it on PostgreSQL.
POSTGRES_URL = os.environ.get("XTQ_TEST_DATABASE_URL")
ON_POSTGRES = bool(POSTGRES_URL)
sqlite_only = pytest.mark.skipif(ON_POSTGRES, reason="SQLite-specific (the PostgreSQL run covers the rest)")


def app_settings(database_url: str, **extra) -> dict:
    """The settings every test app starts from; `extra` overrides them."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PAGE_CACHE_SECONDS": 0,  # tests read pages right after changing data behind the app's back
        "PUBLIC_CACHE_SECONDS": 0,
        "FRAGMENT_CACHE_SECONDS": 0,  # likewise; tests of the fragments turn them on
        "FIGURES_CACHE_SECONDS": 0,  # tests change data between requests; test_figures checks the cache
        "SQLALCHEMY_DATABASE_URI": database_url,
        "JOBS_IMMEDIATE": True,  # jobs run at once, in the test's process, unless a test starts a worker
        **extra,
    }


def sh(*, year: int = 2026, month: int = 11, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An instant given as Shanghai wall-clock time, in UTC as stored (Monday 16 November 2026 is day=16)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


def fingerprint() -> tuple:
    """Every row of every table: any change anywhere shows."""
    db.session.expire_all()
    return tuple(
        tuple(sorted(map(repr, db.session.execute(sa.select(table)).all()))) for table in db.metadata.sorted_tables
    )


def send(client, method, url, data=None, **kwargs):
    """A request as the client's own session says: the test's app context would otherwise keep
    the last request's user in `g` (Flask-Login caches it there)."""
    g.pop("_login_user", None)
    return client.open(url, method=method, data=data, **kwargs)


def validated(openapi, response):
    """The response, after checking it against the API's OpenAPI document (the `openapi` fixture)."""
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

    openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
    return response


class QueryCounter:
    """Counts the SQL statements sent to the database while active."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
