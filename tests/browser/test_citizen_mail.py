"""A citizen's e-mail in Chromium, against a real SMTP server on loopback: register → add an address →
verify it → forget the password → reset it → log in; and similar questions shown while a title is typed."""

import re
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from tests.browser.helpers import login, screenshot, scrolls_sideways, serve
from tests.mail_server import Sink, free_port
from xtq import clock
from xtq.domain import questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import User

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mail_hall(databases, tmp_path_factory):
    """The live hall sending its mail to an SMTP server on loopback that keeps what it gets."""
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with serve(databases, tmp_path_factory, MAIL_SERVER="127.0.0.1", MAIL_PORT=port) as server:
        server.app.config["SITE_URL"] = server.url
        server.sink = sink
        yield server
    controller.stop()


def next_mail(sink, count: int, timeout: float = 10) -> str:
    """The body of mail number `count` (1-based), waiting for it to arrive."""
    deadline = time.monotonic() + timeout
    while len(sink.messages) < count:
        assert time.monotonic() < deadline, f"mail {count} never arrived"
        time.sleep(0.05)
    return sink.body(count - 1)


def navigates(page, action):
    with page.expect_navigation():
        action()


def test_register_add_verify_forget_reset_and_log_in(mail_hall, page_factory):
    base, sink = mail_hall.url, mail_hall.sink
    page, watch = page_factory(width=375, height=812)
    page.goto(f"{base}/register")
    page.fill("input[name=username]", "xiaoli")
    page.fill("input[name=display_name]", "小李")
    page.fill("input[name=password]", "first-password")
    page.fill("input[name=confirm]", "first-password")
    navigates(page, lambda: page.click("main button[type=submit]"))

    # the header's person icon (a phone hides the name)
    navigates(page, lambda: page.get_by_role("link", name="账户设置").click())
    page.fill("input[name=email]", "xiaoli@example.com")
    navigates(page, lambda: page.get_by_role("button", name="添加邮箱").click())
    assert "确认邮件已发送" in page.inner_text(".flashes") and "等待确认" in page.inner_text("main")
    assert not scrolls_sideways(page)
    screenshot(page, "citizen-account-375")
    verify = re.search(r"(http://\S+/account/email/verify/\S+)", next_mail(sink, 1)).group(1)
    page.goto(verify)
    assert "邮箱已确认" in page.inner_text("main h1")

    navigates(page, lambda: page.get_by_role("button", name="退出").click())
    page.goto(f"{base}/login")
    navigates(page, lambda: page.get_by_role("link", name="忘记密码？").click())
    page.fill("input[name=email]", "nobody@example.com")
    navigates(page, lambda: page.click("main button[type=submit]"))
    unknown = page.inner_text(".flashes")
    page.fill("input[name=email]", "xiaoli@example.com")
    navigates(page, lambda: page.click("main button[type=submit]"))
    assert page.inner_text(".flashes") == unknown  # the same answer: no account enumeration
    reset = re.search(r"(http://\S+/password/reset/\S+)", next_mail(sink, 2)).group(1)
    assert len(sink.messages) == 2  # nothing went to the unknown address
    page.goto(reset)
    page.fill("input[name=password]", "second-password")
    page.fill("input[name=confirm]", "second-password")
    navigates(page, lambda: page.click("main button[type=submit]"))
    assert "密码已重设" in page.inner_text("main h1") and "xiaoli" in page.inner_text("main")
    navigates(page, lambda: page.get_by_role("link", name="登录").last.click())
    page.fill("input[name=username]", "xiaoli")
    page.fill("input[name=password]", "second-password")
    navigates(page, lambda: page.click("main button[type=submit]"))
    assert "欢迎回来" in page.inner_text(".flashes")
    assert watch.console_errors == [] and watch.external_requests == []
    page.goto(reset)  # answers 400, which the console reports
    assert "已使用" in page.inner_text("main")  # the link worked once


def test_similar_questions_appear_while_the_title_is_typed(mail_hall, page_factory):
    asker_id = mail_hall.make_user("asker_w")
    with mail_hall.app.app_context():
        questions.ask(
            db.session.get(User, asker_id),
            by_slug("chengguan"),
            title="文化路路灯晚上不亮",
            body="很黑。",
            category="城市管理",
            now=clock.now() - timedelta(hours=2),
            cal=clock.work_calendar(),
        )
        db.session.commit()
    mail_hall.make_user("typist")
    page, watch = page_factory(width=1920, height=1080)
    login(page, mail_hall.url, "typist")
    page.goto(f"{mail_hall.url}/ask")
    page.focus("#title")
    page.keyboard.type("文化路路灯不亮")
    page.wait_for_selector("#similar .similar-list a", timeout=5000)
    assert "文化路路灯晚上不亮" in page.inner_text("#similar")
    screenshot(page, "citizen-ask-similar-1920")
    assert watch.console_errors == []
