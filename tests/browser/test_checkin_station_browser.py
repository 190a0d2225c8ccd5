"""The check-in station in Debian's Chromium: handheld scanner, camera (vendored decoder), offline."""
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Attendance
from tests.browser.chromium import PHONE, launch_chromium
from tests.browser.fake_camera import write_ticket_video
from tests.browser.station import (
    cached_for_offline,
    event_running_today,
    open_station,
    scan_at_once,
    type_as_a_scanner,
)


@pytest.fixture(autouse=True)
def csrf_on(app):
    # The station must send the CSRF header with the operator's session, as in production.
    app.config["WTF_CSRF_ENABLED"] = True


def attendances():
    db.session.expire_all()
    return db.session.execute(db.select(Attendance).order_by(Attendance.id)).scalars().all()


def test_a_handheld_scanner_checks_a_person_in_without_a_click(phone_page, make):
    event, (siti, *_rest) = event_running_today(make)
    open_station(phone_page, event)
    expect(phone_page.locator("#count-registered")).to_have_text("3")  # filled in when the counts arrive

    scan_at_once(phone_page, siti.ticket_token)
    result = phone_page.locator("#result.result-ok")
    result.wait_for()
    expect(result.get_by_text(siti.full_name)).to_be_visible()
    expect(result.get_by_text("Dinas Contoh 1")).to_be_visible()
    phone_page.locator("#count-present", has_text="1").wait_for()
    [attendance] = attendances()
    assert (attendance.registration_id, attendance.method, attendance.device) == (siti.id, "scanner", "meja-1")

    # The station is ready for the next person by itself; a repeat is amber with the first time.
    phone_page.locator("#result.result-idle").wait_for()
    scan_at_once(phone_page, f"http://127.0.0.1/tiket/{siti.ticket_token}")
    phone_page.locator("#result.result-warn", has_text="Sudah check-in pukul").wait_for()
    scan_at_once(phone_page, "BUKAN-TIKET-12345")
    phone_page.locator("#result.result-bad", has_text="Tiket tidak dikenal").wait_for()
    assert len(attendances()) == 1


def test_a_person_without_a_ticket_is_found_by_name_and_checked_in(phone_page, make):
    event, (_first, second, _third) = event_running_today(make)
    open_station(phone_page, event)
    phone_page.get_by_label("Cari nama atau NIP").fill(second.full_name)
    row = phone_page.locator("#search-results li", has_text=second.full_name)
    row.get_by_text(f"NIP ••••••••••••••{second.nip[-4:]}").wait_for()
    assert second.nip not in phone_page.content()
    row.get_by_role("button", name="Check-in").click()
    phone_page.locator("#result.result-ok", has_text=second.full_name).wait_for()
    [attendance] = attendances()
    assert (attendance.registration_id, attendance.method) == (second.id, "manual")


def test_the_camera_reads_a_real_ticket_green_then_amber(playwright_instance, live_server, make, tmp_path):
    event, (siti, *_rest) = event_running_today(make)
    video = write_ticket_video(tmp_path / "ticket.y4m", siti.ticket_token)
    browser = launch_chromium(playwright_instance, [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ])
    try:
        context = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                                      locale="id-ID", permissions=["camera"])
        page = context.new_page()
        page.set_default_timeout(15_000)
        open_station(page, event, device="meja-kamera")
        # Debian's Chromium has no BarcodeDetector: this is the vendored decoder at work.
        assert page.evaluate("'BarcodeDetector' in window") is False
        page.get_by_role("button", name="Nyalakan kamera").click()
        page.locator("#result.result-ok", has_text=siti.full_name).wait_for()
        # The code leaves the frame and comes back: the second pass is amber.
        page.locator("#result.result-warn", has_text="Sudah check-in pukul").wait_for()
        [attendance] = attendances()
        assert (attendance.registration_id, attendance.method, attendance.device) == (siti.id, "camera", "meja-kamera")
    finally:
        browser.close()


def test_offline_scans_survive_a_reload_and_sync_when_the_network_returns(phone_page, make):
    event, people = event_running_today(make, people=4)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="4 tiket").wait_for()
    # The service worker has taken the page and its assets into its cache.
    cached_for_offline(phone_page)

    context = phone_page.context
    before = datetime.now(UTC)
    context.set_offline(True)
    phone_page.locator("#net-status", has_text="Offline").wait_for()
    for person in people[:3]:
        scan_at_once(phone_page, person.ticket_token)
        phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()
        expect(phone_page.locator("#result").get_by_text("Tercatat offline")).to_be_visible()
    phone_page.locator("#queue-status", has_text="3 scan menunggu dikirim").wait_for()
    assert phone_page.locator("#count-present").inner_text() == "3"
    # Offline, the copy still knows who is already in.
    scan_at_once(phone_page, people[0].ticket_token)
    phone_page.locator("#result.result-warn", has_text="Sudah check-in pukul").wait_for()
    after = datetime.now(UTC)
    assert attendances() == []

    phone_page.reload()
    phone_page.wait_for_selector("body[data-station-ready]")
    phone_page.locator("#queue-status", has_text="4 scan menunggu dikirim").wait_for()

    context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    rows = attendances()
    assert sorted(row.registration_id for row in rows) == sorted(person.id for person in people[:3])
    # In server time, as the desk learnt it from the Date header (whole seconds): give or take a second.
    slack = timedelta(seconds=2)
    for row in rows:
        assert row.scanned_at is not None and before - slack <= row.scanned_at <= after + slack
        # The server takes an offline scan's time, but never one after its own clock (min(scanned_at, now)):
        # a desk corrected to whole seconds may be a fraction of a second ahead.
        assert row.checked_in_at <= row.scanned_at and row.scanned_at - row.checked_in_at <= slack
        assert row.device == "meja-1"


def test_a_scan_into_the_device_name_is_a_scan_and_leaves_the_name_alone(phone_page, make):
    # The operator names the desk and fires the scanner before the field has lost the focus.
    event, (siti, *_rest) = event_running_today(make)
    open_station(phone_page, event)
    device = phone_page.get_by_label("Nama meja/perangkat")
    device.fill("")
    device.press_sequentially("meja-depan", delay=120)  # a person typing
    phone_page.wait_for_timeout(100)  # then picking up the scanner
    type_as_a_scanner(phone_page, siti.ticket_token)
    phone_page.locator("#result.result-ok", has_text=siti.full_name).wait_for()
    assert device.input_value() == "meja-depan"
    [attendance] = attendances()
    assert (attendance.registration_id, attendance.device) == (siti.id, "meja-depan")
    phone_page.reload()
    phone_page.wait_for_selector("body[data-station-ready]")
    assert phone_page.get_by_label("Nama meja/perangkat").input_value() == "meja-depan"


ROSTERS_KEPT = """async () => {
  const database = await new Promise((resolve, reject) => {
    const request = indexedDB.open("hadir-station");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const count = (name) => new Promise((resolve) => {
    const request = database.transaction(name).objectStore(name).count();
    request.onsuccess = () => resolve(request.result);
  });
  const token = await new Promise((resolve) => {
    const request = database.transaction("meta").objectStore("meta").get("deviceToken");
    request.onsuccess = () => resolve(request.result ? "kept" : "none");
  });
  return { rosters: await count("rosters"), stores: [...database.objectStoreNames], token };
}"""


def test_logging_out_makes_the_station_forget_its_ticket_copy(phone_page, make):
    event, _people = event_running_today(make)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="3 tiket").wait_for()
    phone_page.wait_for_function("document.querySelector('#queue-status') !== null")
    kept = phone_page.evaluate(ROSTERS_KEPT)
    assert (kept["rosters"], kept["token"]) == (1, "kept")  # names and OPDs, and the desk's token

    phone_page.get_by_role("button", name="Keluar").click()
    phone_page.wait_for_selector("body[data-station-forgotten]")
    expect(phone_page.get_by_text("Anda sudah keluar.")).to_be_visible()
    # The copy and the desk's token are gone; the queue of unsent scans is where it was.
    assert phone_page.evaluate(ROSTERS_KEPT) == {
        "rosters": 0, "stores": ["attention", "meta", "queue", "rosters"], "token": "none"}


def test_a_past_day_recorded_offline_is_synced_as_a_late_record(phone_page, make):
    # Day 2 of an event that began yesterday: the desk records someone forgotten on day 1 while the
    # network is down. Its scan time is today, not day 1, so it is synced as a late record ("susulan").

    from app.models import User
    from app.tenants.operators import assign_operator
    from tests.browser.station import OPERATOR

    today = event_running_today(make, people=0)[0].days[0].date  # also creates the operator
    event = make.event(slug="kemarin", dates=(today - timedelta(days=1), today))
    assign_operator(db.session.execute(db.select(User).filter_by(email=OPERATOR)).scalar_one(), event)
    db.session.commit()
    person = make.registration(event)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="1 tiket").wait_for()
    phone_page.get_by_label("Hari").select_option((today - timedelta(days=1)).isoformat())
    cached_for_offline(phone_page)
    phone_page.context.set_offline(True)
    phone_page.locator("#net-status", has_text="Offline").wait_for()
    scan_at_once(phone_page, person.ticket_token)
    phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()
    phone_page.context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    [row] = attendances()
    assert (row.registration_id, row.event_day_id) == (person.id, event.days[0].id)
    assert row.scanned_at is None and row.recorded_late_at is not None
