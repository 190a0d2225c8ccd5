"""The edit link: a participant corrects their data, cancels, or hands the seat to a colleague.

The edit link's token is a second secret (Registration.edit_token), never the QR's. Every change is
recorded with its time and the values before it (RegistrationChange), for the committee. Changes stay
open until the person has checked in (the seat is then taken by whoever came), and at the latest until
the event's edits_close_at when the committee set one, else the end of the last event day: a Kabid who
sends a substitute on the morning of day 1 can still hand the seat over.
"""
import json

from app.admin.participants import update_registration
from app.extensions import db
from app.messages.outbox import enqueue
from app.models import (
    CHANNEL_EMAIL,
    KIND_CONFIRMATION,
    STATUS_CANCELLED,
    Attendance,
    Organization,
    Registration,
    RegistrationChange,
    new_ticket_token,
    utcnow,
)
from app.models.registration import BASIS_CONSENT
from app.registration.services import stored_or_refused

FIELDS = ("full_name", "nip", "position", "rank", "organization_id", "phone", "email", "status")


class SelfServiceRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def find_by_edit_token(token):
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(Registration).filter_by(edit_token=token)).scalar_one_or_none()


def edits_close_at(event):
    """The latest time self-service changes stay open (a person's own check-in closes them earlier): the
    committee's time, else the end of the last event day."""
    if event.edits_close_at is not None:
        return event.edits_close_at
    return event.last_day_ends_at


def has_checked_in(registration):
    return db.session.execute(
        db.select(Attendance.id).where(Attendance.registration_id == registration.id).limit(1)
    ).first() is not None


def lock_reason(registration, now=None):
    """Why the edit link can change nothing now ("cancelled", "checked_in", "locked": past the closing
    time), or None while changes are open."""
    if not registration.is_active:
        return "cancelled"
    if has_checked_in(registration):
        return "checked_in"
    closes = edits_close_at(registration.event)
    if closes is not None and (now or utcnow()) >= closes:
        return "locked"
    return None


def edits_open(registration, now=None):
    return lock_reason(registration, now) is None


def _ensure_open(registration, now):
    reason = lock_reason(registration, now)
    if reason is not None:
        raise SelfServiceRefused(reason)


def _snapshot(registration):
    return {name: getattr(registration, name) for name in FIELDS}


def _record(registration, action, old_values, now):
    db.session.add(RegistrationChange(registration_id=registration.id, action=action,
                                      old_values=json.dumps(old_values, ensure_ascii=False), changed_at=now))


def edit(registration, organization_id, participant, *, now=None):
    """Correct the data (the form's rules, the OPD's quota). Raises SelfServiceRefused or RegistrationRefused.
    Returns whether anything changed. The caller commits."""
    now = now or utcnow()
    _ensure_open(registration, now)
    before = _snapshot(registration)
    update_registration(registration, organization_id, participant)
    changed = {name: value for name, value in before.items() if getattr(registration, name) != value}
    if changed:
        _record(registration, "edit", changed, now)
    return bool(changed)


def cancel(registration, *, now=None):
    """Cancel: the seat goes back to the OPD's quota (only active registrations count). The caller commits."""
    now = now or utcnow()
    _ensure_open(registration, now)
    _record(registration, "cancel", {"status": registration.status}, now)
    registration.status = STATUS_CANCELLED


def replace(registration, participant, *, now=None):
    """ "Ganti peserta": a colleague takes the seat (same OPD). New ticket and edit secrets: the old ticket
    stops working. The new person gets the confirmation. Raises SelfServiceRefused or RegistrationRefused
    (a NIP or e-mail already registered). The caller commits."""
    now = now or utcnow()
    _ensure_open(registration, now)
    before = _snapshot(registration)
    with stored_or_refused():
        for name, value in participant.items():
            setattr(registration, name, value)
        registration.ticket_token = new_ticket_token()
        registration.edit_token = new_ticket_token()
        # The colleague ticked the consent box of the same form as a self-registered person.
        registration.legal_basis, registration.consented_at = BASIS_CONSENT, now
    _record(registration, "replace", before, now)
    db.session.flush()
    from app.messages.compose import compose
    from app.privacy.services import release_seat_request

    release_seat_request(registration, before)

    enqueue(event_id=registration.event_id, registration_id=registration.id, kind=KIND_CONFIRMATION,
            channel=CHANNEL_EMAIL, cause=f"replace:{registration.id}:{registration.ticket_token[:12]}",
            recipient=registration.email, content=compose(KIND_CONFIRMATION, registration))


def changes_of(registration):
    """The recorded changes of a registration, newest first, with their old values decoded."""
    rows = db.session.execute(
        db.select(RegistrationChange).filter_by(registration_id=registration.id)
        .order_by(RegistrationChange.id.desc())
    ).scalars().all()
    found = []
    for row in rows:
        old = json.loads(row.old_values or "{}")
        if "organization_id" in old:  # the OPD by name, as the committee knows it
            organization = db.session.get(Organization, old.pop("organization_id"))
            old["organization"] = organization.name if organization else None
        found.append((row, old))
    return found
