"""Where a generated city lives: a SQLite file or a PostgreSQL database, named on the command line
as a path or as a postgresql:// URL. The benchmark reads it through SQLAlchemy, as the app does."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa


@dataclass(frozen=True)
class Target:
    url: str  # as DATABASE_URL takes it: sqlite:///<absolute path> or postgresql://...
    path: Path | None = None  # the SQLite file

    @classmethod
    def parse(cls, value: str | Path) -> Target:
        text = str(value)
        if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            return cls("postgresql://" + text.split("://", 1)[1])
        path = Path(text).resolve()
        return cls(f"sqlite:///{path}", path)

    @property
    def postgres(self) -> bool:
        return self.path is None

    @property
    def label(self) -> str:
        """For reports: the file, or the URL (the bench cluster trusts loopback; no password in it)."""
        return str(self.path) if self.path else sa.make_url(self.url).render_as_string(hide_password=True)

    def engine(self) -> sa.Engine:
        if self.path:
            return sa.create_engine(f"sqlite:///file:{self.path}?mode=ro&uri=true")
        return sa.create_engine(self.url.replace("postgresql://", "postgresql+psycopg://", 1))

    def rows(self, sql: str, **params) -> list[sa.Row]:
        """One read-only query's rows (named :params, the same SQL on both databases)."""
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(sql), params))
        finally:
            engine.dispose()

    def size_bytes(self) -> int:
        if self.path:
            return self.path.stat().st_size
        return self.rows("SELECT pg_database_size(current_database())")[0][0]


def argument(value: str) -> Target:
    """argparse type for --db: a SQLite file or a PostgreSQL URL."""
    try:
        return Target.parse(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e
