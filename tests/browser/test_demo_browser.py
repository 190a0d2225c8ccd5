"""The first five minutes of `make run`, in Chromium: from an empty database, `flask seed-demo`; then the
live event's public page → register → ticket → a scan at the station (green, an ordinary check-in for
today, not susulan) → the dashboard's count moves → the downloaded workbook has the person."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.demo.seed import DEMO_ACCOUNT, LIVE_SLUG
from app.extensions import db
from app.models import Attendance, Registration
from tests.browser.chromium import PHONE
from tests.browser.station import scan_at_once


@pytest.fixture(autouse=True)
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True  # the station sends its CSRF header, as in production


def log_in(page, password, next_path):
    page.goto(f"/masuk/?next={next_path}")
    page.get_by_label("E-mail").fill(DEMO_ACCOUNT)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**{next_path}")


def test_a_newcomer_s_first_five_minutes(runner, browser, live_server, tmp_path):
    seeded = runner.invoke(args=["seed-demo", "--base-url", live_server])
    assert seeded.exit_code == 0, seeded.output
    password = re.search(rf"{re.escape(DEMO_ACCOUNT)} / (\S+)", seeded.output).group(1)
    assert f"{live_server}/e/{LIVE_SLUG}" in seeded.output

    phone = browser.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True,
                                locale="id-ID")
    desk = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="id-ID",
                               accept_downloads=True)
    try:
        # 1. The public page of the live event, and registering from it, on a phone.
        participant = phone.new_page()
        participant.set_default_timeout(15_000)
        participant.goto(f"/e/{LIVE_SLUG}")
        expect(participant.get_by_text("Pendaftaran dibuka")).to_be_visible()
        participant.get_by_role("link", name="Daftar sekarang").click()
        participant.get_by_label("Nama lengkap").fill("Pendatang Contoh")
        participant.get_by_label("Jabatan").fill("Pranata Komputer")
        participant.get_by_placeholder("Ketik untuk mencari OPD…").fill("Bappeda")
        participant.get_by_label("Nomor HP (WhatsApp)").fill("0811 0000 9999")
        participant.get_by_label("E-mail").fill("pendatang.contoh@example.go.id")
        participant.get_by_label("Saya setuju").check()
        participant.get_by_role("button", name="Daftar dan ambil tiket").click()
        participant.wait_for_url("**/tiket/**")
        expect(participant.get_by_text("Pendaftaran berhasil")).to_be_visible()
        expect(participant.get_by_alt_text("Kode QR tiket")).to_be_visible()
        person = db.session.execute(db.select(Registration).filter_by(full_name="Pendatang Contoh")).scalar_one()

        # 2. The committee's dashboard, open while the desk scans: 15 in already today.
        board = desk.new_page()
        board.set_default_timeout(15_000)
        log_in(board, password, f"/admin/acara/{LIVE_SLUG}")
        expect(board.locator("#count-registered")).to_have_text("61")
        expect(board.locator("#present-day-1")).to_have_text("15")

        # 3. The station: the ticket scanned, green, for today, not susulan.
        station = desk.new_page()
        station.set_default_timeout(15_000)
        station.goto(f"/e/{LIVE_SLUG}/checkin")
        station.wait_for_selector("body[data-station-ready]")
        station.get_by_label("Nama meja/perangkat").fill("meja-1")
        station.get_by_label("Nama meja/perangkat").press("Enter")
        scan_at_once(station, person.ticket_token)
        result = station.locator("#result.result-ok")
        expect(result).to_contain_text("Pendatang Contoh")
        expect(result).not_to_contain_text("susulan")
        db.session.expire_all()
        [attendance] = db.session.execute(db.select(Attendance).filter_by(registration_id=person.id)).scalars().all()
        assert attendance.event_day_id == person.event.days[0].id and attendance.recorded_late_at is None

        # 4. The dashboard follows without a reload.
        expect(board.locator("#present-day-1")).to_have_text("16", timeout=15_000)

        # 5. The workbook has the person on today's sheet, with a time and no susulan mark.
        with board.expect_download() as download:
            board.get_by_role("link", name="Unduh daftar hadir (.xlsx)").click()
        path = tmp_path / "daftar-hadir.xlsx"
        download.value.save_as(path)
        sheet = load_workbook(path, read_only=True)["Daftar Hadir Hari 1"]
        [row] = [row for row in sheet.iter_rows(values_only=True) if "Pendatang Contoh" in row]
        assert not any("susulan" in str(cell).lower() for cell in row if cell is not None)
        today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
        assert [cell.date() for cell in row if isinstance(cell, datetime)] == [today], row  # Waktu Hadir, WIB
    finally:
        phone.close()
        desk.close()
