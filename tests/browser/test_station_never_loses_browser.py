"""The desk never loses a scan (issue 19), in Debian's Chromium: a restart with "Ingat saya" in the
middle of an outage, a desk clock 10 minutes fast, a server answering 500, 429 and 400, a station
started offline on day 2, a stale copy, two tabs, and a revoked device token. Each test reads what
the server holds afterwards (attendances and scan log rows), not only what the page says."""
import json
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import STATUS_CANCELLED, ApiToken, Attendance, Registration, ScanLog
from tests.browser.chromium import BASE_ARGS, CHROMIUM, PHONE
from tests.browser.station import OPERATOR, cached_for_offline, event_running_today, open_station, scan_at_once
from tests.factories import PASSWORD, event_organization_list


@pytest.fixture(autouse=True)
def csrf_on(app):
    # The station must work with CSRF on, as in production.
    app.config["WTF_CSRF_ENABLED"] = True


def attendances():
    db.session.expire_all()
    return db.session.execute(db.select(Attendance).order_by(Attendance.id)).scalars().all()


def scan_logs():
    db.session.expire_all()
    return db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()


def has_device_token(page):
    return page.evaluate("""async () => {
      const database = await new Promise((resolve) => {
        const opening = indexedDB.open("hadir-station");
        opening.onsuccess = () => resolve(opening.result);
      });
      return new Promise((resolve) => {
        const request = database.transaction("meta").objectStore("meta").get("deviceToken");
        request.onsuccess = () => resolve(Boolean(request.result));
      });
    }""")


def live_tokens(wait_for_name=None):
    """The API tokens not revoked; with `wait_for_name`, once one has that name (the desk asks for it
    in the background), for at most 10 seconds."""
    deadline = time.monotonic() + 10
    while True:
        db.session.expire_all()
        tokens = db.session.execute(db.select(ApiToken).filter_by(revoked_at=None)).scalars().all()
        if wait_for_name is None or any(t.name == wait_for_name for t in tokens) or time.monotonic() > deadline:
            return tokens
        time.sleep(0.1)


def check_in_by_name(page, person):
    """Found by name (offline: in the copy) and checked in with the row's button. Unlike a handheld
    scanner's keys, which a loaded machine can deliver too far apart to count as a scan."""
    page.get_by_label("Cari nama atau NIP").fill(person.full_name)
    name = page.locator("strong", has_text=re.compile(f"^{re.escape(person.full_name)}$"))
    page.locator("#search-results li").filter(has=name).get_by_role("button", name="Check-in").click()
    page.locator("#result.result-ok", has_text=person.full_name).wait_for()


def go_offline(page):
    page.context.set_offline(True)
    page.locator("#net-status", has_text="Offline").wait_for()


def test_a_restart_with_ingat_saya_in_the_middle_of_an_outage_loses_nothing(playwright_instance, live_server, make,
                                                                            tmp_path):
    # The laptop restarts offline: the station page comes from the offline cache with the CSRF token of a
    # session that is gone; "Ingat saya" gives a new session. The desk sends with its device token.
    event, people = event_running_today(make, people=3)
    profile = tmp_path / "profile"

    def launch():
        context = playwright_instance.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=BASE_ARGS, base_url=live_server,
            viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
        context.set_default_timeout(15_000)
        return context

    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"/masuk/?next=/e/{event.slug}/checkin")
    page.get_by_label("E-mail").fill(OPERATOR)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_label("Ingat saya di perangkat ini").check()
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_selector("body[data-station-ready]")
    page.get_by_label("Nama meja/perangkat").fill("meja-1")
    page.get_by_label("Nama meja/perangkat").press("Enter")
    page.locator("#copy-status", has_text="3 tiket").wait_for()
    cached_for_offline(page)
    assert has_device_token(page)
    go_offline(page)
    before = datetime.now(UTC)
    scan_at_once(page, people[0].ticket_token)
    page.locator("#result.result-ok", has_text=people[0].full_name).wait_for()
    page.locator("#queue-status", has_text="1 scan menunggu dikirim").wait_for()
    context.close()  # the restart: the session cookie is gone, the remember-me cookie stays

    context = launch()
    context.set_offline(True)
    context.clear_cookies(name="session")
    assert any(cookie["name"] == "remember_token" for cookie in context.cookies())
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"/e/{event.slug}/checkin")
    page.wait_for_selector("body[data-station-ready]")
    page.locator("#queue-status", has_text="1 scan menunggu dikirim").wait_for()
    # Found by name in the copy (a browser just started takes a scanner's keys too slowly to trust here).
    for person in people[1:]:
        check_in_by_name(page, person)
    page.locator("#queue-status", has_text="3 scan menunggu dikirim").wait_for()
    after = datetime.now(UTC)
    assert attendances() == []

    context.set_offline(False)
    page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    context.close()
    rows = attendances()
    assert sorted(row.registration_id for row in rows) == sorted(person.id for person in people)
    # In server time as the desk learnt it from the Date header (whole seconds): give or take a second.
    slack = timedelta(seconds=2)
    assert all(before - slack <= row.scanned_at <= after + slack and row.device == "meja-1" for row in rows)
    assert sorted(row.method for row in rows) == ["manual", "manual", "scanner"]
    assert sorted(log.result for log in scan_logs()) == ["checked_in"] * 3


def test_a_desk_clock_ten_minutes_fast_records_its_scans_in_server_time(phone_page, make):
    event, people = event_running_today(make, people=2)
    phone_page.clock.install(time=datetime.now(UTC) + timedelta(minutes=10))
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="2 tiket").wait_for()
    phone_page.locator("#clock-warning", has_text="selisih 10 menit").wait_for()
    go_offline(phone_page)
    before = datetime.now(UTC)
    for person in people:
        scan_at_once(phone_page, person.ticket_token)
        phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()
    after = datetime.now(UTC)
    phone_page.locator("#queue-status", has_text="2 scan menunggu dikirim").wait_for()

    phone_page.context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    rows = attendances()
    assert sorted(row.registration_id for row in rows) == sorted(person.id for person in people)
    # Server time, give or take the second the Date header is rounded to: not 10 minutes ahead.
    for row in rows:
        assert before - timedelta(seconds=3) <= row.scanned_at <= after + timedelta(seconds=3)
    assert [log.result for log in scan_logs()] == ["checked_in", "checked_in"]


@pytest.fixture
def stubbed(app, monkeypatch):
    """A route stub in front of the app: while this list holds answers (status, content type, body),
    each POST /api/v1/checkins gets the next one instead of the app's, as from a sick server or a proxy."""
    answers = []
    real = app.wsgi_app

    def stub(environ, start_response):
        if environ["PATH_INFO"] == "/api/v1/checkins" and environ["REQUEST_METHOD"] == "POST" and answers:
            status, content_type, body = answers.pop(0)
            start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
            return [body]
        return real(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", stub)
    return answers


def refuse_the_first_with_401(app, monkeypatch, wanted):
    """The first request whose path `wanted` accepts is answered 401, as when the desk's token was revoked on
    the way; every other request goes through. Returns the list the refused path is added to."""
    refused = []
    real = app.wsgi_app

    def refusing_once(environ, start_response):
        if wanted(environ["PATH_INFO"]) and not refused:
            refused.append(environ["PATH_INFO"])
            body = b'{"error": "unauthorized"}'
            start_response("401 UNAUTHORIZED", [("Content-Type", "application/json"),
                                                ("Content-Length", str(len(body)))])
            return [body]
        return real(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", refusing_once)
    return refused


def test_a_copy_refused_with_401_is_asked_again_at_once_with_a_new_token(phone_page, make, app, monkeypatch):
    """The desk named right after the page opened: its token is renewed (the old one revoked) while the copy
    is on its way with the old one, and answered 401. The station asks again with a new token at once,
    not at the next minute's refresh (a desk without its copy for a minute, should the network drop)."""
    event, _people = event_running_today(make, people=3)
    refused = refuse_the_first_with_401(app, monkeypatch, lambda path: path.endswith("/roster"))
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="3 tiket").wait_for()
    assert refused == [f"/api/v1/events/{event.slug}/roster"]


def test_a_scan_refused_with_401_is_sent_again_at_once_with_a_new_token(phone_page, make, app, monkeypatch):
    """A scan sent while the desk's token is being renewed (the old one revoked on the way) is answered 401:
    the station asks for a new token and sends the scan again at once, so the desk sees the server's answer,
    not a scan kept on the device to be sent later."""
    event, (siti, *_rest) = event_running_today(make)
    refused = refuse_the_first_with_401(app, monkeypatch, lambda path: path == "/api/v1/checkins")
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="3 tiket").wait_for()
    scan_at_once(phone_page, siti.ticket_token)
    result = phone_page.locator("#result.result-ok", has_text=siti.full_name)
    result.wait_for()
    expect(result).not_to_contain_text("Disimpan di perangkat ini")
    assert refused == ["/api/v1/checkins"]
    assert [(row.registration_id, row.method) for row in attendances()] == [(siti.id, "scanner")]
    expect(phone_page.locator("#queue-status")).not_to_contain_text("menunggu dikirim")


def test_a_server_answering_500_429_and_400_keeps_the_scans_until_it_decides(phone_page, make, stubbed):
    event, people = event_running_today(make, people=3)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="3 tiket").wait_for()
    go_offline(phone_page)
    for person in people:
        scan_at_once(phone_page, person.ticket_token)
        phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()
    queue = phone_page.locator("#queue-status")
    queue.get_by_text("3 scan menunggu dikirim").wait_for()

    stubbed.extend([
        ("500 INTERNAL SERVER ERROR", "text/html", b"<h1>Internal Server Error</h1>"),
        ("429 TOO MANY REQUESTS", "application/json", json.dumps({"error": "too many"}).encode()),
        ("400 BAD REQUEST", "text/html", b"<h1>Bad Request</h1><p>The CSRF session token is missing.</p>"),
    ])
    phone_page.context.set_offline(False)
    queue.get_by_text("Server sedang bermasalah (500)").wait_for()
    assert "3 scan menunggu dikirim" in queue.inner_text()
    assert attendances() == [] and scan_logs() == []
    queue.get_by_role("button", name="Kirim sekarang").click()
    queue.get_by_text("Server sedang sibuk (429").wait_for()
    assert "3 scan menunggu dikirim" in queue.inner_text()
    queue.get_by_role("button", name="Kirim sekarang").click()
    queue.get_by_text("Jawaban bukan dari Hadir (400)").wait_for()
    assert "3 scan menunggu dikirim" in queue.inner_text()
    assert attendances() == [] and scan_logs() == []

    queue.get_by_role("button", name="Kirim sekarang").click()
    queue.get_by_text("Semua scan sudah terkirim").wait_for()
    assert sorted(row.registration_id for row in attendances()) == sorted(person.id for person in people)
    assert [log.result for log in scan_logs()] == ["checked_in"] * 3


def test_a_station_started_offline_on_day_2_records_day_2(phone_page, make, monkeypatch):
    # The page was rendered on day 1 (it offers only "Hari 1") and kept by the service worker; the
    # laptop starts offline on day 2. The day comes from the copy's days and today's date.
    from app.checkin import routes as station_routes
    from app.models import User
    from app.tenants.operators import assign_operator

    today = event_running_today(make, people=0)[0].days[0].date  # also creates the operator
    event = make.event(slug="dua-hari", dates=(today - timedelta(days=1), today))
    assign_operator(db.session.execute(db.select(User).filter_by(email=OPERATOR)).scalar_one(), event)
    db.session.commit()
    person = make.registration(event)
    monkeypatch.setattr(station_routes, "today_in", lambda _event: today - timedelta(days=1))
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="1 tiket").wait_for()
    cached_for_offline(phone_page)

    go_offline(phone_page)
    phone_page.reload()
    phone_page.wait_for_selector("body[data-station-ready]")
    assert phone_page.get_by_label("Hari").input_value() == today.isoformat()
    assert phone_page.locator("#day option", has_text="Hari 2").count() == 1
    scan_at_once(phone_page, person.ticket_token)
    phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()
    phone_page.context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    [row] = attendances()
    assert (row.registration_id, row.event_day_id) == (person.id, event.days[1].id)
    assert row.scanned_at is not None and row.recorded_late_at is None
    assert [(log.result, log.event_day_id) for log in scan_logs()] == [("checked_in", event.days[1].id)]


def test_a_stale_copy_shows_what_it_knows_and_the_outcomes_land_in_perlu_perhatian(phone_page, make):
    event, (cancelled_early, cancelled_late, present) = event_running_today(make, people=3)
    other_opd = event_organization_list(event)[1]
    # Registered a while before the desk opens (a copy's changes are asked with 30 s of overlap).
    db.session.execute(db.update(Registration).values(updated_at=datetime.now(UTC) - timedelta(minutes=5)))
    db.session.commit()
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="3 tiket").wait_for()

    # Changes the desk's next refresh brings: one cancelled, one new.
    cancelled_early.status = STATUS_CANCELLED
    new_early = make.registration(event, organization=other_opd)
    db.session.commit()
    with phone_page.expect_response(lambda response: "/roster?since=" in response.url) as refresh:
        phone_page.reload()
    changed = refresh.value.json()
    assert changed["complete"] is False
    assert sorted(ticket["id"] for ticket in changed["tickets"]) == sorted([cancelled_early.id, new_early.id])
    phone_page.locator("#copy-status", has_text="4 tiket").wait_for()
    # Changes the desk has not heard of when the network goes.
    cancelled_late.status = STATUS_CANCELLED
    new_late = make.registration(event, organization=other_opd)
    db.session.commit()

    go_offline(phone_page)
    scan_at_once(phone_page, cancelled_early.ticket_token)
    phone_page.locator("#result.result-bad", has_text="Pendaftaran dibatalkan").wait_for()
    scan_at_once(phone_page, new_early.ticket_token)
    phone_page.locator("#result.result-ok", has_text=new_early.full_name).wait_for()
    scan_at_once(phone_page, cancelled_late.ticket_token)
    phone_page.locator("#result.result-ok", has_text=cancelled_late.full_name).wait_for()
    scan_at_once(phone_page, new_late.ticket_token)
    phone_page.locator("#result.result-warn", has_text="Belum ada di salinan — diperiksa saat online").wait_for()
    scan_at_once(phone_page, present.ticket_token)
    phone_page.locator("#result.result-ok", has_text=present.full_name).wait_for()

    phone_page.context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    attention = phone_page.locator("#attention")
    attention.get_by_role("heading", name="Perlu perhatian").wait_for()
    late_refusal = attention.locator("li", has_text=cancelled_late.full_name)
    assert "Pendaftaran dibatalkan" in late_refusal.inner_text() and "meja-1" in late_refusal.inner_text()
    assert "Setelah sinkron: Berhasil check-in" in attention.locator("li", has_text=new_late.full_name).inner_text()
    assert "Pendaftaran dibatalkan" in attention.locator("li", has_text=cancelled_early.full_name).inner_text()
    assert attention.locator("li").count() == 3

    assert sorted(row.registration_id for row in attendances()) == sorted([new_early.id, new_late.id, present.id])
    logged = {log.registration_id: log.result for log in scan_logs()}
    assert logged == {cancelled_early.id: "cancelled", cancelled_late.id: "cancelled", new_early.id: "checked_in",
                      new_late.id: "checked_in", present.id: "checked_in"}

    # The list stays until dismissed, through a reload.
    late_refusal.get_by_role("button", name="Tutup").click()
    attention.locator("li").nth(2).wait_for(state="detached")
    phone_page.reload()
    phone_page.wait_for_selector("body[data-station-ready]")
    phone_page.locator("#attention li").nth(1).wait_for()
    assert phone_page.locator("#attention li").count() == 2


def test_two_tabs_send_the_queue_once(phone_page, make):
    event, people = event_running_today(make, people=30)
    open_station(phone_page, event)
    other = phone_page.context.new_page()
    other.goto(f"/e/{event.slug}/checkin")
    other.wait_for_selector("body[data-station-ready]")
    for page in (phone_page, other):
        page.locator("#copy-status", has_text="30 tiket").wait_for()
    go_offline(phone_page)
    other.locator("#net-status", has_text="Offline").wait_for()
    for n, person in enumerate(people):
        page = phone_page if n % 2 else other
        page.bring_to_front()  # the tab in use, as at a desk (a hidden tab's timers run once a second)
        check_in_by_name(page, person)
    for page in (phone_page, other):
        page.locator("#queue-status", has_text="30 scan menunggu dikirim").wait_for()

    phone_page.context.set_offline(False)
    for page in (phone_page, other):
        page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for(timeout=30_000)
    assert sorted(row.registration_id for row in attendances()) == sorted(person.id for person in people)
    logs = scan_logs()
    assert len(logs) == 30 and {log.result for log in logs} == {"checked_in"}


def test_a_revoked_device_token_keeps_the_queue_until_someone_signs_in_again(phone_page, make, runner):
    event, people = event_running_today(make, people=2)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="2 tiket").wait_for()
    assert has_device_token(phone_page)
    [token] = live_tokens(wait_for_name="Meja check-in: meja-1")
    assert token.name == "Meja check-in: meja-1" and token.expires_at is not None
    go_offline(phone_page)
    for person in people:
        scan_at_once(phone_page, person.ticket_token)
        phone_page.locator("#result.result-ok", has_text=person.full_name).wait_for()

    # Nobody is asked to sign in while the desk's token works.
    assert not phone_page.locator("#queue-status").get_by_role("link", name="Masuk lagi").is_visible()
    expect(phone_page.locator("#queue-status").get_by_role("button", name="Kirim sekarang")).to_be_visible()

    # The committee revokes the desk's token; the operator's session has ended too.
    assert runner.invoke(args=["revoke-tokens", OPERATOR]).exit_code == 0
    phone_page.context.clear_cookies()
    phone_page.context.set_offline(False)
    queue = phone_page.locator("#queue-status")
    queue.get_by_role("link", name="Masuk lagi").wait_for(timeout=20_000)
    queue.get_by_text("perlu masuk lagi").wait_for()
    assert "2 scan menunggu dikirim" in queue.inner_text()
    assert attendances() == [] and scan_logs() == []

    queue.get_by_role("link", name="Masuk lagi").click()
    phone_page.get_by_label("E-mail").fill(OPERATOR)
    phone_page.get_by_label("Kata sandi").fill(PASSWORD)
    phone_page.get_by_role("button", name="Masuk").click()
    phone_page.wait_for_url(f"**/e/{event.slug}/checkin")
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for(timeout=20_000)
    assert sorted(row.registration_id for row in attendances()) == sorted(person.id for person in people)
    assert [log.result for log in scan_logs()] == ["checked_in", "checked_in"]
    db.session.expire_all()
    [live] = live_tokens()
    assert live.id > token.id and live.name == "Meja check-in: meja-1"


def test_a_late_record_is_amber_and_a_handed_over_ticket_is_final_and_names_nobody(phone_page, make, stubbed):
    from app.models import User
    from app.tenants.operators import assign_operator

    today = event_running_today(make, people=0)[0].days[0].date  # also creates the operator
    event = make.event(slug="kemarin", dates=(today - timedelta(days=1), today))
    assign_operator(db.session.execute(db.select(User).filter_by(email=OPERATOR)).scalar_one(), event)
    db.session.commit()
    forgotten, handed_over = make.registration(event), make.registration(event)
    open_station(phone_page, event)
    phone_page.locator("#copy-status", has_text="2 tiket").wait_for()
    phone_page.get_by_label("Hari").select_option((today - timedelta(days=1)).isoformat())
    scan_at_once(phone_page, forgotten.ticket_token)
    phone_page.locator("#result.result-warn", has_text="Dicatat sebagai susulan").wait_for()
    [late] = attendances()
    assert (late.registration_id, late.event_day_id) == (forgotten.id, event.days[0].id)
    assert late.recorded_late_at is not None

    # Issue 20's answer for a seat handed over ("Ganti peserta"), from the server (stubbed here).
    transferred = ("409 CONFLICT", "application/json", json.dumps({"result": "transferred"}).encode())
    phone_page.get_by_label("Hari").select_option(today.isoformat())
    stubbed.append(transferred)
    scan_at_once(phone_page, handed_over.ticket_token)
    result = phone_page.locator("#result.result-warn", has_text="Tiket ini sudah dialihkan ke rekan dari OPD yang sama")
    result.wait_for()
    assert handed_over.full_name not in result.inner_text()
    # Queued offline, the same answer is final: the scan leaves the queue and lands in "Perlu perhatian".
    go_offline(phone_page)
    scan_at_once(phone_page, handed_over.ticket_token)
    phone_page.locator("#queue-status", has_text="1 scan menunggu dikirim").wait_for()
    stubbed.append(transferred)
    phone_page.context.set_offline(False)
    phone_page.locator("#queue-status", has_text="Semua scan sudah terkirim").wait_for()
    entry = phone_page.locator("#attention li")
    assert "Tiket ini sudah dialihkan ke rekan dari OPD yang sama" in entry.inner_text()
    assert handed_over.full_name not in entry.inner_text()
    assert len(attendances()) == 1 and [log.result for log in scan_logs()] == ["checked_in"]
