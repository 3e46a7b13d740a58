"""Accessibility in a real browser, from the keyboard: asking works with Tab, arrows, Space and
Enter alone, and the first Tab stops lead around the page. (axe-core on every page, standard and
care mode: tests/browser/test_every_page.py.)"""

import pytest

from tests.browser.helpers import login
from xtq.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hall(live_server):
    live_server.make_user("a_citizen", Role.CITIZEN, display_name="无障碍测试")
    return live_server


def test_asking_works_with_the_keyboard_alone(hall, page_factory):
    page, watch = page_factory(width=1280)
    login(page, hall.url, "a_citizen")
    page.goto(hall.url + "/ask")

    def tab_to(name, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.name") == name:
                outline = page.evaluate(
                    "() => { const s = getComputedStyle(document.activeElement);"
                    " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
                )
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
    tab_to("private")  # 仅部门可见: left unticked
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
