"""An OPD's link: issuing and revoking it, and the OPD naming, changing and swapping its delegates.

Delegates are registrations like any other (the quota, the duplicates and the form's rules are the
same), stored on the committee's public task: the OPD names them by the letter's assignment, they
tick no consent box. Every change made through a link is recorded with the link and its issue
(`DelegateChange`). The caller commits.
"""
from datetime import datetime, time

from sqlalchemy import func

from app.extensions import db
from app.formatting import short_moment
from app.messages.compose import Content
from app.messages.outbox import enqueue
from app.messages.templates import text_to_html
from app.models import (
    CHANNEL_EMAIL,
    STATUS_CANCELLED,
    STATUS_REGISTERED,
    EventOrganization,
    Organization,
    Registration,
    utcnow,
)
from app.models.delegate import DelegateChange, DelegateLink
from app.models.registration import BASIS_PUBLIC_TASK
from app.models.types import new_ticket_token
from app.registration.services import RegistrationRefused, effective_quota, ensure_room, stored_or_refused
from app.values import clean_participant

SOURCE_OPD = "opd"
# Columns of a pasted list, in this order, separated by tabs (a copy from Excel) or semicolons.
PASTE_COLUMNS = ("full_name", "nip", "position", "rank", "phone", "email")
MAX_PASTED_ROWS = 200


class DelegateRefused(Exception):
    """Why an OPD's change was not made: 'closed', 'not_ours', 'cancelled'."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def find_link(token):
    """The live link behind `token` (with its OPD and event), or None: revoked and unknown are alike."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(db.select(DelegateLink).filter_by(token=token)).scalar_one_or_none()


def links_of(event):
    """{organization_id: DelegateLink} for the event's OPDs that have (or had) a link."""
    rows = db.session.execute(db.select(DelegateLink).filter_by(event_id=event.id)).scalars()
    return {link.organization_id: link for link in rows}


def issue_link(event, organization_id, *, now=None):
    """A new secret for the OPD's link (the first, or a re-issue that ends the old one at once).
    Returns the link, or None if the OPD does not take part in the event."""
    taking_part = db.session.execute(
        db.select(EventOrganization.id).filter_by(event_id=event.id, organization_id=organization_id)
    ).scalar_one_or_none()
    if taking_part is None:
        return None
    link = links_of(event).get(organization_id)
    if link is None:
        link = DelegateLink(event_id=event.id, organization_id=organization_id, generation=0)
        db.session.add(link)
    link.token = new_ticket_token()
    link.generation = (link.generation or 0) + 1
    link.issued_at = now or utcnow()
    db.session.flush()
    return link


def issue_links(event, *, now=None):
    """A link for every OPD of the event that has none live yet; returns how many were made."""
    existing = links_of(event)
    made = 0
    for (organization_id,) in db.session.execute(
        db.select(EventOrganization.organization_id).filter_by(event_id=event.id)
    ):
        link = existing.get(organization_id)
        if link is None or link.token is None:
            issue_link(event, organization_id, now=now)
            made += 1
    return made


def revoke_link(link):
    """The link stops working at once; what was done through it stays."""
    link.token = None


def set_deadline(event, deadline):
    """The same deadline (aware datetime, or None) for every OPD link of the event."""
    for link in links_of(event).values():
        link.deadline = deadline


def closes_at(link, event):
    """When the OPD's changes close: its deadline, else the start of the event's first day."""
    if link.deadline is not None:
        return link.deadline
    if not event.days:
        return None
    return datetime.combine(event.days[0].date, time(0), tzinfo=event.tz)


def is_open(link, event, now=None):
    closing = closes_at(link, event)
    return link.token is not None and (closing is None or (now or utcnow()) < closing)


def mark_opened(link, now=None):
    link.first_opened_at = link.first_opened_at or (now or utcnow())


def delegates(link):
    """The active people of the link's OPD in its event: (registration, entered_through_a_link)."""
    through_links = db.select(DelegateChange.registration_id).join(
        DelegateLink, DelegateChange.link_id == DelegateLink.id
    ).where(DelegateLink.id == link.id, DelegateChange.action.in_(("add", "replace")))
    rows = db.session.execute(
        db.select(Registration, Registration.id.in_(through_links))
        .where(Registration.event_id == link.event_id, Registration.organization_id == link.organization_id,
               Registration.status == STATUS_REGISTERED)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    return [(registration, bool(ours)) for registration, ours in rows]


def quota_of(link, event):
    taking_part = db.session.execute(
        db.select(EventOrganization).filter_by(event_id=event.id, organization_id=link.organization_id)
    ).scalar_one()
    return effective_quota(event, taking_part)


def _record(link, registration, action, now):
    db.session.add(DelegateChange(link_id=link.id, generation=link.generation, registration_id=registration.id,
                                  action=action, changed_at=now))
    link.last_change_at = now


def _ensure_open(link, event, now):
    if not is_open(link, event, now):
        raise DelegateRefused("closed")


def _own_delegate(link, registration_id):
    """A person the OPD may change: one of its active people in this event, entered through its link."""
    for registration, ours in delegates(link):
        if registration.id == registration_id:
            if not ours:
                raise DelegateRefused("not_ours")
            return registration
    raise DelegateRefused("not_ours")


def add_delegate(link, event, participant, *, now=None):
    """Name one person for the OPD (the quota and duplicates as on the form). Raises DelegateRefused or
    RegistrationRefused; on refusal nothing is stored."""
    now = now or utcnow()
    _ensure_open(link, event, now)
    with stored_or_refused():
        ensure_room(event, link.organization_id)
        registration = Registration(event_id=event.id, organization_id=link.organization_id, source=SOURCE_OPD,
                                    legal_basis=BASIS_PUBLIC_TASK, consented_at=None, **participant)
        db.session.add(registration)
    _record(link, registration, "add", now)
    return registration


def add_pasted(link, event, text, *, now=None):
    """Every person of a pasted list, or nobody. Returns (registrations, errors) where errors is a list of
    (line number, field or None, code); with errors nothing is stored."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    errors: list[tuple[int | None, str | None, str]] = []
    if len(lines) > MAX_PASTED_ROWS:
        return [], [(None, None, "too_many_rows")]
    people = []
    for number, line in lines:
        cells = line.split("\t") if "\t" in line else line.split(";")
        values = dict(zip(PASTE_COLUMNS, (cell.strip() for cell in cells), strict=False))
        cleaned, bad = clean_participant(values, foreign_phones_allowed=event.foreign_phones_allowed)
        errors.extend((number, field, code) for field, code in bad.items())
        people.append((number, cleaned))
    if errors or not people:
        return [], errors or [(None, None, "empty")]
    stored = []
    for number, person in people:
        try:
            stored.append(add_delegate(link, event, person, now=now))
        except RegistrationRefused as refusal:  # rolled back: nobody of the list is stored
            return [], [(number, refusal.field, refusal.code)]
    return stored, []


def edit_delegate(link, event, registration_id, participant, *, now=None):
    """Correct a delegate's data (their NIP and e-mail must stay unique in the event)."""
    now = now or utcnow()
    _ensure_open(link, event, now)
    registration = _own_delegate(link, registration_id)
    with stored_or_refused():
        for name, value in participant.items():
            setattr(registration, name, value)
    _record(link, registration, "edit", now)
    return registration


def cancel_delegate(link, event, registration_id, *, now=None):
    """Take a delegate off: the seat goes back to the OPD."""
    now = now or utcnow()
    _ensure_open(link, event, now)
    registration = _own_delegate(link, registration_id)
    registration.status = STATUS_CANCELLED
    _record(link, registration, "cancel", now)
    return registration


def swap_delegate(link, event, registration_id, participant, *, now=None):
    """Send another person instead: the first is cancelled (their ticket stops working) and the other is a
    new registration with tickets of their own, in one transaction. Returns the new registration."""
    now = now or utcnow()
    _ensure_open(link, event, now)
    old = _own_delegate(link, registration_id)
    old.status = STATUS_CANCELLED
    _record(link, old, "cancel", now)
    db.session.flush()  # the seat is free before the new person takes it
    return add_delegate(link, event, participant, now=now)


def opd_overview(event):
    """Per OPD of the event: (organization, quota, active count, link or None), by name."""
    counts: dict[int, int] = dict(db.session.execute(  # type: ignore[arg-type]
        db.select(Registration.organization_id, func.count())
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED)
        .group_by(Registration.organization_id)
    ).all())
    links = links_of(event)
    rows = db.session.execute(
        db.select(EventOrganization, Organization)
        .join(Organization, EventOrganization.organization_id == Organization.id)
        .where(EventOrganization.event_id == event.id).order_by(Organization.name)
    ).all()
    return [(organization, effective_quota(event, taking_part), counts.get(organization.id, 0),
             links.get(organization.id)) for taking_part, organization in rows]



KIND_OPD_REMINDER = "opd_reminder"


def reminder_text(event, organization, link, base_url):
    """(subject, text) of the reminder to an OPD that has sent nobody yet."""
    closing = closes_at(link, event)
    url = f"{base_url.rstrip('/')}/opd/{link.token}"
    text = (f"Yth. {organization.name},\n\n"
            f"Sampai saat ini kami belum menerima nama pegawai yang ditugaskan mengikuti {event.title}. "
            f"Mohon nama peserta diisikan melalui tautan OPD Anda:\n{url}\n")
    if closing:
        text += f"\nBatas waktu pengisian: {short_moment(closing, event)}.\n"
    return f"Pengingat: peserta {event.title}", text


def opds_to_remind(event):
    """(organization, link) of every OPD of the event with a live link and nobody registered yet."""
    return [(organization, link) for organization, _quota, count, link in opd_overview(event)
            if count == 0 and link is not None and link.token is not None]


def remind_opds_by_email(event, base_url, *, now=None):
    """An e-mail to the contact of each OPD that has sent nobody yet, through the outbox; at most one per OPD
    per day (the outbox's unique cause). Returns (queued, without an e-mail contact). The caller commits."""
    now = now or utcnow()
    queued = missing = 0
    for organization, link in opds_to_remind(event):
        if not organization.contact_email:
            missing += 1
            continue
        subject, text = reminder_text(event, organization, link, base_url)
        message_id = enqueue(event_id=event.id, registration_id=None, kind=KIND_OPD_REMINDER, channel=CHANNEL_EMAIL,
                             cause=f"opd-reminder:{link.id}:{now.astimezone(event.tz).date().isoformat()}",
                             recipient=organization.contact_email,
                             content=Content(subject=subject, text=text, html=text_to_html(text)))
        queued += message_id is not None
    return queued, missing


def save_contact(organization, email, phone):
    organization.contact_email, organization.contact_phone = email, phone
