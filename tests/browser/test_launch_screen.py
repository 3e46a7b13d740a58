"""The big screen and the ceremony in a real browser: live updates, offline, screenshots to look at."""

import re

import pytest

from tests.browser.helpers import axe_violations, login, screenshot, scrolls_sideways
from tests.helpers import PASSWORD
from xtq import clock
from xtq.domain import launch, questions, settings
from xtq.extensions import db
from xtq.models import Department, Role, StaffTitle, User
from xtq.web import site_state

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/directory",
    "/hall/gongan",
    "/timeline",
    "/track",
    "/search?q=公交",
    "/login",
    "/register",
    "/screen",
    "/screen?theme=light",
    "/launch",
]


def _people(live_server):
    with live_server.app.app_context():
        if db.session.scalar(db.select(User).where(User.username == "screen_citizen")) is None:
            live_server.make_user("screen_citizen")
            live_server.make_user("screen_fyr", Role.STAFF, "gongjiao", StaffTitle.SPOKESPERSON)
            live_server.make_user("screen_admin", Role.ADMIN)


def _ask_and_reply(live_server, title: str, reply: str) -> None:
    with live_server.app.app_context():
        _people(live_server)
        user = lambda name: db.session.scalar(db.select(User).where(User.username == name))  # noqa: E731
        dept = db.session.scalar(db.select(Department).where(Department.slug == "gongjiao"))
        now, cal = clock.now(), clock.work_calendar()
        q = questions.ask(
            user("screen_citizen"), dept, title=title, body="请问" + title, category="交通出行", now=now, cal=cal
        )
        questions.accept(q, user("screen_fyr"), now=now, cal=cal)
        questions.reply(q, user("screen_fyr"), reply, now=now, cal=cal)
        db.session.commit()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_loads_offline_without_console_errors(live_server, page_factory, path):
    page, watch = page_factory(width=375, height=812)
    response = page.goto(live_server.url + path)
    assert response.status == 200
    page.wait_for_timeout(300)  # let our scripts run once
    assert watch.external_requests == [], watch.external_requests
    assert watch.console_errors == [], watch.console_errors


def test_the_screen_shows_a_new_reply_without_reloading(live_server, page_factory):
    _ask_and_reply(live_server, "夜班公交什么时候开", "下月起试开通。")
    page, watch = page_factory(width=1920, height=1080)
    page.goto(live_server.url + "/screen")
    page.evaluate("() => { window.__sameDocument = true; }")
    _ask_and_reply(live_server, "公交车上能放婴儿车吗", "新车已设婴儿车专区，今年投入200辆。")
    page.wait_for_function(
        "() => document.querySelector('[data-list=replies]').textContent.includes('婴儿车专区')", timeout=10_000
    )
    assert page.evaluate("() => window.__sameDocument") is True  # no reload happened
    datetimes = page.evaluate("() => [...document.querySelectorAll('[data-list] time')].map(t => t.dateTime)")
    assert datetimes and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", d) for d in datetimes)
    page.wait_for_timeout(2600)  # the newcomer's highlight has settled: a calm picture for people to look at
    assert watch.external_requests == [] and watch.console_errors == []
    screenshot(page, "screen-1920x1080")
    page.goto(live_server.url + "/screen?theme=light")
    page.wait_for_timeout(500)
    screenshot(page, "screen-light-1920x1080")


def test_the_ceremony_on_three_phones_and_the_projector(live_server, page_factory):
    _people(live_server)
    projector, projector_watch = page_factory(width=1920, height=1080)
    with live_server.app.app_context():
        admin = db.session.scalar(db.select(User).where(User.username == "screen_admin"))
        ceremony = launch.open_new(admin, launch.DEFAULT_SEATS, rehearsal=True, now=clock.now(), state=settings.read())
        db.session.commit()
        codes = [s.code for s in ceremony.seats]
    projector.goto(live_server.url + "/screen")
    projector.wait_for_selector("[data-stage]:not(.is-hidden)")
    screenshot(projector, "screen-ceremony-1920x1080")

    admin_page, _ = page_factory(width=375, height=812)
    login(admin_page, live_server.url, "screen_admin", PASSWORD)
    admin_page.goto(live_server.url + "/launch")
    assert not scrolls_sideways(admin_page)
    assert axe_violations(admin_page) == []
    screenshot(admin_page, "launch-admin-375")

    for i, code in enumerate(codes):
        phone, watch = page_factory(width=375, height=812)
        phone.goto(f"{live_server.url}/launch/seat/{code}")
        assert not scrolls_sideways(phone)
        if i == 0:
            assert axe_violations(phone) == []
            screenshot(phone, "launch-seat-375")
        with phone.expect_navigation():
            phone.get_by_role("button", name="启动").click()
        phone.locator(".start-button.is-pressed").wait_for()
        assert watch.external_requests == [] and watch.console_errors == []
        if i == 1:
            screenshot(phone, "launch-seat-pressed-375")
    projector.wait_for_selector("[data-burst].is-playing", timeout=10_000)
    projector.wait_for_timeout(3500)
    screenshot(projector, "screen-launch-animation-1920x1080")
    assert projector_watch.external_requests == [] and projector_watch.console_errors == []


def test_the_cover_on_a_phone(live_server, page_factory):
    with live_server.app.app_context():
        _people(live_server)
        admin = db.session.scalar(db.select(User).where(User.username == "screen_admin"))
        from datetime import timedelta

        launch.schedule(admin, clock.now() + timedelta(days=2, hours=3), now=clock.now(), state=settings.read())
        db.session.commit()
    try:
        page, watch = page_factory(width=375, height=812)
        page.goto(live_server.url + "/")
        first = page.locator("[data-part=seconds]").inner_text()
        page.wait_for_timeout(1300)
        assert page.locator("[data-part=seconds]").inner_text() != first  # our script counts down
        assert not scrolls_sideways(page) and axe_violations(page) == []
        assert watch.external_requests == [] and watch.console_errors == []
        screenshot(page, "cover-375")
    finally:
        with live_server.app.app_context():
            settings.put(settings.LAUNCH_AT, None)
            db.session.commit()
            site_state.changed()


def test_the_hall_home_at_375(live_server, page_factory):
    page, watch = page_factory(width=375, height=812)
    page.goto(live_server.url + "/")
    assert watch.external_requests == [] and watch.console_errors == []
    screenshot(page, "hall-home-375")
