"""The station's scanner module (app/static/js/checkin/scanner.js) in Chromium: the token it takes
from what was scanned (the cases of tests/data/scan_cases.json, which the server's test reads too),
the one rule that tells a scan from a person typing, and a scan fired into the search box."""
import json
from pathlib import Path

import pytest

from app.extensions import db
from app.models import Attendance
from tests.browser.station import event_running_today, open_station, type_as_a_scanner

CASES = json.loads((Path(__file__).parent.parent / "data" / "scan_cases.json").read_text(encoding="utf-8"))["cases"]
SCANNER = "/static/js/checkin/scanner.js"


@pytest.fixture
def module_page(phone_page):
    phone_page.goto("/")  # any page of the app: the module is imported from the same origin
    return phone_page


def test_the_page_takes_the_same_token_as_the_server(module_page):
    tokens = module_page.evaluate(
        """async ({ url, cases }) => {
          const { tokenFromScan } = await import(url);
          return cases.map((item) => tokenFromScan(item.scanned));
        }""",
        {"url": SCANNER, "cases": CASES},
    )
    assert list(zip([case["name"] for case in CASES], tokens, strict=True)) == [
        (case["name"], case["token"]) for case in CASES
    ]


KEY_RUNS = """async (url) => {
  const { KeyRun, MAX_GAP_MS, MIN_LENGTH } = await import(url);
  // Keys typed into a field, in steps of [text, ms between keys, ms before the first key (default: the same)],
  // then Enter `enterAfter` ms after the last key: the scan it ends, or null.
  const scan = (steps, enterAfter) => {
    const run = new KeyRun();
    let at = 1000;
    let value = "";
    for (const [text, gap, pause = gap] of steps) {
      [...text].forEach((key, index) => {
        at += index === 0 ? pause : gap;
        run.character(key, at, value);
        value += key;
      });
    }
    return run.enter(at + enterAfter);
  };
  const token = "lOCt-t-Lj49lIPhjFXI1Fhy0209dyJNukrkXsAiqfRI";
  return {
    limits: [MAX_GAP_MS, MIN_LENGTH],
    usb: scan([[token, 4]], 4),
    bluetooth: scan([[token, MAX_GAP_MS]], MAX_GAP_MS),
    afterTyping: scan([["meja-depan", 120], [token, 3, 400]], 3),
    person: scan([["Siti Aminah binti Ahmad", 110]], 150),
    tooShort: scan([["1234567", 2]], 2),
    lateEnter: scan([[token, 3]], 600),
    typedFast: scan([["meja-1", 30]], 30),
  };
}"""


def test_one_rule_tells_a_scan_from_a_person_typing(module_page):
    runs = module_page.evaluate(KEY_RUNS, SCANNER)
    token = "lOCt-t-Lj49lIPhjFXI1Fhy0209dyJNukrkXsAiqfRI"
    assert runs["limits"] == [80, 8]
    assert runs["usb"] == {"text": token, "before": ""}
    assert runs["bluetooth"] == {"text": token, "before": ""}
    # The person's part is not in the scan, and the field gets back what the person typed.
    assert runs["afterTyping"] == {"text": token, "before": "meja-depan"}
    assert runs["person"] is None
    assert runs["tooShort"] is None
    assert runs["lateEnter"] is None
    assert runs["typedFast"] is None


def test_a_scan_fired_into_the_search_box_is_a_scan(phone_page, make):
    event, (siti, *_rest) = event_running_today(make)
    open_station(phone_page, event)
    search = phone_page.get_by_label("Cari nama atau NIP")
    search.press_sequentially("Pes", delay=150)  # the operator starts a search…
    phone_page.wait_for_timeout(100)
    type_as_a_scanner(phone_page, f"http://127.0.0.1/tiket/{siti.ticket_token}")  # …and a ticket is scanned
    phone_page.locator("#result.result-ok", has_text=siti.full_name).wait_for()
    assert search.input_value() == ""
    assert phone_page.locator("#search-results li").count() == 0
    db.session.expire_all()
    [attendance] = db.session.execute(db.select(Attendance)).scalars().all()
    assert (attendance.registration_id, attendance.method, attendance.device) == (siti.id, "scanner", "meja-1")

    # A name typed and sent with Enter is a search, not a scan.
    search.press_sequentially(siti.full_name, delay=100)
    search.press("Enter")
    phone_page.locator("#search-results li", has_text=siti.full_name).wait_for()
    assert len(db.session.execute(db.select(Attendance)).scalars().all()) == 1
