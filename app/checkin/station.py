"""What a check-in desk needs besides the rule itself: the ticket, the day, counts, search, the offline copy."""
import hashlib
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_

from app.checkin.desk import find_desk_ticket
from app.checkin.services import UNKNOWN_TICKET, log_scan, token_from_scan
from app.extensions import db
from app.models import STATUS_REGISTERED, STATUS_TRANSFERRED, Attendance, Organization, Registration
from app.registration.services import count_active
from app.timezones import today_in
from app.values import InvalidValue, clean_nip

SEARCH_LIMIT = 20


def find_scanned_ticket(scanned, *, event=None, audit, connection=None):
    """The registration behind what a scanner read (a DeskTicket), or None (logged as unknown_ticket),
    read and logged on `connection` (scan_connection's; the Session's by default).

    With `event` given (the desk's event), a ticket of another event is unknown here:
    the desk learns nothing about people of events it does not serve.
    """
    token = token_from_scan(scanned)
    registration = find_desk_ticket(token, connection)
    if registration is not None and (event is None or registration.event_id == event.id):
        return registration
    log_scan(UNKNOWN_TICKET, connection=connection, event=event, token=token, **audit)
    return None


def scan_date(event, local_date=None, *, scanned_at=None):
    """(the date a check-in is for, errors by field): the date asked, else the day the scan was
    taken (offline) or today, in the event's time zone.

    A scan time before the event's first day, or on another date than the one asked, is an
    error: a desk whose clock is days off must not file people under another day. (One ahead of
    the server's clock is refused when the request is read, app/api/schemas.py.) Whether the
    date is a day of the event that has started is check_in()'s to say.
    """
    errors = {}
    if scanned_at is not None:
        scanned_on = today_in(event, scanned_at)
        if event.days and scanned_on < min(day.date for day in event.days):
            errors["scanned_at"] = [_("Waktu pindai lebih awal dari hari pertama acara.")]
        elif local_date is not None and scanned_on != local_date:
            errors["scanned_at"] = [_("Waktu pindai jatuh pada tanggal lain (%(scanned)s) dari hari yang dikirim "
                                      "(%(day)s).", scanned=scanned_on.isoformat(), day=local_date.isoformat())]
    return local_date or today_in(event, scanned_at), errors


def day_counts(event, day):
    """(present on `day`, registered): the numbers the desk shows."""
    present = 0
    if day is not None:
        present = db.session.execute(
            db.select(func.count()).select_from(Attendance).where(Attendance.event_day_id == day.id)
        ).scalar_one()
    return present, count_active(event, seats_only=False)


def ticket_hash(token):
    """What the offline copy is keyed by: the desk hashes what it scans and looks the hash up."""
    return hashlib.sha256(token.encode()).hexdigest()


# A change committed a moment after a copy was made may carry a time a little before it (its
# transaction began earlier): a copy's changes are asked from this much before its version.
ROSTER_OVERLAP = timedelta(seconds=30)


def roster_validator(event):
    """A weak ETag for the event's copy as it stands: it changes when a registration is added or
    changed (cancelled, renamed, moved to another OPD) and when an attendance is added or removed.
    Two aggregate queries, no row read: an unchanged refresh costs the desk a 304 and no body."""
    registrations = db.session.execute(
        db.select(func.count(), func.max(Registration.id), func.max(Registration.updated_at))
        .where(Registration.event_id == event.id)
    ).one()
    attendances = db.session.execute(
        db.select(func.count(), func.max(Attendance.id)).where(Attendance.event_id == event.id)
    ).one()
    days = [(day.id, day.date.isoformat()) for day in event.days]
    state = repr((tuple(registrations), tuple(attendances), days, event.timezone)).encode()
    return "r" + hashlib.sha256(state).hexdigest()[:24]


def roster(event, since=None):
    """The offline copy of the event's tickets: no NIP, phone or e-mail, and no token either.

    With `since` (a UTC moment, the version of the desk's copy), only the tickets that changed from
    ROSTER_OVERLAP before it: registered, changed or cancelled since, or checked in since.
    """
    days = {day.id: day.date.isoformat() for day in event.days}
    registrations = db.select(Registration.id).where(Registration.event_id == event.id)
    if since is not None:
        since = since - ROSTER_OVERLAP
        changed = db.select(Attendance.registration_id).where(Attendance.event_id == event.id,
                                                              Attendance.created_at >= since)
        registrations = registrations.where(or_(Registration.updated_at >= since, Registration.id.in_(changed)))
    checked_in: dict[int, dict[str, object]] = {}
    attendances = db.select(Attendance.registration_id, Attendance.event_day_id, Attendance.checked_in_at).where(
        Attendance.event_id == event.id)
    if since is not None:
        attendances = attendances.where(Attendance.registration_id.in_(registrations))
    for registration_id, day_id, moment in db.session.execute(attendances):
        checked_in.setdefault(registration_id, {})[days[day_id]] = moment
    rows = db.session.execute(
        db.select(Registration.id, Registration.ticket_token, Registration.full_name, Registration.position,
                  Registration.status, Organization.name)
        .join(Organization, Registration.organization_id == Organization.id)
        .where(Registration.id.in_(registrations))
        .order_by(Registration.full_name)
    )
    return [
        {"hash": ticket_hash(token), "id": registration_id, "full_name": full_name, "position": position,
         "organization": organization, "status": status, "checked_in": checked_in.get(registration_id, {})}
        if status != STATUS_TRANSFERRED else
        # A seat handed over names nobody offline either, as the API's 409 `transferred` does not.
        {"hash": ticket_hash(token), "id": registration_id, "full_name": "", "position": "", "organization": "",
         "status": status, "checked_in": {}}
        for registration_id, token, full_name, position, status, organization in rows
    ]


def search_registrations(event, text, limit=SEARCH_LIMIT):
    """Registrations whose name contains `text`, or whose NIP is the whole NIP typed (18 digits).

    Only a whole NIP matches: were part of one enough, an operator could read any NIP digit by
    digit from which searches find someone, while they may see its last four digits only.
    """
    text = (text or "").strip()
    if len(text) < 2:
        return []
    conditions = [func.lower(Registration.full_name).contains(text.lower(), autoescape=True)]
    try:
        nip = clean_nip(text)
    except InvalidValue:
        nip = None
    if nip:
        conditions.append(Registration.nip == nip)
    return db.session.execute(
        db.select(Registration)
        .where(Registration.event_id == event.id, or_(*conditions))
        .order_by(Registration.status != STATUS_REGISTERED, Registration.full_name)
        .limit(limit)
    ).scalars().all()


def attendances_on(day, registrations):
    """{registration id: Attendance} for these registrations on `day`."""
    ids = [registration.id for registration in registrations]
    if day is None or not ids:
        return {}
    found = db.session.execute(
        db.select(Attendance).where(Attendance.event_day_id == day.id, Attendance.registration_id.in_(ids))
    ).scalars()
    return {attendance.registration_id: attendance for attendance in found}
