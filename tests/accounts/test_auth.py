"""Register, log in, log out; CSRF; staff and admin never come from registration."""

import pytest
from sqlalchemy import func

from tests.helpers import PASSWORD
from xtq.extensions import db
from xtq.models import Role, User


def register(client, username="wangyou", password="longenough1", **extra):
    data = {"username": username, "display_name": "网友小王", "password": password, "confirm": password, **extra}
    return client.post("/register", data=data)


def test_register_logs_in_a_citizen(client):
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "wangyou"))
    assert user.role == Role.CITIZEN and user.check_password("longenough1")
    assert "网友小王" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("extra", [{"role": "admin"}, {"role": "staff", "department_id": "1", "title": "spokesperson"}])
def test_registration_cannot_make_staff_or_admin(client, extra):
    register(client, **extra)
    user = db.session.scalar(db.select(User).where(User.username == "wangyou"))
    assert user.role == Role.CITIZEN
    assert user.department_id is None and user.title is None


@pytest.mark.parametrize(
    ("username", "password", "confirm", "message"),
    [
        ("ab", "longenough1", "longenough1", "用户名须为 3–30 位"),
        ("bad name!", "longenough1", "longenough1", "字母、数字或下划线"),
        ("wangyou", "short", "short", "密码至少 8 位"),
        ("wangyou", "longenough1", "different1", "两次输入的密码不一致"),
    ],
)
def test_register_rejects_bad_input_with_chinese_message(client, username, password, confirm, message):
    response = client.post(
        "/register", data={"username": username, "display_name": "小王", "password": password, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(func.count()).select_from(User)) == 0


def test_register_taken_username_case_insensitively(client, citizen):
    response = register(client, username="CITIZEN")
    assert "该用户名不可用" in response.get_data(as_text=True)


def test_login_and_logout(client, auth, citizen):
    response = auth.login(citizen)
    assert response.status_code == 302
    assert citizen.display_name in client.get("/").get_data(as_text=True)
    auth.logout()
    assert citizen.display_name not in client.get("/").get_data(as_text=True)


def test_login_error_does_not_reveal_whether_account_exists(client, auth, citizen):
    wrong_password = auth.login(citizen, "wrong-password").get_data(as_text=True)
    no_account = auth.login("nobody", "wrong-password").get_data(as_text=True)
    assert "用户名或密码错误" in wrong_password and "用户名或密码错误" in no_account


def test_remember_me_sets_a_lasting_cookie(client, citizen):
    response = client.post("/login", data={"username": "citizen", "password": PASSWORD, "remember": "y"})
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in h for h in response.headers.getlist("Set-Cookie")
    )


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(client, citizen, target):
    response = client.post(f"/login?next={target}", data={"username": "citizen", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_follows_safe_next(client, citizen):
    response = client.post("/login?next=/hall/gongan", data={"username": "citizen", "password": PASSWORD})
    assert response.headers["Location"] == "/hall/gongan"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize("url", ["/login", "/register", "/logout"])
def test_post_without_csrf_token_is_refused(client, url, app_config):
    response = client.post(url, data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "页面已过期" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, auth, citizen):
    citizen.active = False
    db.session.commit()
    assert "用户名或密码错误" in auth.login(citizen).get_data(as_text=True)
