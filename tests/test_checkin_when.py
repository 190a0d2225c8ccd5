"""When a scan may count (issue 9, item 1), through the API, the station page, the admin's
"Check-in" on the Peserta page and the workbook, on SQLite and PostgreSQL: never a day that has not started, never a
scan time the server's clock contradicts, the earliest scan is the attendance, and a day recorded
after it ended is marked late ("susulan") with who recorded it and when."""
import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from app.exports.data import attendance_data
from app.exports.paperwork import save_paperwork
from app.exports.workbook import build_attendance_workbook
from app.extensions import db
from app.models import Attendance, ScanLog

WIB = timezone(timedelta(hours=7))


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, set by hand: `clock(datetime)`."""

    def set_to(moment):
        now = moment.astimezone(UTC)
        monkeypatch.setattr("app.checkin.services.utcnow", lambda: now)  # the check-in's time
        monkeypatch.setattr("app.timezones.utcnow", lambda: now)  # what day it is (today_in)
        monkeypatch.setattr("app.api.schemas.utcnow", lambda: now, raising=False)  # where a request is read
        return now

    return set_to


def scan(client, headers, token, **body):
    return client.post("/api/v1/checkins", json=dict(body, token=token), headers=headers)


def attendances():
    db.session.expire_all()
    return db.session.execute(db.select(Attendance)).scalars().all()


def scan_log_results():
    return db.session.execute(db.select(ScanLog.result).order_by(ScanLog.id)).scalars().all()


def test_a_day_that_has_not_started_is_refused_409_future_day(client, make, desk, clock):
    event, _operator, headers = desk  # 13 and 14 June 2022
    token = make.registration(event).ticket_token
    clock(datetime(2022, 6, 13, 23, 59, tzinfo=WIB))
    response = scan(client, headers, token, day="2022-06-14")
    assert (response.status_code, response.get_json()["result"]) == (409, "future_day")
    assert attendances() == []
    assert scan_log_results() == ["future_day"]
    clock(datetime(2022, 6, 14, 0, 0, 1, tzinfo=WIB))  # midnight in Serang: the day has started
    assert scan(client, headers, token, day="2022-06-14").status_code == 201


def test_the_manual_check_in_refuses_a_future_day_too(client, make, desk, clock):
    event, _operator, headers = desk
    registration = make.registration(event)
    clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    response = client.post(f"/api/v1/events/{event.slug}/registrations/{registration.id}/checkins",
                           json={"day": "2022-06-14"}, headers=headers)
    assert (response.status_code, response.get_json()["result"]) == (409, "future_day")
    assert attendances() == []


@pytest.mark.parametrize("minutes, status", [(4, 201), (6, 400)])
def test_a_scan_time_more_than_five_minutes_ahead_of_the_server_is_refused(client, make, desk, clock, minutes,
                                                                            status):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    now = clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    ahead = (now + timedelta(minutes=minutes)).astimezone(WIB).isoformat()
    response = scan(client, headers, token, scanned_at=ahead)
    assert response.status_code == status
    if status == 400:
        assert response.get_json()["result"] == "invalid_request"
        assert "scanned_at" in response.get_json()["errors"]
        assert attendances() == []


@pytest.mark.parametrize("day", [None, "2022-06-13"])
def test_a_scan_time_before_the_events_first_day_is_refused(client, make, desk, clock, day):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    body = {"scanned_at": "2022-06-12T20:00:00+07:00"} | ({"day": day} if day else {})
    response = scan(client, headers, token, **body)
    assert response.status_code == 400
    assert "scanned_at" in response.get_json()["errors"]
    assert attendances() == []


def test_a_scan_time_on_another_date_than_the_day_sent_is_refused(client, make, desk, clock):
    # A desk whose clock is a day off must not file people under another day.
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    clock(datetime(2022, 6, 14, 10, 0, tzinfo=WIB))
    response = scan(client, headers, token, day="2022-06-14", scanned_at="2022-06-13T08:00:00+07:00")
    assert response.status_code == 400
    assert "scanned_at" in response.get_json()["errors"]
    assert attendances() == []


def test_without_a_day_the_scan_time_chooses_it_and_an_offline_scan_on_its_day_is_not_late(client, make, desk,
                                                                                            clock):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    clock(datetime(2022, 6, 14, 10, 0, tzinfo=WIB))  # synced the next morning
    response = scan(client, headers, token, scanned_at="2022-06-13T08:00:00+07:00")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["day"], body["checked_in_at"]) == ("2022-06-13", "2022-06-13T08:00:00+07:00")
    assert "recorded_late_at" not in body
    [attendance] = attendances()
    assert attendance.recorded_late_at is None and not attendance.is_late


def test_an_earlier_offline_scan_arriving_later_becomes_the_attendance(client, make, desk, clock):
    event, operator, headers = desk
    token = make.registration(event).ticket_token
    clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    online = scan(client, headers, token, device="meja-2", method="camera")
    assert online.status_code == 201
    # Desk 1 scanned the same person at 07:58 while its network was down, and syncs now.
    offline = scan(client, headers, token, device="meja-1", method="scanner", scanned_at="2022-06-13T07:58:01+07:00")
    assert offline.status_code == 200
    body = offline.get_json()
    assert (body["result"], body["moved_earlier"]) == ("already_checked_in", True)
    assert (body["checked_in_at"], body["device"]) == ("2022-06-13T07:58:01+07:00", "meja-1")
    [attendance] = attendances()
    assert attendance.checked_in_at == datetime(2022, 6, 13, 0, 58, 1, tzinfo=UTC)
    assert (attendance.device, attendance.method, attendance.operator_id) == ("meja-1", "scanner", operator.id)
    assert scan_log_results() == ["checked_in", "checked_in"]  # both scans are in the log
    # A later offline scan changes nothing.
    later = scan(client, headers, token, device="meja-3", scanned_at="2022-06-13T08:30:00+07:00")
    assert later.status_code == 200 and "moved_earlier" not in later.get_json()
    assert later.get_json()["checked_in_at"] == "2022-06-13T07:58:01+07:00"
    assert attendances()[0].device == "meja-1"


def test_a_day_recorded_after_it_ended_is_late_with_who_and_when(client, make, desk, clock):
    event, operator, headers = desk
    token = make.registration(event).ticket_token
    now = clock(datetime(2022, 6, 14, 10, 0, tzinfo=WIB))
    response = scan(client, headers, token, day="2022-06-13", device="meja-1")
    assert response.status_code == 201
    assert response.get_json()["recorded_late_at"] == "2022-06-14T10:00:00+07:00"
    [attendance] = attendances()
    assert attendance.is_late
    assert (attendance.recorded_late_at, attendance.recorded_late_by_id) == (now, operator.id)
    # Then the desk that really scanned them on the day syncs its queue: no longer late.
    synced = scan(client, headers, token, day="2022-06-13", scanned_at="2022-06-13T08:15:00+07:00")
    assert synced.get_json()["moved_earlier"] is True
    assert "recorded_late_at" not in synced.get_json()
    [attendance] = attendances()
    assert attendance.recorded_late_at is None and attendance.recorded_late_by_id is None


def test_the_admin_page_offers_no_future_day_and_refuses_one(client, admin, make, clock):
    event = make.event()
    registration = make.registration(event)
    day1, day2 = event.days
    clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    page = client.get(f"/admin/acara/{event.slug}/peserta").get_data(as_text=True)
    offered = re.findall(r'name="day" value="(\d+)"><input type="hidden" name="next"[^>]*>\s*'
                         r'<button class="btn btn-small" type="submit">Check-in', page)
    assert offered == [str(day1.id)]
    response = client.post(f"/admin/acara/{event.slug}/peserta/{registration.id}/hadir",
                           data={"day": day2.id, "next": "/admin/"}, follow_redirects=True)
    assert "belum dimulai" in response.get_data(as_text=True)
    assert attendances() == []


def test_the_admins_hadirkan_after_the_day_is_late_and_the_workbook_says_susulan(client, admin, make, clock):
    event = make.event()
    registration = make.registration(event, full_name="Budi Lupa Dipindai")
    day1 = event.days[0]
    clock(datetime(2022, 6, 14, 10, 30, tzinfo=WIB))
    response = client.post(f"/admin/acara/{event.slug}/peserta/{registration.id}/hadir",
                           data={"day": day1.id, "next": "/admin/"}, follow_redirects=True)
    assert "susulan" in response.get_data(as_text=True)
    [attendance] = attendances()
    assert attendance.recorded_late_by_id == admin.id
    assert attendance.recorded_late_at == datetime(2022, 6, 14, 3, 30, tzinfo=UTC)
    stream = io.BytesIO()
    build_attendance_workbook(attendance_data(db.session.get(type(event), event.id)), stream)
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    peserta = [row for row in workbook["Peserta"].iter_rows(min_row=7, values_only=True) if row[1]]
    assert peserta[0][1] == "Budi Lupa Dipindai"
    assert peserta[0][9:11] == ("susulan 14/06/2022 10.30", None)
    day_sheet = [row for row in workbook["Daftar Hadir Hari 1"].iter_rows(min_row=7, values_only=True) if row[1]]
    assert day_sheet[0][5] == "susulan 14/06/2022 10.30"  # no No. HP column unless the committee asks for it
    save_paperwork(event, phone_on_daftar_hadir=True)
    db.session.commit()
    stream = io.BytesIO()
    build_attendance_workbook(attendance_data(db.session.get(type(event), event.id)), stream)
    day1_sheet = load_workbook(io.BytesIO(stream.getvalue()))["Daftar Hadir Hari 1"]
    [row] = [row for row in day1_sheet.iter_rows(min_row=7, values_only=True) if row[1]]
    assert row[5:7] == (registration.phone, "susulan 14/06/2022 10.30")


def test_the_station_offers_only_days_that_have_started(client, make, auth, clock):
    event = make.event()
    make.user()
    auth.login("admin@example.go.id")
    clock(datetime(2022, 6, 13, 9, 0, tzinfo=WIB))
    page = client.get(f"/e/{event.slug}/checkin").get_data(as_text=True)
    assert re.findall(r'<option value="(2022-06-1\d)"', page) == ["2022-06-13"]
    clock(datetime(2022, 6, 14, 9, 0, tzinfo=WIB))
    page = client.get(f"/e/{event.slug}/checkin").get_data(as_text=True)
    assert re.findall(r'<option value="(2022-06-1\d)"', page) == ["2022-06-13", "2022-06-14"]


def test_a_late_record_reads_as_susulan_with_its_date_on_the_ticket_and_the_peserta_page(client, admin, make,
                                                                                          clock):
    event = make.event()
    registration = make.registration(event, full_name="Budi Lupa Dipindai")
    clock(datetime(2022, 6, 14, 10, 30, tzinfo=WIB))
    for day in event.days:  # day 1 after it ended, day 2 on the day
        client.post(f"/admin/acara/{event.slug}/peserta/{registration.id}/hadir", data={"day": day.id})
    ticket = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Dicatat hadir (susulan) pada 14 Juni 2022 10.30 WIB" in ticket
    assert "Sudah hadir, pukul 10.30 WIB" in ticket  # day 2, on its own date
    peserta = client.get(f"/admin/acara/{event.slug}/peserta").get_data(as_text=True)
    assert "susulan 14 Juni 2022 10.30 WIB" in peserta
    mine = client.get(f"/ubah/{registration.edit_token}/data-saya").get_data(as_text=True)
    assert "susulan 14 Juni 2022 10.30 WIB" in mine
