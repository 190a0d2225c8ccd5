"""Adding narasumber, moderators and panitia to an event: registrations with a role, outside the OPD quotas.

They are stored on the committee's public task (no consent box), get a ticket like anyone (a badge, a
line on their own daftar hadir, a certificate "sebagai Narasumber"), and a narasumber or moderator may be
linked to the agenda sessions they give. The caller commits.
"""
from app.extensions import db
from app.models import STATUS_REGISTERED, EventOrganization, Registration
from app.models.registration import BASIS_PUBLIC_TASK, ROLE_PESERTA
from app.registration.services import RegistrationRefused, stored_or_refused

STAFF_ROLES = ("narasumber", "moderator", "panitia")
SPEAKING_ROLES = ("narasumber", "moderator")


def staff_of(event):
    """The event's active narasumber, moderators and panitia, by role then name."""
    return db.session.execute(
        db.select(Registration).where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
                                      Registration.role != ROLE_PESERTA)
        .order_by(Registration.role, Registration.full_name, Registration.id)
    ).scalars().all()


def add_staff(event, organization_id, participant, role, agenda_item_ids=()):
    """Register one narasumber, moderator or panitia (no quota: they take no OPD seat) and link a speaker to
    the sessions given. Raises RegistrationRefused (an OPD not in the event, a NIP or e-mail taken)."""
    if role not in STAFF_ROLES:
        raise ValueError(role)
    taking_part = {row.organization_id for row in event_organization_rows(event)}
    if organization_id not in taking_part:
        raise RegistrationRefused("organization_unknown", "organization")
    with stored_or_refused():
        registration = Registration(event_id=event.id, organization_id=organization_id, role=role,
                                    source="committee", legal_basis=BASIS_PUBLIC_TASK, consented_at=None,
                                    **participant)
        db.session.add(registration)
    if role in SPEAKING_ROLES:
        for item in event.agenda_items:
            if item.id in agenda_item_ids:
                link_speaker(item, registration)
    return registration


def link_speaker(item, registration):
    """The session `item` is given by `registration`; its printed speaker becomes their name if empty."""
    item.speaker_registration_id = registration.id
    if not item.speaker:
        item.speaker = registration.full_name[:300]


def sessions_of(event, registration):
    return [item for item in event.agenda_items if item.speaker_registration_id == registration.id]


def event_organization_rows(event):
    return db.session.execute(db.select(EventOrganization).filter_by(event_id=event.id)).scalars().all()

