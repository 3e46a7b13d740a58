"""Account commands for deployers."""

import sqlalchemy as sa

from xtq.extensions import db
from xtq.models import Role, StaffTitle, User


def user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def test_create_admin(runner):
    result = runner.invoke(args=["create-admin", "--username", "office"], input="secret-pass\nsecret-pass\n")
    assert result.exit_code == 0, result.output
    assert user("office").role == Role.ADMIN and user("office").check_password("secret-pass")


def test_create_staff(runner):
    result = runner.invoke(
        args=["create-staff", "--department", "gongjiao", "--title", "liaison", "--username", "bus1", "--name", "张三"],
        input="secret-pass\nsecret-pass\n",
    )
    assert result.exit_code == 0, result.output
    staff = user("bus1")
    assert staff.role == Role.STAFF and staff.title == StaffTitle.LIAISON and staff.department.slug == "gongjiao"


def test_create_staff_unknown_department_fails_cleanly(runner):
    result = runner.invoke(
        args=["create-staff", "--department", "nosuch", "--title", "liaison", "--username", "x1", "--name", "张三"],
        input="secret-pass\nsecret-pass\n",
    )
    assert result.exit_code != 0
    assert "没有这个部门：nosuch" in result.output
    assert user("x1") is None


def test_init_db_is_repeatable(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "数据库已就绪" in result.output


def test_analyze_gives_the_planner_statistics(runner, make_post, spokesperson):
    """Without statistics SQLite reads a million posts for the notices box (docs/performance.md)."""
    for n in range(3):
        make_post(spokesperson, f"第 {n} 条")
    result = runner.invoke(args=["analyze"])
    assert result.exit_code == 0 and "查询统计信息已更新" in result.output
    if db.engine.dialect.name == "sqlite":
        stats = db.session.scalar(sa.text("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'ix_post_public'"))
    else:
        stats = db.session.scalar(
            sa.text("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'post' AND last_analyze IS NOT NULL")
        )
    assert stats == 1
