"""Checking a person in for one day, exactly once, and the audit trail of every attempt.

The unique (registration, day) constraint decides who was first: concurrent check-ins
of one ticket all try the INSERT, one wins, the others get an IntegrityError and
answer `already_checked_in` with the winner's time.
"""
from dataclasses import dataclass
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Attendance, EventDay, Registration, ScanLog, utcnow

CHECKED_IN = "checked_in"
ALREADY_CHECKED_IN = "already_checked_in"
UNKNOWN_TICKET = "unknown_ticket"
CANCELLED = "cancelled"
NOT_EVENT_DAY = "not_event_day"
UNDONE = "undone"


@dataclass
class CheckInOutcome:
    result: str
    registration: Registration | None = None
    day: EventDay | None = None
    attendance: Attendance | None = None

    @property
    def accepted(self):
        return self.result in (CHECKED_IN, ALREADY_CHECKED_IN)


def token_from_scan(scanned):
    """The ticket token in what a scanner read: the token itself, or a ticket URL ending in it."""
    text = (scanned or "").strip()
    text = text.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1]


def event_day_for(event, local_date):
    return db.session.execute(
        db.select(EventDay).filter_by(event_id=event.id, date=local_date)
    ).scalar_one_or_none()


def today_in(event, now=None):
    """Today's date where the event takes place: 06:30 WIB on 13 June is 13 June."""
    return (now or utcnow()).astimezone(event.tz).date()


def find_attendance(registration, day):
    return db.session.execute(
        db.select(Attendance).filter_by(registration_id=registration.id, event_day_id=day.id)
    ).scalar_one_or_none()


def log_scan(result, *, registration=None, day=None, event=None, token=None, method=None, device=None,
             operator=None, scanned_at=None):
    entry = ScanLog(
        event_id=(event.id if event else registration.event_id if registration else None),
        registration_id=registration.id if registration else None,
        event_day_id=day.id if day else None,
        token_hint=(token or "")[:6] or None,
        result=result,
        method=method,
        device=device,
        operator_id=operator.id if operator else None,
        scanned_at=scanned_at,
    )
    db.session.add(entry)
    return entry


def check_in(registration, day, *, method, operator=None, device=None, scanned_at=None, now=None):
    """Record that `registration` is present on `day`; the caller commits.

    Call it in a transaction of its own: a lost race rolls the session back.

    Returns a CheckInOutcome: checked_in for the first time, already_checked_in
    (with the first attendance) for a repeat, or cancelled / not_event_day. Every
    call leaves a ScanLog row in the session.
    """
    audit = {"registration": registration, "day": day, "token": registration.ticket_token, "method": method,
             "device": device, "operator": operator, "scanned_at": scanned_at}
    if day is None or day.event_id != registration.event_id:
        log_scan(NOT_EVENT_DAY, **dict(audit, day=None))
        return CheckInOutcome(NOT_EVENT_DAY, registration)
    if not registration.is_active:
        log_scan(CANCELLED, **audit)
        return CheckInOutcome(CANCELLED, registration, day)
    first = find_attendance(registration, day)
    if first is not None:  # the common repeat, answered without a failed INSERT
        log_scan(ALREADY_CHECKED_IN, **audit)
        return CheckInOutcome(ALREADY_CHECKED_IN, registration, day, first)
    attendance = Attendance(
        event_id=registration.event_id,
        registration_id=registration.id,
        event_day_id=day.id,
        # An offline scan counts from when it was taken, not from when it reached us.
        checked_in_at=min(scanned_at, now or utcnow()) if scanned_at else (now or utcnow()),
        method=method,
        operator_id=operator.id if operator else None,
        device=device,
        scanned_at=scanned_at,
    )
    db.session.add(attendance)
    # Both rows in one flush: the write lock is taken as late and held as briefly as possible.
    log_scan(CHECKED_IN, **audit)
    try:
        db.session.flush()
    except IntegrityError:
        # Another desk checked the same ticket in between our look and our INSERT.
        db.session.rollback()
        first = find_attendance(registration, day)
        if first is None:
            raise
        log_scan(ALREADY_CHECKED_IN, **audit)
        return CheckInOutcome(ALREADY_CHECKED_IN, registration, day, first)
    return CheckInOutcome(CHECKED_IN, registration, day, attendance)


def undo_check_in(registration, day, *, operator=None, device=None):
    """Remove a person's check-in for `day` (a mistake at the desk). Returns True if there was one."""
    attendance = find_attendance(registration, day)
    if attendance is None:
        return False
    db.session.delete(attendance)
    log_scan(UNDONE, registration=registration, day=day, token=registration.ticket_token, method="manual",
             device=device, operator=operator)
    return True
