"""Accessibility in a real browser: axe-core finds no serious or critical violation on the main
pages, standard and care mode (关怀版); nothing scrolls sideways at 375 px, even with long
unbroken text; asking works from the keyboard alone."""

from datetime import timedelta

import pytest

from tests.browser.conftest import Role, StaffTitle, axe_violations, login, screenshot, scrolls_sideways
from xtq import clock
from xtq.domain import questions
from xtq.domain.departments import by_slug
from xtq.extensions import db
from xtq.models import User

pytestmark = pytest.mark.browser

LONG_WORD = "郑州市金水区花园路与农业路交叉口东北角公交站台" * 3 + "W" * 300
LONG_URL = "https://example.gov.cn/" + "a" * 400


@pytest.fixture(scope="module")
def hall(live_server):
    """Accounts, and a question whose text has very long lines without spaces, replied to."""
    live_server.make_user("a_citizen", Role.CITIZEN, display_name="无障碍测试")
    live_server.make_user("a_lly", Role.STAFF, slug="gongan", title=StaffTitle.LIAISON, display_name="联络员")
    live_server.make_user("a_fyr", Role.STAFF, slug="gongan", title=StaffTitle.SPOKESPERSON, display_name="发言人")
    with live_server.app.app_context():
        users = {u.username: u for u in db.session.scalars(db.select(User))}
        cal, now = clock.work_calendar(), clock.now()
        q = questions.ask(users["a_citizen"], by_slug("gongan"), title="W" * 60, body=f"{LONG_WORD}\n{LONG_URL}",
                          category="城市管理", now=now - timedelta(hours=3), cal=cal)
        questions.accept(q, users["a_lly"], now=now - timedelta(hours=2), cal=cal)
        questions.progress(q, users["a_lly"], LONG_WORD, now=now - timedelta(hours=1), cal=cal)
        questions.reply(q, users["a_fyr"], LONG_URL + " " + LONG_WORD, now=now, cal=cal)
        db.session.commit()
        live_server.question_id = q.id
    return live_server


PUBLIC = {"home": "/", "directory": "/directory", "department": "/hall/gongan", "question": "/q/{q}",
          "timeline": "/timeline", "login": "/login", "stats": "/stats", "hot questions": "/timeline?sort=hot",
          "forgotten password": "/password/forgot"}
SIGNED_IN = {"ask": ("a_citizen", "/ask"), "account": ("a_citizen", "/account"), "console": ("a_fyr", "/console"),
             "inbox": ("a_lly", "/console/questions"), "question (staff)": ("a_fyr", "/q/{q}")}


def _open(page, hall, path):
    response = page.goto(hall.url + path.format(q=hall.question_id))
    if path == "/stats" and response.status == 404:
        pytest.skip("/stats is not on this branch yet")
    assert response.status == 200, path
    return response


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
@pytest.mark.parametrize("name", PUBLIC)
def test_public_page_is_accessible_and_fits_a_phone(hall, page_factory, name, care):
    page, watch = page_factory(width=375, height=812)
    if care:
        page.context.add_cookies([{"name": "care", "value": "1", "url": hall.url}])
    _open(page, hall, PUBLIC[name])
    assert not scrolls_sideways(page), f"{name} scrolls sideways at 375 px"
    assert axe_violations(page) == []
    assert watch.console_errors == [] and watch.external_requests == []
    if name == "question":
        screenshot(page, f"question-long-text-375{'-care' if care else ''}")


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
@pytest.mark.parametrize("name", SIGNED_IN)
def test_signed_in_page_is_accessible_and_fits_a_phone(hall, page_factory, name, care):
    username, path = SIGNED_IN[name]
    page, watch = page_factory(width=375, height=812)
    if care:
        page.context.add_cookies([{"name": "care", "value": "1", "url": hall.url}])
    login(page, hall.url, username)
    _open(page, hall, path)
    assert not scrolls_sideways(page), f"{name} scrolls sideways at 375 px"
    assert axe_violations(page) == []
    assert watch.console_errors == []


def test_asking_works_with_the_keyboard_alone(hall, page_factory):
    page, watch = page_factory(width=1280)
    login(page, hall.url, "a_citizen")
    page.goto(hall.url + "/ask")

    def tab_to(name, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.name") == name:
                outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                                        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
                assert outline[0] != "none" or outline[2] != "none", f"{name} shows no focus ring: {outline}"
                return
        raise AssertionError(f"Tab never reached {name}")

    tab_to("department")
    page.keyboard.press("ArrowDown")  # the first department
    tab_to("title")
    page.keyboard.type("键盘提问：人行道被占用")
    tab_to("body")
    page.keyboard.type("只用键盘也能提问。")
    tab_to("category")
    page.keyboard.press("ArrowDown")
    tab_to("anonymous")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the submit button
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "提交问题"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "提问成功" in page.locator(".flashes").inner_text()
    assert "键盘提问" in page.locator("h1").inner_text()
    assert watch.console_errors == []


def test_skip_link_and_care_switch_are_reachable_by_keyboard(hall, page_factory):
    """The first Tab stops are ways around the page: skip to content, then the care-mode switch."""
    page, _ = page_factory(width=375, height=812)
    page.goto(hall.url + "/")
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    assert "关怀版" in stops, stops
