"""Public pages in a real browser: offline, readable on a phone, accessible."""

import pytest

from tests.browser.conftest import axe_violations, screenshot, scrolls_sideways

pytestmark = pytest.mark.browser

PAGES = {"home": "/", "directory": "/directory", "hall": "/hall/gongjiao", "login": "/login", "register": "/register"}


@pytest.mark.parametrize("name", PAGES)
def test_page_on_a_phone_is_offline_clean_and_accessible(live_server, page_factory, name):
    page, watch = page_factory(width=375, height=812)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == 200
    assert not scrolls_sideways(page), f"{name} scrolls sideways at 375 px"
    assert watch.external_requests == []
    assert watch.console_errors == []
    assert axe_violations(page) == []
    screenshot(page, f"{name}-375")


def test_home_on_a_desktop(live_server, page_factory):
    page, watch = page_factory(width=1280)
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text().startswith("郑州市")
    assert watch.external_requests == [] and watch.console_errors == []
    screenshot(page, "home-1280")
