"""flask backup / flask restore on a real SQLite file."""

import sqlite3

import pytest
from sqlalchemy import func

from tests.helpers import ON_POSTGRES, sqlite_only
from xtq.extensions import db
from xtq.models import User


def count_users():
    return db.session.scalar(db.select(func.count()).select_from(User))


@sqlite_only
def test_backup_then_restore_brings_back_the_data(app, runner, tmp_path, make_user):
    make_user(username="before_backup")
    result = runner.invoke(args=["backup", "--dir", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    copy = next((tmp_path / "b").glob("xtq-*.sqlite"))

    make_user(username="after_backup")
    assert count_users() == 2
    db.session.remove()

    result = runner.invoke(args=["restore", str(copy), "--yes"])
    assert result.exit_code == 0, result.output
    assert count_users() == 1


@sqlite_only
def test_backup_keeps_the_last_n_copies(runner, tmp_path):
    for _ in range(4):
        assert runner.invoke(args=["backup", "--dir", str(tmp_path / "b"), "--keep", "2"]).exit_code == 0
    assert len(list((tmp_path / "b").glob("xtq-*.sqlite"))) == 2


@sqlite_only
def test_restore_refuses_a_broken_or_foreign_file(runner, tmp_path, make_user):
    make_user()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("create table t (x)").connection.close()

    for bad, message in (
        (junk, "不是可用的 SQLite 数据库"),
        (other, "不是心通桥的数据库"),
        (tmp_path / "none.sqlite", "找不到备份文件"),
    ):
        result = runner.invoke(args=["restore", str(bad), "--yes"])
        assert result.exit_code != 0 and message in result.output, result.output
    assert count_users() == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL run only")
def test_backup_on_postgres_points_to_pg_dump(runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code != 0 and "pg_dump" in result.output
