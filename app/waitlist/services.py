"""The waiting list: joining it when the OPD is full, offering a freed seat to the first in line with a hold,
taking it, and passing it on when the hold ends.

A seat offered is kept: the quota counts outstanding offers (registration.services.ensure_room asks
`seats_on_hold`), so a stranger on the form cannot take the seat meant for the first who waited. Offers are
made under the same lock as registrations (lock_for_registration), so two workers or a worker and a
registration cannot both fill the last seat; each offer's message has the offer as its cause, so it is
written once. The caller commits.
"""
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.formatting import short_moment
from app.messages.compose import Content, message_context
from app.messages.outbox import enqueue
from app.messages.templates import text_to_html
from app.models import CHANNEL_EMAIL, STATUS_REGISTERED, Event, EventOrganization, Registration, utcnow
from app.models.registration import BASIS_CONSENT, ROLE_PESERTA
from app.models.types import new_ticket_token
from app.models.waitlist import WaitlistEntry, WaitStatus
from app.registration.services import (
    RegistrationRefused,
    effective_quota,
    lock_for_registration,
    seats_on_hold,
    stored_or_refused,
)

KIND_WAITLIST_OFFER = "waitlist_offer"
PERSON_FIELDS = ("full_name", "nip", "position", "rank", "phone", "email")


def join(event, organization_id, participant, *, now=None):
    """Put a person on the OPD's waiting list. Raises RegistrationRefused: `duplicate_nip`/`duplicate_email`
    (already registered or already waiting), `organization_unknown`; on refusal nothing is stored."""
    now = now or utcnow()
    for field in ("nip", "email"):
        value = participant.get(field)
        if value and db.session.execute(
            db.select(Registration.id).where(Registration.event_id == event.id, getattr(Registration, field) == value)
        ).first():
            raise RegistrationRefused(f"duplicate_{field}", field)
    if db.session.execute(db.select(EventOrganization.id).filter_by(
            event_id=event.id, organization_id=organization_id)).first() is None:
        raise RegistrationRefused("organization_unknown", "organization")
    entry = WaitlistEntry(event_id=event.id, organization_id=organization_id, consented_at=now, created_at=now,
                          **{name: participant.get(name) for name in PERSON_FIELDS})
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        field = "nip" if "nip" in str(error.orig).lower() else "email"
        raise RegistrationRefused(f"waiting_{field}", field) from None
    return entry


def _seats_taken(event, organization_id):
    return db.session.execute(
        db.select(func.count()).select_from(Registration).where(
            Registration.event_id == event.id, Registration.organization_id == organization_id,
            Registration.status == STATUS_REGISTERED, Registration.role == ROLE_PESERTA)
    ).scalar_one()


def position_in_line(entry):
    return db.session.execute(
        db.select(func.count()).select_from(WaitlistEntry).where(
            WaitlistEntry.event_id == entry.event_id, WaitlistEntry.organization_id == entry.organization_id,
            WaitlistEntry.status == WaitStatus.WAITING, WaitlistEntry.id <= entry.id)
    ).scalar_one()


def offer_free_seats(event, organization_id, base_url, *, now=None):
    """Expire the OPD's offers whose hold has ended, then offer every free seat to the next in line (a message
    each). Returns the entries offered now. Holds the OPD's registration lock: the caller commits soon."""
    now = now or utcnow()
    taking_part = lock_for_registration(event, organization_id)
    if taking_part is None:
        return []
    for entry in db.session.execute(
        db.select(WaitlistEntry).where(
            WaitlistEntry.event_id == event.id, WaitlistEntry.organization_id == organization_id,
            WaitlistEntry.status == WaitStatus.OFFERED, WaitlistEntry.hold_until <= now)
    ).scalars():
        entry.status = WaitStatus.EXPIRED
    quota = effective_quota(event, taking_part)
    if quota is None:
        return []
    free = quota - _seats_taken(event, organization_id) - seats_on_hold(event, organization_id, now)
    if free <= 0:
        return []
    offered = db.session.execute(
        db.select(WaitlistEntry).where(
            WaitlistEntry.event_id == event.id, WaitlistEntry.organization_id == organization_id,
            WaitlistEntry.status == WaitStatus.WAITING)
        .order_by(WaitlistEntry.id).limit(free)
    ).scalars().all()
    for entry in offered:
        entry.status, entry.offer_token = WaitStatus.OFFERED, new_ticket_token()
        entry.offered_at, entry.hold_until = now, now + timedelta(hours=event.waitlist_hold_hours)
        _send_offer(event, entry, base_url)
    db.session.flush()
    return offered


def _send_offer(event, entry, base_url):
    link = f"{base_url.rstrip('/')}/tunggu/{entry.offer_token}"
    with message_context(base_url):  # the event's language and time zone, also in the worker
        when = short_moment(entry.hold_until, event)
    text = (f"Yth. {entry.full_name},\n\n"
            f"Ada kursi kosong untuk {event.title} dari OPD Anda. Kursi ini kami simpan untuk Anda sampai "
            f"{when}. Ambil kursi dan tiket Anda di:\n{link}\n\n"
            f"Bila tidak diambil sampai waktu itu, kursi ditawarkan kepada orang berikutnya di daftar tunggu.")
    enqueue(event_id=event.id, registration_id=None, kind=KIND_WAITLIST_OFFER, channel=CHANNEL_EMAIL,
            cause=f"waitlist-offer:{entry.id}:{entry.offer_token[:12]}", recipient=entry.email,
            content=Content(subject=f"Kursi untuk Anda: {event.title}", text=text, html=text_to_html(text)))


def offer_everywhere(base_url, *, now=None):
    """One pass of the worker: for every OPD with people waiting or offers out, expire and offer. Commits
    per OPD (each holds its lock briefly). Returns how many offers were made."""
    now = now or utcnow()
    lines = db.session.execute(
        db.select(WaitlistEntry.event_id, WaitlistEntry.organization_id)
        .where(WaitlistEntry.status.in_((WaitStatus.WAITING, WaitStatus.OFFERED))).distinct()
    ).all()
    made = 0
    for event_id, organization_id in lines:
        event = db.session.get(Event, event_id)
        if event is None or event.registration_state(now) == "closed":
            continue
        made += len(offer_free_seats(event, organization_id, base_url, now=now))
        db.session.commit()
    return made


def find_offer(token):
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(WaitlistEntry).filter_by(offer_token=token)).scalar_one_or_none()


def take(entry, *, now=None):
    """The offered person takes the seat: a registration from what they typed when joining. Raises
    RegistrationRefused: `offer_expired`, `offer_taken`, `quota_full` (should not happen: the seat was kept),
    or a duplicate. Returns the registration."""
    now = now or utcnow()
    if entry.status == WaitStatus.TAKEN:
        raise RegistrationRefused("offer_taken")
    if entry.status != WaitStatus.OFFERED or entry.hold_until <= now:
        raise RegistrationRefused("offer_expired")
    event = db.session.get(Event, entry.event_id)
    if event is None:
        raise RegistrationRefused("offer_expired")
    with stored_or_refused():
        taking_part = lock_for_registration(event, entry.organization_id)
        quota = effective_quota(event, taking_part) if taking_part is not None else 0
        held_for_others = seats_on_hold(event, entry.organization_id, now, except_entry=entry)
        if quota is not None and _seats_taken(event, entry.organization_id) + held_for_others >= quota:
            raise RegistrationRefused("quota_full", "organization")
        registration = Registration(event_id=event.id, organization_id=entry.organization_id, source="waitlist",
                                    legal_basis=BASIS_CONSENT, consented_at=entry.consented_at,
                                    **{name: getattr(entry, name) for name in PERSON_FIELDS})
        db.session.add(registration)
        db.session.flush()
        entry.status, entry.registration_id = WaitStatus.TAKEN, registration.id
    return registration


def waiting_counts(event):
    """{organization_id: people waiting} for the event."""
    return dict(db.session.execute(
        db.select(WaitlistEntry.organization_id, func.count())
        .where(WaitlistEntry.event_id == event.id, WaitlistEntry.status == WaitStatus.WAITING)
        .group_by(WaitlistEntry.organization_id)
    ).tuples().all())
