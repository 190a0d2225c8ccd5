"""Debian's Chromium for Playwright: where it is, the flags this machine needs, a phone's screen."""
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


def chromium_or_skip():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is not at {CHROMIUM}: the browser suite is mandatory in CI.")
        pytest.skip(f"Chromium not found at {CHROMIUM}")


def launch_chromium(playwright, extra_args=()):
    """A headless Chromium with the flags this machine needs, plus any given (a fake camera, say)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=BASE_ARGS + list(extra_args)
    )
