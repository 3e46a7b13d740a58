"""Public pages in a real browser: offline, readable on a phone, care mode from the header."""

import pytest

from tests.browser.helpers import axe_violations, screenshot, scrolls_sideways

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "directory": "/directory", "hall": "/hall/gongjiao", "login": "/login", "register": "/register"}


@pytest.mark.parametrize("name", PAGES)
def test_page_on_a_phone_is_offline_and_clean(live_server, page_factory, name):
    """axe-core on these and every other page: test_every_page.py."""
    page, watch = page_factory(width=375, height=812)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    assert not scrolls_sideways(page), f"{name} scrolls sideways at 375 px"
    assert watch.external_requests == []
    assert watch.console_errors == []
    screenshot(page, f"{name}-375")


def test_home_on_a_desktop(live_server, page_factory):
    page, watch = page_factory(width=1280)
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text().startswith("郑州市")
    assert watch.external_requests == [] and watch.console_errors == []
    screenshot(page, "home-1280")


def test_care_mode_from_the_header_is_accessible_and_remembered(live_server, page_factory):
    page, watch = page_factory(width=375, height=812)
    page.goto(live_server.url + "/directory")
    page.get_by_role("link", name="关怀版").click()
    page.wait_for_load_state()
    assert page.url.endswith("/directory")
    assert page.evaluate("() => document.body.classList.contains('care')")
    assert float(page.evaluate("() => getComputedStyle(document.body).fontSize").removesuffix("px")) >= 20
    assert not scrolls_sideways(page)
    assert axe_violations(page) == []
    page.goto(live_server.url + "/")
    assert page.evaluate("() => document.body.classList.contains('care')")
    screenshot(page, "home-care-375")
    assert watch.console_errors == []
