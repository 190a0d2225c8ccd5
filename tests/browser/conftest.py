"""Debian's Chromium driven by Playwright. Every test here is marked `browser` and runs on SQLite.

Without Chromium the tests are skipped on a developer's machine and fail in CI.
"""
import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
BASE_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


def _chromium_or_skip():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is not at {CHROMIUM}: the browser suite is mandatory in CI.")
        pytest.skip(f"Chromium not found at {CHROMIUM}")


# Package-scoped, not session-scoped: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and asyncio.run() elsewhere in the suite (pyHanko's signing) would refuse.
@pytest.fixture(scope="package")
def playwright_instance():
    _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


def launch_chromium(playwright, extra_args=()):
    """A headless Chromium with the flags this machine needs, plus any given (a fake camera, say)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=BASE_ARGS + list(extra_args)
    )


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
