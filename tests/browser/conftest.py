"""Browser fixtures: the real app served on loopback, driven by Debian's headless Chromium.

Without Chromium these tests are skipped with a loud reason; under CI=true they fail instead.
"""

from pathlib import Path

import pytest

from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, missing, open_page, serve


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing("Chromium not found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_server(databases, tmp_path_factory):
    """The app on a free loopback port with its own database, CSRF on."""
    with serve(databases, tmp_path_factory) as server:
        yield server


@pytest.fixture
def page_factory(browser):
    contexts = []

    def make(width=1280, height=900):
        context, page, watch = open_page(browser, width, height)
        contexts.append(context)
        return page, watch

    yield make
    for context in contexts:
        context.close()
