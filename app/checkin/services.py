"""Checking a person in for one day, exactly once, and the audit trail of every attempt.

The unique (registration, day) constraint decides who was first: concurrent check-ins
of one ticket all try `INSERT … ON CONFLICT (registration_id, event_day_id) DO NOTHING`,
one inserts a row, the others insert nothing and answer `already_checked_in` with the
winner's time. Plain SQL statements (SQLAlchemy Core) rather than the ORM's unit of
work: a scan is the hottest write of the app.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Row, create_engine

from app.extensions import db
from app.models import Attendance, EventDay, Registration, ScanLog, utcnow
from app.timezones import today_in

CHECKED_IN = "checked_in"
ALREADY_CHECKED_IN = "already_checked_in"
UNKNOWN_TICKET = "unknown_ticket"
CANCELLED = "cancelled"
TRANSFERRED = "transferred"
NOT_EVENT_DAY = "not_event_day"
FUTURE_DAY = "future_day"
UNDONE = "undone"


@dataclass
class CheckInOutcome:
    result: str
    registration: Registration | None = None
    day: EventDay | None = None
    attendance: Row | None = None  # the attendance's _ANSWERED columns (a Core row, not an ORM object)
    moved_earlier: bool = False  # this scan was taken before the one recorded, and replaced it

    @property
    def accepted(self):
        return self.result in (CHECKED_IN, ALREADY_CHECKED_IN)


def token_from_scan(scanned):
    """The ticket token in what a scanner read: the token itself, or a ticket URL ending in it."""
    text = (scanned or "").strip()
    text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1]


ATTENDANCES = Attendance.__table__
SCAN_LOGS = ScanLog.__table__
_INSERTED = [column for column in ATTENDANCES.c if column.key != "id"]
# What a scan's answer and the offline path read of the attendance (CheckInOutcome.attendance): fewer
# columns returned, fewer for the driver to describe on every scan.
_ANSWERED = [ATTENDANCES.c[name] for name in ("id", "checked_in_at", "device", "scanned_at", "recorded_late_at")]
# SQLite ≥ 3.35 and PostgreSQL both speak ON CONFLICT … DO NOTHING RETURNING (nothing is
# returned when the row exists). Written as text because SQLAlchemy 2.0 cannot cache the
# compiled form of its dialect-specific on_conflict inserts: it would compile one per scan.
# The returned row is read with the columns' own types, like _FIND_ATTENDANCE's.
_FIRST_INSERT_SQL = (
    f"INSERT INTO {ATTENDANCES.name} ({', '.join(column.name for column in _INSERTED)}) "
    f"VALUES ({', '.join(':' + column.key for column in _INSERTED)}) "
    "ON CONFLICT (registration_id, event_day_id) DO NOTHING "
    f"RETURNING {', '.join(column.name for column in _ANSWERED)}"
)
_FIRST_INSERT = db.text(_FIRST_INSERT_SQL).bindparams(
    *(db.bindparam(column.key, type_=column.type) for column in _INSERTED)
).columns(*_ANSWERED)
_FIND_ATTENDANCE = db.select(*_ANSWERED).where(
    ATTENDANCES.c.registration_id == db.bindparam("registration_id"),
    ATTENDANCES.c.event_day_id == db.bindparam("event_day_id"),
)
_MOVED = ("checked_in_at", "method", "operator_id", "device", "scanned_at", "recorded_late_at", "recorded_late_by_id")
_MOVE_EARLIER = (
    ATTENDANCES.update()
    .where(ATTENDANCES.c.id == db.bindparam("attendance_id"),
           ATTENDANCES.c.checked_in_at > db.bindparam("new_checked_in_at"))
    .values({name: db.bindparam(f"new_{name}") for name in _MOVED})
    .returning(*_ANSWERED)
)
# No RETURNING of the new id: nobody reads it.
_LOG_INSERT = SCAN_LOGS.insert().inline()
_LOGGED = ("event_id", "registration_id", "event_day_id", "token_hint", "result", "method", "device", "operator_id",
           "scanned_at", "created_at")
_LOGGED_VALUES = (":" + name if name != "result" else
                  "CASE WHEN EXISTS (SELECT FROM attendance) THEN :result ELSE :result_repeat END" for name in _LOGGED)
# On PostgreSQL both INSERTs of a scan taken online are one statement, one round trip: the scan log's row
# says `result` (checked_in) if the attendance row was inserted, `result_repeat` if it was there already.
_FIRST_INSERT_LOGGED = db.text(
    f"WITH attendance AS ({_FIRST_INSERT_SQL}), "
    f"logged AS (INSERT INTO {SCAN_LOGS.name} ({', '.join(_LOGGED)}) SELECT {', '.join(_LOGGED_VALUES)}) "
    "SELECT * FROM attendance"
).bindparams(
    *(db.bindparam(column.key, type_=column.type) for column in _INSERTED),
    *(db.bindparam(name, type_=SCAN_LOGS.c[column].type)
      for name, column in (("token_hint", "token_hint"), ("result", "result"), ("result_repeat", "result"))),
).columns(*_ANSWERED)


@contextmanager
def scan_connection(*, autocommit):
    """The connection a scan's statements run on (find_scanned_ticket, check_in), committed when the
    block ends: the scan's writes are durable before the desk is told, and a refused ticket's scan log
    is kept though the answer is a 4xx (which rolls the Session back).

    With `autocommit` (a scan taken online whose event and operator are settled: the block reads
    nothing through the Session) on PostgreSQL, and the request's Session still unused (an API token
    and the event remembered, app/cache.py), the connection is one of _autocommit_engine's: no BEGIN
    and COMMIT round trips and none of the Session's bookkeeping, as each of its writes is one statement
    (_FIRST_INSERT_LOGGED, or a refused ticket's scan log INSERT), atomic by itself. Otherwise it is the
    Session's connection and transaction: on SQLite (where a statement costs no round trip), for an
    offline scan (whose writes can be several statements), and when the Session holds a connection
    already (a login session's user, a cache miss), so that a request holds one connection at a time.
    """
    if autocommit and db.engine.dialect.name == "postgresql" and not db.session().in_transaction():
        with _autocommit_engine().connect() as connection:
            yield connection
        return
    yield db.session.connection()
    db.session.commit()


_AUTOCOMMIT_ENGINE = "hadir.autocommit_engine"
_creating = threading.Lock()


def _autocommit_engine():
    """The app's database once more, as an engine whose connections are in autocommit for good
    (SQLAlchemy's isolation_level "AUTOCOMMIT" given to create_engine, and pool_reset_on_return=None
    as its pooling docs advise for autocommit connections): a checkout sets and resets nothing.
    Made on the first such scan, with the app's engine options; kept in app.extensions."""
    engine = current_app.extensions.get(_AUTOCOMMIT_ENGINE)
    if engine is None:
        with _creating:
            engine = current_app.extensions.get(_AUTOCOMMIT_ENGINE)
            if engine is None:
                engine = current_app.extensions[_AUTOCOMMIT_ENGINE] = create_engine(
                    db.engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None,
                    **current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    return engine


def event_day_for(event, local_date):
    return db.session.execute(
        db.select(EventDay).filter_by(event_id=event.id, date=local_date)
    ).scalar_one_or_none()


def find_attendance(registration, day):
    return db.session.execute(
        db.select(Attendance).filter_by(registration_id=registration.id, event_day_id=day.id)
    ).scalar_one_or_none()


def log_scan(result, *, connection=None, **audit):
    """Write a ScanLog row on `connection` (the Session's by default; committed by the caller)."""
    (connection or db.session.connection()).execute(_LOG_INSERT, _log_row(result, **audit))


def _log_row(result, *, registration=None, day=None, event=None, token=None, method=None, device=None,
             operator=None, scanned_at=None):
    return {
        "event_id": event.id if event else registration.event_id if registration else None,
        "registration_id": registration.id if registration else None,
        "event_day_id": day.id if day else None,
        "token_hint": (token or "")[:6] or None,
        "result": result,
        "method": method,
        "device": device,
        "operator_id": operator.id if operator else None,
        "scanned_at": scanned_at,
        "created_at": utcnow(),
    }


def check_in(registration, day, *, method, operator=None, device=None, scanned_at=None, now=None,
             connection=None):
    """Record that `registration` is present on `day`; the caller commits.

    `registration` is a Registration or the API's DeskTicket (id, event_id, ticket_token,
    is_active); `day` an EventDay or the API's DeskDay (id, event_id, date, tz). The statements
    are SQLAlchemy Core on `connection` (scan_connection's), by default the Session's: the request's one
    transaction.
    Returns a CheckInOutcome: checked_in for the first time, already_checked_in (with the
    attendance) for a repeat, or not_event_day / future_day (the day has not started in the
    event's time zone) / cancelled, or transferred (the seat was handed over; no registration in the
    outcome). Every call leaves a ScanLog row in the transaction.

    The earliest scan of a person on a day is the attendance: an offline scan (`scanned_at`)
    taken before the one recorded replaces its time, device, operator and method
    (`moved_earlier`); both stay in the scan log. A day recorded after it ended, other than by
    a scan taken on it, is marked late ("susulan"): recorded_late_at and recorded_late_by.
    Statements: the attendance INSERT (plus a SELECT of the first one for a repeat, and an
    UPDATE when this scan is the earlier one) and the scan log INSERT; for a scan taken online
    on PostgreSQL both INSERTs are one statement.
    """
    connection = connection or db.session.connection()
    audit = {"registration": registration, "day": day, "token": registration.ticket_token, "method": method,
             "device": device, "operator": operator, "scanned_at": scanned_at}
    if registration.is_transferred:
        # The seat changed hands: the answer names nobody (neither holder), whatever the day.
        log_scan(TRANSFERRED, connection=connection, **audit)
        return CheckInOutcome(TRANSFERRED)
    if day is None or day.event_id != registration.event_id:
        log_scan(NOT_EVENT_DAY, connection=connection, **dict(audit, day=None))
        return CheckInOutcome(NOT_EVENT_DAY, registration)
    now = now or utcnow()
    if day.date > today_in(day, now):
        log_scan(FUTURE_DAY, connection=connection, **audit)
        return CheckInOutcome(FUTURE_DAY, registration, day)
    if not registration.is_active:
        log_scan(CANCELLED, connection=connection, **audit)
        return CheckInOutcome(CANCELLED, registration, day)
    # An offline scan counts from when it was taken, not from when it reached us.
    checked_in_at = min(scanned_at, now) if scanned_at else now
    late = today_in(day, checked_in_at) != day.date
    values = {
        "event_id": registration.event_id,
        "registration_id": registration.id,
        "event_day_id": day.id,
        "checked_in_at": checked_in_at,
        "method": method,
        "operator_id": operator.id if operator else None,
        "device": device,
        "scanned_at": scanned_at,
        "created_at": now,
        "recorded_late_at": now if late else None,
        "recorded_late_by_id": operator.id if late and operator else None,
    }
    # The log row is made ready first: from the attendance INSERT to the commit, other writers wait.
    logged = _log_row(CHECKED_IN, **audit)
    if scanned_at is None and connection.dialect.name == "postgresql":
        # Taken online, on PostgreSQL: both INSERTs in one statement (one round trip), a repeat's
        # attendance read after it. (Online scans cannot be earlier than the one recorded.)
        row = connection.execute(_FIRST_INSERT_LOGGED, dict(
            values, token_hint=logged["token_hint"], result=CHECKED_IN, result_repeat=ALREADY_CHECKED_IN)).first()
        if row is not None:
            return CheckInOutcome(CHECKED_IN, registration, day, row)
        return CheckInOutcome(ALREADY_CHECKED_IN, registration, day, connection.execute(_FIND_ATTENDANCE, values).one())
    row = connection.execute(_FIRST_INSERT, values).first()
    result, moved_earlier = CHECKED_IN, False
    if row is None:
        # Someone was first: a repeat, or another desk a moment ago (its row is committed by now:
        # PostgreSQL made our INSERT wait for it, SQLite lets one writer in at a time).
        result = logged["result"] = ALREADY_CHECKED_IN
        row = connection.execute(_FIND_ATTENDANCE, values).one()
        if scanned_at is not None and checked_in_at < row.checked_in_at:
            # Taken offline before the recorded one, and synced after it: this scan is the attendance
            # now. (Online scans are in the order the database took them: the first INSERT wins.)
            # The condition keeps the earliest whatever order concurrent ones commit in.
            moved = {f"new_{name}": values[name] for name in _MOVED}
            earlier = connection.execute(_MOVE_EARLIER, dict(moved, attendance_id=row.id)).first()
            if earlier is not None:
                row, moved_earlier, logged["result"] = earlier, True, CHECKED_IN
    connection.execute(_LOG_INSERT, logged)
    return CheckInOutcome(result, registration, day, row, moved_earlier)


def undo_check_in(registration, day, *, operator=None, device=None):
    """Remove a person's check-in for `day` (a mistake at the desk). Returns True if there was one."""
    attendance = find_attendance(registration, day)
    if attendance is None:
        return False
    db.session.delete(attendance)
    log_scan(UNDONE, registration=registration, day=day, token=registration.ticket_token, method="manual",
             device=device, operator=operator)
    return True
