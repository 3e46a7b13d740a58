"""Consistent copies of a live SQLite database, and checked restores.

SQLite's online backup API copies a consistent snapshot while the site keeps serving (WAL lets
readers and the one writer go on). A restore first checks the copy, then writes it into the live
database through the same API, so that open connections never see a half-written file.
"""

import sqlite3
from datetime import datetime
from pathlib import Path

REQUIRED_TABLES = {"alembic_version", "department", "user", "post", "question", "question_event"}


class BackupError(RuntimeError):
    """A copy could not be made or is not fit to restore; the message says why, in Chinese."""


def sqlite_path(database_uri: str) -> Path:
    if not database_uri.startswith("sqlite:///"):
        raise BackupError("flask backup 只用于 SQLite；PostgreSQL 请使用 pg_dump（见 docs/deploy.md）。")
    return Path(database_uri.removeprefix("sqlite:///"))


def backup(source: Path, directory: Path, *, now: datetime, keep: int) -> Path:
    """Write a consistent copy of `source` into `directory`, keep the newest `keep` copies.

    The copy is made in one step: a step-wise backup restarts whenever another connection
    writes, so under steady load it might never finish. In WAL mode one step holds only a
    read snapshot, so the site keeps writing meanwhile.
    """
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"xtq-{now:%Y%m%d-%H%M%S}.sqlite"
    n = 1
    while target.exists():  # two copies in the same second keep both
        n += 1
        target = directory / f"xtq-{now:%Y%m%d-%H%M%S}-{n}.sqlite"
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    partial.replace(target)  # never leave a half-written file under a backup's name
    for old in sorted(directory.glob("xtq-*.sqlite"))[:-keep]:
        old.unlink()
    return target


def check(copy: Path) -> str:
    """Raise BackupError unless `copy` is a sound hall database; return its schema revision."""
    if not copy.is_file():
        raise BackupError(f"找不到备份文件：{copy}")
    try:
        con = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = (
                con.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{copy} 不是可用的 SQLite 数据库（{e}）") from None
    if result != "ok":
        raise BackupError(f"{copy} 完整性检查未通过：{result}")
    missing = REQUIRED_TABLES - tables
    if missing or revision is None:
        raise BackupError(f"{copy} 不是心通桥的数据库（缺少表：{', '.join(sorted(missing)) or 'alembic_version'}）")
    return revision[0]


def restore(copy: Path, live: Path) -> str:
    """Check `copy`, then write it into the live database. Returns the copy's schema revision."""
    revision = check(copy)
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dst = sqlite3.connect(live, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return revision
