"""Account commands for deployers."""

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
