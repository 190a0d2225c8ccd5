"""POST /api/v1/checkins, row by row of DESIGN.md's contract table, on SQLite and PostgreSQL."""
import threading
from datetime import UTC, date, datetime

import pytest

from app.extensions import db
from app.models import STATUS_CANCELLED, Attendance, ScanLog
from tests.concurrency import run_in_threads


def post(client, headers, **body):
    return client.post("/api/v1/checkins", json=body, headers=headers)


def attendances():
    return db.session.execute(db.select(Attendance)).scalars().all()


def scan_logs():
    return db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()


def test_201_checked_in_with_participant_day_and_time(client, make, desk):
    event, operator, headers = desk
    registration = make.registration(event, full_name="Siti Aminah", position="Analis Kebijakan")
    response = post(client, headers, token=registration.ticket_token, day="2022-06-13", device="meja-1")
    assert response.status_code == 201
    body = response.get_json()
    assert body["result"] == "checked_in"
    assert body["participant"]["full_name"] == "Siti Aminah"
    assert body["participant"]["organization"] == "Dinas Contoh 1"
    assert body["participant"]["position"] == "Analis Kebijakan"
    assert body["day"] == "2022-06-13" and body["day_number"] == 1
    assert body["checked_in_at"].endswith("+07:00")
    assert registration.nip not in response.get_data(as_text=True)
    assert body["participant"]["masked_nip"].endswith(registration.nip[-4:])
    [attendance] = attendances()
    assert (attendance.method, attendance.device, attendance.operator_id) == ("scanner", "meja-1", operator.id)
    [log] = scan_logs()
    assert (log.result, log.operator_id, log.device, log.event_id) == ("checked_in", operator.id, "meja-1", event.id)


def test_200_already_checked_in_carries_the_first_time(client, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    first = post(client, headers, token=token, day="2022-06-13", device="meja-1").get_json()
    again = post(client, headers, token=token, day="2022-06-13", device="meja-2")
    assert again.status_code == 200
    body = again.get_json()
    assert body["result"] == "already_checked_in"
    assert body["checked_in_at"] == first["checked_in_at"]
    assert body["participant"]["full_name"]
    assert len(attendances()) == 1
    assert [log.device for log in scan_logs()] == ["meja-1", "meja-2"]


def test_the_next_day_is_a_new_check_in(client, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    assert post(client, headers, token=token, day="2022-06-13").status_code == 201
    response = post(client, headers, token=token, day="2022-06-14")
    assert response.status_code == 201 and response.get_json()["day_number"] == 2


def test_404_unknown_ticket_is_logged(client, make, desk):
    event, operator, headers = desk
    response = post(client, headers, token="not-a-real-ticket-token", event=event.slug, device="meja-1")
    assert response.status_code == 404
    assert response.get_json() == {"result": "unknown_ticket"}
    [log] = scan_logs()
    assert (log.result, log.event_id, log.operator_id, log.token_hint) == (
        "unknown_ticket", event.id, operator.id, "not-a-"
    )


def test_a_ticket_of_another_event_is_unknown_at_this_events_desk(client, make, desk):
    event, _operator, headers = desk
    other = make.event(slug="lain", dates=(date(2022, 6, 13),))
    stranger = make.registration(other)
    response = post(client, headers, token=stranger.ticket_token, event=event.slug, day="2022-06-13")
    assert response.status_code == 404
    assert response.get_json() == {"result": "unknown_ticket"}
    assert stranger.full_name not in response.get_data(as_text=True)
    assert attendances() == []
    # Without naming the event, the ticket's own event decides, and this operator does not work there:
    # outside one's scope an event does not exist (404).
    assert post(client, headers, token=stranger.ticket_token, day="2022-06-13").status_code == 404
    assert attendances() == []


def test_409_cancelled(client, make, desk):
    event, _operator, headers = desk
    registration = make.registration(event)
    registration.status = STATUS_CANCELLED
    db.session.commit()
    response = post(client, headers, token=registration.ticket_token, day="2022-06-13")
    assert response.status_code == 409
    body = response.get_json()
    assert body["result"] == "cancelled"
    assert body["participant"]["full_name"] == registration.full_name
    assert attendances() == []
    assert scan_logs()[0].result == "cancelled"


def test_409_not_event_day(client, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    response = post(client, headers, token=token, day="2022-06-15")
    assert response.status_code == 409
    assert response.get_json()["result"] == "not_event_day"
    assert response.get_json()["day"] == "2022-06-15"
    assert attendances() == []
    assert scan_logs()[0].result == "not_event_day"


@pytest.mark.parametrize("body, field", [
    ({}, "token"),
    ({"token": ""}, "token"),
    ({"token": 42}, "token"),
    ({"token": "x" * 1001}, "token"),
    ({"token": "abc", "day": "13-06-2022"}, "day"),
    ({"token": "abc", "day": "2022-02-30"}, "day"),
    ({"token": "abc", "scanned_at": "2022-06-13T07:58:01"}, "scanned_at"),
    ({"token": "abc", "scanned_at": "kemarin"}, "scanned_at"),
    ({"token": "abc", "method": "telepati"}, "method"),
    ({"token": "abc", "device": ["meja"]}, "device"),
    ({"token": "abc", "event": "tidak-ada"}, "event"),
    (["token"], "body"),
])
def test_400_invalid_request_names_the_field(client, desk, body, field):
    _event, _operator, headers = desk
    response = client.post("/api/v1/checkins", json=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["result"] == "invalid_request"
    assert field in response.get_json()["errors"]


def test_400_for_a_body_that_is_not_json(client, desk):
    _event, _operator, headers = desk
    response = client.post("/api/v1/checkins", data="token=abc", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["result"] == "invalid_request"


def test_401_without_credentials_or_with_a_wrong_token(client, make, desk):
    event, _operator, _headers = desk
    token = make.registration(event).ticket_token
    assert client.post("/api/v1/checkins", json={"token": token}).status_code == 401
    wrong = client.post("/api/v1/checkins", json={"token": token}, headers={"Authorization": "Bearer hdr_nope"})
    assert wrong.status_code == 401
    assert wrong.get_json()["status"] == 401
    assert attendances() == []


def test_404_for_an_operator_of_another_event(client, make, desk):
    event, _operator, _headers = desk
    token = make.registration(event).ticket_token
    outsider = make.user("lain@example.go.id", role="operator")
    headers = {"Authorization": f"Bearer {make.api_token(outsider)}"}
    assert post(client, headers, token=token, day="2022-06-13").status_code == 404
    assert post(client, headers, token=token, event=event.slug, day="2022-06-13").status_code == 404
    assert client.get(f"/api/v1/events/{event.slug}/roster", headers=headers).status_code == 404
    assert attendances() == []


def test_an_admin_may_check_in_at_every_event(client, make, desk):
    event, _operator, _headers = desk
    token = make.registration(event).ticket_token
    headers = {"Authorization": f"Bearer {make.api_token(make.user())}"}
    assert post(client, headers, token=token, day="2022-06-13").status_code == 201


def test_the_session_needs_the_csrf_header(app, client, auth, make, desk):
    event, _operator, _headers = desk
    token = make.registration(event).ticket_token
    auth.login("meja@example.go.id")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/e/{event.slug}/checkin").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    refused = client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"})
    assert refused.status_code == 400 and "csrf" in refused.get_json()["errors"]
    assert attendances() == []
    accepted = client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"},
                           headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 201


def test_the_day_defaults_to_today_in_the_event_time_zone(client, make, desk, monkeypatch):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    # 06:30 WIB on 13 June is still 12 June in UTC.
    for where in ("app.checkin.services.utcnow", "app.timezones.utcnow"):
        monkeypatch.setattr(where, lambda: datetime(2022, 6, 12, 23, 30, tzinfo=UTC))
    body = post(client, headers, token=token).get_json()
    assert (body["result"], body["day"], body["day_number"]) == ("checked_in", "2022-06-13", 1)
    assert body["checked_in_at"] == "2022-06-13T06:30:00+07:00"


def test_an_offline_scan_synced_later_keeps_its_time_and_day(client, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    response = post(client, headers, token=f"http://hadir.local/tiket/{token}", scanned_at="2022-06-13T07:58:01+07:00",
                    method="camera")
    assert response.status_code == 201
    assert response.get_json()["checked_in_at"] == "2022-06-13T07:58:01+07:00"
    [attendance] = attendances()
    assert attendance.scanned_at == datetime(2022, 6, 13, 0, 58, 1, tzinfo=UTC)
    assert attendance.method == "camera"


def test_sixteen_desks_sending_one_token_at_once(app, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    db.session.commit()
    barrier = threading.Barrier(16, timeout=30)
    statuses, errors = [], []

    def scanner(n):
        client = app.test_client()
        try:
            barrier.wait()
            response = post(client, headers, token=token, day="2022-06-13", device=f"meja-{n}")
            statuses.append((response.status_code, response.get_json()["result"]))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))

    run_in_threads(scanner, [(n,) for n in range(16)])
    assert errors == []
    assert sorted(statuses) == [(200, "already_checked_in")] * 15 + [(201, "checked_in")]
    db.session.expire_all()
    assert len(attendances()) == 1
    assert len(scan_logs()) == 16


def test_a_token_is_marked_used_at_most_once_a_minute(client, make, desk, monkeypatch):
    # Writing last_used_at on every scan would make every desk sharing a token queue on one row.
    from app.models import ApiToken

    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    post(client, headers, token=token, day="2022-06-13")
    first = db.session.execute(db.select(ApiToken.last_used_at)).scalar_one()
    assert first is not None
    post(client, headers, token=token, day="2022-06-13")
    assert db.session.execute(db.select(ApiToken.last_used_at)).scalar_one() == first
    later = first.replace(year=first.year + 1)
    monkeypatch.setattr("app.auth.services.utcnow", lambda: later)
    post(client, headers, token=token, day="2022-06-13")
    assert db.session.execute(db.select(ApiToken.last_used_at)).scalar_one() == later


@pytest.mark.parametrize("scanned_at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                        "9999-12-31T23:59:59+00:00", "1970-01-01T00:00:00+00:00"])
def test_a_scan_time_from_a_broken_clock_is_refused_not_a_500(client, make, desk, scanned_at):
    event, _operator, headers = desk
    registration = make.registration(event)
    for token in (registration.ticket_token, "BUKAN-TIKET"):
        response = post(client, headers, token=token, scanned_at=scanned_at)
        assert response.status_code == 400
        assert "scanned_at" in response.get_json()["errors"]
    manual = client.post(f"/api/v1/events/{event.slug}/registrations/{registration.id}/checkins",
                         json={"scanned_at": scanned_at}, headers=headers)
    assert manual.status_code == 400
    assert attendances() == []


def test_api_answers_are_never_cached(client, make, desk):
    event, _operator, headers = desk
    registration = make.registration(event)
    for response in (
        client.post("/api/v1/checkins", json={"token": registration.ticket_token}, headers=headers),
        client.post("/api/v1/checkins", json={"token": "nope"}, headers=headers),
        client.get(f"/api/v1/events/{event.slug}/counts", headers=headers),
        client.get(f"/api/v1/events/{event.slug}/registrations?q=Peserta", headers=headers),
    ):
        assert response.headers["Cache-Control"] == "private, no-store"
