"""Registering a participant: the quota, the window and the duplicates, kept by the database."""
from contextlib import contextmanager
from typing import cast

from blinker import Namespace
from sqlalchemy import CursorResult, func, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import STATUS_REGISTERED, Event, EventOrganization, Organization, Registration, utcnow
from app.models.registration import BASIS_CONSENT, ROLE_PESERTA
from app.models.waitlist import WaitlistEntry, WaitStatus

_signals = Namespace()
# Sent (sender: the app) when a participant has registered themselves through the event's form, within
# the request's transaction; messages/ answers with the confirmation e-mail (init_messages connects it).
# A signal (Flask's blinker pattern), so that registration/ does not import the outbox built on it.
registered = _signals.signal("registered")


class RegistrationRefused(Exception):
    """Why a registration was not stored: a code, and the form field it concerns if any."""

    def __init__(self, code, field=None):
        super().__init__(code)
        self.code = code
        self.field = field


def event_organizations(event):
    """The OPDs taking part in `event`, by name, as (EventOrganization, Organization) rows."""
    return db.session.execute(
        db.select(EventOrganization, Organization)
        .join(Organization, EventOrganization.organization_id == Organization.id)
        .where(EventOrganization.event_id == event.id)
        .order_by(Organization.name)
    ).all()


def effective_quota(event, event_organization):
    """The OPD's own quota, else the event's default; None means no limit."""
    if event_organization.quota is not None:
        return event_organization.quota
    return event.default_quota


def count_active(event, organization_id=None, *, seats_only=True):
    """Active registrations of `event` (of one OPD): by default those who take a seat of the quota, the
    participants; narasumber, moderators and panitia take none. `seats_only=False` counts everyone."""
    query = db.select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == STATUS_REGISTERED
    )
    if seats_only:
        query = query.where(Registration.role == ROLE_PESERTA)
    if organization_id is not None:
        query = query.where(Registration.organization_id == organization_id)
    return db.session.execute(query).scalar_one()


def seats_on_hold(event, organization_id, now, *, except_entry=None):
    """Seats of the OPD kept for people of its waiting list: offers still within their hold (app/waitlist)."""
    query = db.select(func.count()).select_from(WaitlistEntry).where(
        WaitlistEntry.event_id == event.id, WaitlistEntry.organization_id == organization_id,
        WaitlistEntry.status == WaitStatus.OFFERED, WaitlistEntry.hold_until > now,
    )
    if except_entry is not None:
        query = query.where(WaitlistEntry.id != except_entry.id)
    return db.session.execute(query).scalar_one()


def lock_for_registration(event, organization_id):
    """Take the write locks that serialise sign-ups into one OPD (and the event, if it has a capacity).

    A no-op UPDATE is the one lock SQLite and PostgreSQL share: PostgreSQL locks the
    row, SQLite the database, and both hold it until the transaction ends, so the
    count that follows cannot be raced. Returns the EventOrganization, or None if
    the OPD does not take part in the event.
    """
    if event.capacity is not None:
        db.session.execute(update(Event).where(Event.id == event.id).values(capacity=Event.capacity))
    locked = db.session.execute(
        update(EventOrganization)
        .where(EventOrganization.event_id == event.id, EventOrganization.organization_id == organization_id)
        .values(quota=EventOrganization.quota)
    )
    if cast(CursorResult, locked).rowcount != 1:  # an UPDATE's result is a CursorResult
        return None
    return db.session.execute(
        db.select(EventOrganization).filter_by(event_id=event.id, organization_id=organization_id)
    ).scalar_one()


def ensure_room(event, organization_id):
    """Raise RegistrationRefused unless one more person fits the OPD's quota and the event's capacity.

    The caller must hold the locks of lock_for_registration().
    """
    event_organization = lock_for_registration(event, organization_id)
    if event_organization is None:
        raise RegistrationRefused("organization_unknown", "organization")
    quota = effective_quota(event, event_organization)
    now = utcnow()
    if quota is not None and count_active(event, organization_id) + seats_on_hold(event, organization_id, now) >= quota:
        raise RegistrationRefused("quota_full", "organization")
    if event.capacity is not None and count_active(event) >= event.capacity:
        raise RegistrationRefused("capacity_full")


def duplicate_field(error):
    """Which unique field an IntegrityError on registrations is about: 'nip', 'email' or None."""
    text = str(error.orig).lower()
    for field in ("nip", "email"):
        if f"registrations.{field}" in text or f"event_id_{field}" in text:
            return field
    return None


@contextmanager
def stored_or_refused():
    """Flush the registration work of the block, or roll it all back and raise RegistrationRefused.

    A refusal raised in the block, or a unique NIP or e-mail the database refuses,
    leaves nothing stored.
    """
    try:
        yield
        db.session.flush()
    except RegistrationRefused:
        db.session.rollback()
        raise
    except IntegrityError as error:
        db.session.rollback()
        field = duplicate_field(error)
        if field is None:
            raise
        raise RegistrationRefused(f"duplicate_{field}", field) from None


def register_participant(event, organization_id, participant, *, now=None, source="form"):
    """Store one registration for `event` from cleaned participant data.

    `participant` holds full_name, nip, position, rank, phone and email, already
    cleaned by rules.clean_participant. Raises RegistrationRefused; on refusal the
    session is rolled back and nothing is stored. The caller commits.
    """
    state = event.registration_state(now or utcnow())
    if state != "open":
        raise RegistrationRefused(state)
    with stored_or_refused():
        ensure_room(event, organization_id)
        registration = Registration(
            event_id=event.id, organization_id=organization_id, source=source,
            legal_basis=BASIS_CONSENT, consented_at=utcnow(), **participant
        )
        db.session.add(registration)
    return registration
