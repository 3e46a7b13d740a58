"""Fast bulk loading into SQLite: pragmas, index drop and rebuild, batched executemany, progress."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

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


def connect(path) -> sqlite3.Connection:
    """A connection for loading only: no journal, no fsync, a big page cache."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-1000000",
        "temp_store=MEMORY",
        "foreign_keys=OFF",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def drop_indexes(conn: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the secondary indexes of `tables`; return their DDL so that they can be rebuilt."""
    marks = ",".join("?" * len(tables))
    rows = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        tables,
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]


class Batcher:
    """Rows for several INSERT statements, written with executemany every BATCH rows."""

    def __init__(self, conn: sqlite3.Connection, progress: Progress, phase: str) -> None:
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


def insert(conn: sqlite3.Connection, sql: str, rows: Iterator[tuple], progress: Progress, phase: str) -> int:
    """executemany in batches, all in one transaction; returns the number of rows."""
    batcher = Batcher(conn, progress, phase)
    conn.execute("BEGIN")
    for row in rows:
        batcher.add(sql, row)
    total = batcher.flush()
    conn.execute("COMMIT")
    return total
