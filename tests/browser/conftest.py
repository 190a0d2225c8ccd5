"""Debian's Chromium driven by Playwright. Every test here is marked `browser` and runs on SQLite.

Without Chromium the tests are skipped on a developer's machine and fail in CI.
"""
import pytest

from tests.browser.axe_walk import AXE, bimtek_event
from tests.browser.chromium import PHONE, chromium_or_skip, launch_chromium


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


# Package-scoped, not session-scoped: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and asyncio.run() elsewhere in the suite (pyHanko's signing) would refuse.
@pytest.fixture(scope="package")
def playwright_instance():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance):
    browser = launch_chromium(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390×844, touch) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_context(browser, live_server):
    """Opens browser contexts with axe-core loaded in every page; closes them after the test."""
    def open_context(**options):
        context = browser.new_context(base_url=live_server, locale="id-ID", **options)
        context.add_init_script(path=str(AXE))  # by the DevTools protocol: the page's CSP does not apply
        context.set_default_timeout(10_000)
        return context

    contexts = []
    yield lambda **options: contexts.append(open_context(**options)) or contexts[-1]
    for context in contexts:
        context.close()


@pytest.fixture
def bimtek(make):
    """The event every page of the accessibility walk is shown for (tests/browser/axe_walk.py)."""
    return bimtek_event(make)
