"""Fast bulk loading: batched executemany on SQLite (pragmas off), COPY on PostgreSQL; the secondary
indexes dropped for the load and rebuilt after it; progress on one line.

The row builders (city.py, posts.py, questions.py) write through one interface, sqlite3's
(`execute` with ``?`` placeholders, `executemany` of an INSERT); PostgresLoader speaks it too."""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

import sqlalchemy as sa

from bench.target import Target

BATCH = 20_000


def stamp(moment: datetime) -> str:
    """The text SQLAlchemy's SQLite DateTime stores for a naive UTC moment."""
    return moment.isoformat(sep=" ", timespec="microseconds")


class Progress:
    """One line on stderr, rewritten in place: phase, rows so far, rows/s and ETA."""

    def __init__(self, total: int, stream: TextIO | None = sys.stderr) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.started = self.last = time.monotonic()

    def add(self, rows: int, phase: str) -> None:
        self.done += rows
        now = time.monotonic()
        if self.stream is None or (now - self.last < 0.25 and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-6)
        eta = max(self.total - self.done, 0) / rate
        self.stream.write(f"\r{phase:<15} {self.done:>10,}/{self.total:,} rows {rate:>9,.0f} rows/s  ETA {eta:4.0f}s ")
        self.stream.flush()

    def note(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(f"\r{text:<75}")
            self.stream.flush()

    def finish(self) -> float:
        if self.stream is not None:
            self.stream.write("\n")
        return time.monotonic() - self.started


def fresh(target: Target) -> None:
    """An empty database at ``target``: the SQLite file removed, or the PostgreSQL database made anew."""
    if target.path:
        for stale in (target.path, *(target.path.with_name(target.path.name + s) for s in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)
        return
    import psycopg

    url = sa.make_url(target.url)
    with psycopg.connect(url.set(database="postgres").render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')


def connect(target: Target) -> SqliteLoader | PostgresLoader:
    """A connection for loading only, in autocommit mode (the loader says BEGIN and COMMIT)."""
    if target.path is None:
        return PostgresLoader(target.url)
    conn = sqlite3.connect(target.path, isolation_level=None, factory=SqliteLoader)
    for pragma in (  # no journal, no fsync, a big page cache
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
        "foreign_keys=OFF",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class SqliteLoader(sqlite3.Connection):
    def drop_indexes(self, tables: tuple[str, ...]) -> list[str]:
        """Drop the secondary indexes of `tables`; return their DDL so that they can be rebuilt."""
        marks = ",".join("?" * len(tables))
        rows = self.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
            tables,
        ).fetchall()
        for name, _ in rows:
            self.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in rows]

    def settle(self, tables: tuple[str, ...]) -> None:
        """Planner statistics after the load."""
        self.execute("ANALYZE")


INSERT = re.compile(r"INSERT INTO (\S+) (\([^)]*\)) VALUES")


class PostgresLoader:
    """psycopg 3 behind sqlite3's interface: ``?`` placeholders, and executemany as COPY."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)
        self.conn.execute("SET TimeZone = 'UTC'")  # the rows' times are naive UTC text
        self.conn.execute("SET session_replication_role = replica")  # no foreign-key triggers, as on SQLite
        self.conn.execute("SET maintenance_work_mem = '1GB'")  # index builds

    def execute(self, sql: str, params: tuple = ()):
        if params:
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self.conn.execute(sql, params or None)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        table, columns = INSERT.match(sql).groups()
        with self.conn.cursor().copy(f"COPY {table} {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def drop_indexes(self, tables: tuple[str, ...]) -> list[str]:
        """Drop the indexes of `tables` that back no constraint; return their DDL."""
        rows = self.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() "
            "AND tablename = ANY(?) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(tables),),
        ).fetchall()
        for name, _ in rows:
            self.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in rows]

    def settle(self, tables: tuple[str, ...]) -> None:
        """Sequences past the loaded ids (they were given explicitly), and planner statistics."""
        sequences = self.execute(
            "SELECT table_name, pg_get_serial_sequence(quote_ident(table_name), 'id') FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'id' AND table_name = ANY(?)",
            (list(tables),),
        ).fetchall()
        for table, sequence in sequences:
            if sequence:
                self.execute(f'SELECT setval(?, (SELECT max(id) FROM "{table}"))', (sequence,))
        self.execute("ANALYZE")

    def close(self) -> None:
        self.conn.close()


class Batcher:
    """Rows for several INSERT statements, written with executemany every BATCH rows."""

    def __init__(self, conn: Loader, progress: Progress, phase: str) -> None:
        self.conn, self.progress, self.phase = conn, progress, phase
        self.pending: dict[str, list[tuple]] = {}
        self.total = 0

    def add(self, sql: str, row: tuple) -> None:
        rows = self.pending.setdefault(sql, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self._flush(sql, rows)

    def flush(self) -> int:
        for sql, rows in self.pending.items():
            self._flush(sql, rows)
        return self.total

    def _flush(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            self.conn.executemany(sql, rows)
            self.progress.add(len(rows), self.phase)
            self.total += len(rows)
            rows.clear()


def insert(conn: Loader, sql: str, rows: Iterator[tuple], progress: Progress, phase: str) -> int:
    """executemany in batches, all in one transaction; returns the number of rows."""
    batcher = Batcher(conn, progress, phase)
    conn.execute("BEGIN")
    for row in rows:
        batcher.add(sql, row)
    total = batcher.flush()
    conn.execute("COMMIT")
    return total


Loader = SqliteLoader | PostgresLoader
