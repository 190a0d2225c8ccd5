"""The committee's participant list: search, filters, pages, corrections, cancel and restore.

A page of the list costs the same few queries whatever the number of registrations.
"""
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Row, exists, func, or_

from app.extensions import db
from app.models import STATUS_CANCELLED, STATUS_REGISTERED, STATUS_TRANSFERRED, Attendance, Organization, Registration
from app.registration.services import RegistrationRefused, ensure_room, stored_or_refused

PAGE_SIZE = 50
STATUSES = (STATUS_REGISTERED, STATUS_CANCELLED, STATUS_TRANSFERRED)


@dataclass
class Filters:
    q: str = ""
    organization_id: int | None = None
    status: str = ""  # "", registered, cancelled, transferred
    day_id: int | None = None
    presence: str = ""  # "", present, absent (on day_id)
    page: int = 1


@dataclass
class ParticipantPage:
    rows: Sequence[Row]  # (Registration, Organization)
    total: int
    page: int
    pages: int
    attendance: dict = field(default_factory=dict)  # (registration id, day id) -> checked_in_at


def _filtered(event, filters):
    query = (
        db.select(Registration, Organization)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id)
    )
    text = filters.q.strip()
    if text:
        pattern = f"%{text.lower()}%"
        digits = "".join(ch for ch in text if ch in "0123456789")
        conditions = [func.lower(Registration.full_name).like(pattern), func.lower(Registration.email).like(pattern)]
        if digits:
            conditions.append(Registration.nip.like(f"%{digits}%"))
        query = query.where(or_(*conditions))
    if filters.organization_id:
        query = query.where(Registration.organization_id == filters.organization_id)
    if filters.status in STATUSES:
        query = query.where(Registration.status == filters.status)
    if filters.day_id and filters.presence in ("present", "absent"):
        present = exists().where(
            Attendance.registration_id == Registration.id, Attendance.event_day_id == filters.day_id
        )
        query = query.where(present if filters.presence == "present" else ~present)
    return query


def search_participants(event, filters):
    """One page of the event's registrations matching `filters`, with their check-ins: three queries."""
    query = _filtered(event, filters)
    total = db.session.execute(db.select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    rows = db.session.execute(
        query.order_by(func.lower(Registration.full_name), Registration.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    attendance = {}
    if rows:
        found = db.session.execute(
            db.select(Attendance.registration_id, Attendance.event_day_id, Attendance.checked_in_at)
            .where(Attendance.registration_id.in_([registration.id for registration, _o in rows]))
        ).all()
        attendance = {(registration_id, day_id): moment for registration_id, day_id, moment in found}
    return ParticipantPage(rows, total, page, pages, attendance)


def find_registration(event, registration_id):
    return db.session.execute(
        db.select(Registration).filter_by(id=registration_id, event_id=event.id)
    ).scalar_one_or_none()


def update_registration(registration, organization_id, participant):
    """Correct a registration's personal data or OPD (cleaned data). Raises RegistrationRefused."""
    event = registration.event
    with stored_or_refused():
        if organization_id != registration.organization_id and registration.is_active:
            ensure_room(event, organization_id)
        registration.organization_id = organization_id
        for name, value in participant.items():
            setattr(registration, name, value)


def cancel_registration(registration):
    """Cancel an active registration (a transferred one stays as it is: its seat has another holder)."""
    if registration.is_active:
        registration.status = STATUS_CANCELLED


def restore_registration(registration):
    """Make a cancelled registration count again, if its OPD still has room. Raises RegistrationRefused."""
    if registration.is_active:
        return
    if registration.is_transferred:  # its seat has another holder now
        raise RegistrationRefused("transferred")
    try:
        ensure_room(registration.event, registration.organization_id)
    except RegistrationRefused:
        db.session.rollback()
        raise
    registration.status = STATUS_REGISTERED
