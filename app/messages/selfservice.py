"""The edit link: a participant corrects their data, cancels, or hands the seat to a colleague.
It also opens what only the participant may see: Data saya, "Minta hapus", the certificate PDF.

The edit link's token is a second secret (Registration.edit_token), never the QR's. Every change is
recorded with its time and the values before it (RegistrationChange), for the committee. Changes stay
open until the person has checked in (the seat is then taken by whoever came), and at the latest until
the event's edits_close_at when the committee set one, else the end of the last event day: a Kabid who
sends a substitute on the morning of day 1 can still hand the seat over.
"""
import json
from typing import cast

from sqlalchemy import CursorResult, update

from app.extensions import db
from app.messages.services import queue_confirmation, queue_ticket_whatsapp
from app.models import (
    STATUS_CANCELLED,
    STATUS_REGISTERED,
    STATUS_TRANSFERRED,
    Attendance,
    Organization,
    Registration,
    RegistrationChange,
    utcnow,
)
from app.models.registration import BASIS_CONSENT
from app.registration.participants import update_registration
from app.registration.services import ensure_room, lock_for_registration, stored_or_refused

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
    """Why the edit link can change nothing now ("transferred", "cancelled", "checked_in", "locked": past
    the closing time), or None while changes are open."""
    if registration.is_transferred:
        return "transferred"
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
    """ "Ganti peserta": a colleague takes the seat (same event, same OPD) as a new registration, with
    its own ticket and edit secrets and nothing of the previous holder (attendance, certificate,
    answers, messages). The old registration keeps its data for the SPJ, as it was, with the status
    `transferred` and a link to the new one; its ticket stops working. The colleague gets the
    confirmation by their own e-mail (without one, a WhatsApp click-through waits for the committee).

    The OPD's quota stays exact: the old seat is freed and the new one taken in one transaction, under
    the OPD's lock (registration/services.ensure_room), so nobody else can take the freed seat, and a
    second handover of the same seat finds it already transferred. Raises SelfServiceRefused or
    RegistrationRefused (a NIP or e-mail already registered, a quota lowered below the seats taken).
    Returns the new registration. The caller commits."""
    now = now or utcnow()
    _ensure_open(registration, now)
    old_id, event = registration.id, registration.event
    with stored_or_refused():
        # The OPD's lock first, as every sign-up and OPD change takes it: no lock order to deadlock on.
        lock_for_registration(event, registration.organization_id)
        freed = db.session.execute(
            update(Registration).where(Registration.id == old_id, Registration.status == STATUS_REGISTERED)
            .values(status=STATUS_TRANSFERRED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult, freed).rowcount != 1:  # another handover or a cancellation came first
            raise SelfServiceRefused("cancelled")
        ensure_room(event, registration.organization_id)
        colleague = Registration(event_id=event.id, organization_id=registration.organization_id, source="form",
                                 legal_basis=BASIS_CONSENT, consented_at=now, created_at=now, **participant)
        db.session.add(colleague)
        db.session.flush()
        db.session.execute(
            update(Registration).where(Registration.id == old_id).values(transferred_to_id=colleague.id)
            .execution_options(synchronize_session=False)
        )
    db.session.refresh(registration)
    _record(registration, "transfer", {"transferred_to": colleague.id}, now)
    if colleague.email:
        queue_confirmation(colleague)
    else:  # no e-mail: the ticket link waits on the Pesan page for the committee's WhatsApp
        queue_ticket_whatsapp(colleague, cause=f"transfer:{colleague.id}")
    return colleague


def successor_of(registration):
    """The registration that took this one's seat, or None."""
    if registration.transferred_to_id is None:
        return None
    return db.session.get(Registration, registration.transferred_to_id)


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
