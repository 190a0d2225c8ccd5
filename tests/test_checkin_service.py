"""The check-in rule itself, without HTTP: once per person per day, whoever scans first."""
import threading
from datetime import UTC, date, datetime, timedelta

from app.checkin.services import (
    ALREADY_CHECKED_IN,
    CANCELLED,
    CHECKED_IN,
    NOT_EVENT_DAY,
    check_in,
    event_day_for,
    token_from_scan,
    undo_check_in,
)
from app.extensions import db
from app.models import STATUS_CANCELLED, Attendance, Registration, ScanLog
from app.timezones import today_in
from tests.concurrency import run_in_threads


def attendance_count():
    return db.session.execute(db.select(db.func.count()).select_from(Attendance)).scalar_one()


def test_first_scan_checks_in_and_a_repeat_answers_the_first_time(make):
    event = make.event()
    registration = make.registration(event)
    day = event.days[0]
    first = check_in(registration, day, method="scanner", device="meja-1")
    db.session.commit()
    assert first.result == CHECKED_IN
    repeat = check_in(registration, day, method="camera", device="meja-2")
    db.session.commit()
    assert repeat.result == ALREADY_CHECKED_IN
    assert repeat.attendance.checked_in_at == first.attendance.checked_in_at
    assert repeat.attendance.device == "meja-1"
    assert attendance_count() == 1
    results = db.session.execute(db.select(ScanLog.result).order_by(ScanLog.id)).scalars().all()
    assert results == [CHECKED_IN, ALREADY_CHECKED_IN]


def test_each_day_is_its_own_check_in(make):
    event = make.event()
    registration = make.registration(event)
    assert check_in(registration, event.days[0], method="manual").result == CHECKED_IN
    assert check_in(registration, event.days[1], method="manual").result == CHECKED_IN
    db.session.commit()
    assert attendance_count() == 2


def test_cancelled_and_other_events_days_are_refused(make):
    event = make.event()
    other = make.event(slug="lain", dates=(date(2022, 7, 1),))
    registration = make.registration(event)
    assert check_in(registration, other.days[0], method="manual").result == NOT_EVENT_DAY
    assert check_in(registration, None, method="manual").result == NOT_EVENT_DAY
    registration.status = STATUS_CANCELLED
    db.session.commit()
    assert check_in(registration, event.days[0], method="manual").result == CANCELLED
    db.session.commit()
    assert attendance_count() == 0
    assert db.session.execute(db.select(db.func.count()).select_from(ScanLog)).scalar_one() == 3


def test_an_offline_scan_keeps_the_time_it_was_taken(make):
    event = make.event()
    registration = make.registration(event)
    scanned = datetime(2022, 6, 13, 0, 58, 1, tzinfo=UTC)
    outcome = check_in(registration, event.days[0], method="camera", scanned_at=scanned,
                       now=scanned + timedelta(minutes=40))
    db.session.commit()
    assert outcome.attendance.checked_in_at == scanned
    assert outcome.attendance.scanned_at == scanned


def test_undo_removes_the_check_in_and_logs_who_did_it(make):
    event = make.event()
    admin = make.user()
    registration = make.registration(event)
    check_in(registration, event.days[0], method="manual", operator=admin)
    db.session.commit()
    assert undo_check_in(registration, event.days[0], operator=admin) is True
    db.session.commit()
    assert attendance_count() == 0
    assert undo_check_in(registration, event.days[0], operator=admin) is False
    last = db.session.execute(db.select(ScanLog).order_by(ScanLog.id.desc())).scalars().first()
    assert (last.result, last.operator_id) == ("undone", admin.id)


def test_today_is_the_event_timezone_date():
    class Jakarta:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo("Asia/Jakarta")

    # 06:30 WIB on 13 June is still 12 June in UTC.
    assert today_in(Jakarta, datetime(2022, 6, 12, 23, 30, tzinfo=UTC)) == date(2022, 6, 13)


def test_a_scanned_ticket_url_gives_its_token():
    assert token_from_scan("abcDEF_-123") == "abcDEF_-123"
    assert token_from_scan(" https://hadir.example/tiket/abcDEF_-123?baru=1 ") == "abcDEF_-123"
    assert token_from_scan("https://hadir.example/tiket/abcDEF_-123/") == "abcDEF_-123"


def test_sixteen_desks_scanning_one_ticket_at_once_check_in_exactly_once(app, make):
    event = make.event()
    registration_id, day_id = make.registration(event).id, event.days[0].id
    barrier = threading.Barrier(16, timeout=30)
    results, errors = [], []

    def desk(n):
        with app.app_context():
            try:
                registration = db.session.get(Registration, registration_id)
                day = event_day_for(registration.event, date(2022, 6, 13))
                assert day.id == day_id
                db.session.commit()  # give the connection back: the pool holds fewer than 16
                barrier.wait()
                outcome = check_in(registration, day, method="scanner", device=f"meja-{n}")
                db.session.commit()
                results.append(outcome.result)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(repr(error))

    run_in_threads(desk, [(n,) for n in range(16)])
    assert errors == []
    assert sorted(results) == [ALREADY_CHECKED_IN] * 15 + [CHECKED_IN]
    assert attendance_count() == 1
