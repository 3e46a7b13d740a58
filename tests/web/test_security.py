"""Security settings: headers, cookies, proxies, rate limits."""

import pytest

from tests.helpers import PASSWORD


def test_every_page_sends_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/register").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_session_cookie_is_httponly_lax_and_not_secure_over_http(client, citizen):
    response = client.post("/login", data={"username": "citizen", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_under_https(client, citizen):
    response = client.post(
        "/login", data={"username": "citizen", "password": PASSWORD, "remember": "y"}, base_url="https://localhost"
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert all("Secure" in c for c in cookies if c.startswith(("session=", "remember_token=")))
    assert any(c.startswith("remember_token=") for c in cookies)


@pytest.mark.parametrize("app_config", [{"TRUSTED_PROXIES": 1}])
def test_behind_a_trusted_proxy_https_is_believed(client, citizen, app_config):
    response = client.post(
        "/login", data={"username": "citizen", "password": PASSWORD}, headers={"X-Forwarded-Proto": "https"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(client, citizen):
    response = client.post(
        "/login", data={"username": "citizen", "password": PASSWORD}, headers={"X-Forwarded-Proto": "https"}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" not in cookie


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "LOGIN_LIMIT": "3 per minute"}])
def test_login_is_rate_limited_with_a_chinese_429(client, app_config):
    for _ in range(3):
        assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 200
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 429
    assert "操作太频繁" in response.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # reading the form is not limited


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "REGISTER_LIMIT": "1 per minute"}])
def test_registration_is_rate_limited(client, app_config):
    client.post("/register", data={"username": "a"})
    assert client.post("/register", data={"username": "b"}).status_code == 429


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    from xtq import create_app

    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_request_log_line_has_status_and_duration(app, client, caplog):
    with caplog.at_level("INFO", logger="xtq.request"):
        client.get("/hall/nosuch")
    assert any(
        r.getMessage().startswith("GET /hall/nosuch 404 ") and r.getMessage().endswith("ms") for r in caplog.records
    )


def test_instance_config_py_is_read(tmp_path, monkeypatch):
    from xtq import create_app

    (tmp_path / "config.py").write_text('TRUSTED_PROXIES = 1\nSITE_NAME = "某区微博发布厅"\n', encoding="utf-8")
    monkeypatch.setenv("XTQ_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app()
    assert app.config["TRUSTED_PROXIES"] == 1 and app.config["SITE_NAME"] == "某区微博发布厅"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite"


@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_ENABLED": True, "ASK_LIMIT": "2 per minute", "COMMENT_LIMIT": "2 per minute"}]
)
def test_asking_and_commenting_are_rate_limited(client, auth, citizen, app_config):
    auth.login(citizen)
    for url in ("/ask", "/p/1/comments"):
        codes = [client.post(url, data={}).status_code for _ in range(3)]
        assert codes[:2] != [429, 429] and codes[2] == 429, (url, codes)
