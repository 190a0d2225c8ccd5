"""Helpers for the check-in station tests: an event running today and an operator at its desk."""
import time
from datetime import timedelta

from app.extensions import db
from app.tenants.operators import assign_operator
from app.timezones import today_in
from tests.factories import PASSWORD

OPERATOR = "meja@example.go.id"


def event_running_today(make, people=3):
    """An event whose first day is today in Jakarta, an operator for it, and `people` registrations."""
    from zoneinfo import ZoneInfo

    class Jakarta:
        tz = ZoneInfo("Asia/Jakarta")

    today = today_in(Jakarta)
    event = make.event(dates=(today, today + timedelta(days=1)), quota=people + 1)
    assign_operator(make.user(OPERATOR, role="operator"), event)
    db.session.commit()
    registrations = [make.registration(event) for _ in range(people)]
    return event, registrations


def open_station(page, event, device="meja-1"):
    """Log in as the operator, open the station and name the device, as a person would."""
    page.goto(f"/masuk/?next=/e/{event.slug}/checkin")
    page.get_by_label("E-mail").fill(OPERATOR)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/e/{event.slug}/checkin")
    page.wait_for_selector("body[data-station-ready]")
    page.get_by_label("Nama meja/perangkat").fill(device)
    page.get_by_label("Nama meja/perangkat").press("Enter")


# The keys of one scan dispatched in one task: their times are microseconds apart whatever the load.
_SCAN_AT_ONCE = """(text) => {
  const target = document.activeElement || document.body;
  for (const key of [...text, "Enter"]) {
    target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
  }
}"""


def scan_at_once(page, text):
    """A handheld scan (a USB/Bluetooth scanner is a keyboard: it types the code and presses Enter) whose
    keys arrive together: keys typed through Playwright go one by one, and on a loaded machine they may
    arrive further apart than a scanner's (scanner.js's 80 ms), which the station rightly takes for typing.
    For tests about what a scan does, not how the keys are told apart (test_scanner_input_browser.py)."""
    page.evaluate(_SCAN_AT_ONCE, text)


def cached_for_offline(page):
    """The page and its assets are in the service worker's cache and the worker is active: the desk can
    start without a network (station.js marks the body data-offline-ready). Not a wait_for_function on
    caches.match(): Playwright takes the Promise it returns for a truthy answer at once."""
    page.wait_for_selector("body[data-offline-ready]", state="attached")


def type_as_a_scanner(page, text, gap_ms=5):
    """`text` and Enter typed into the focused element as a handheld scanner types them: real key events
    (Chromium's Input.dispatchKeyEvent over CDP: trusted, their characters land in the field) stamped
    `gap_ms` apart. Chromium gives each event the stamp it is sent with as its timeStamp, which is what
    scanner.js reads; keys typed by Playwright are stamped when a loaded machine gets round to them, and may
    arrive further apart than scanner.js's 80 ms. For the tests of how a scan is told from typing."""
    session = page.context.new_cdp_session(page)
    start = time.time()
    for n, character in enumerate(text):
        stamp = start + n * gap_ms / 1000
        session.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": character, "text": character,
                                                "timestamp": stamp})
        session.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": character, "timestamp": stamp})
    stamp = start + len(text) * gap_ms / 1000
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "timestamp": stamp}
    session.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": "\r", **enter})
    session.send("Input.dispatchKeyEvent", {"type": "keyUp", **enter})
    session.detach()
