"""Setting events up: the event, its days, its agenda and the OPDs taking part."""
import csv
from datetime import datetime, time
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    AgendaItem,
    Attendance,
    Event,
    EventDay,
    EventOrganization,
    EventStatus,
    Organization,
    Registration,
    utcnow,
)
from app.models.agenda_jp import counts_for_jp_by_title
from app.tenants.access import MANAGE, scoped_events
from app.values import InvalidValue, normalize_text

SEED_DATA = Path(__file__).resolve().parent.parent / "seed_data"


def read_organizations_csv(path):
    """Rows of short_name, name and kind from a CSV file with those columns."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            {"short_name": row["short_name"].strip(), "name": row["name"].strip(), "kind": row["kind"].strip()}
            for row in csv.DictReader(handle)
        ]


class OrganizationRefused(ValueError):
    """An OPD row whose `field` (short_name, name) is empty or only invisible characters (`code`)."""

    def __init__(self, field, code):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


def _cleaned_organization(row):
    """The row with its names read as the forms read them (normalize_text), so that a name pasted with
    a zero-width space is the name already in the list; refused when a name is empty or invisible."""
    cleaned = dict(row)
    for field in ("short_name", "name"):
        try:
            cleaned[field] = normalize_text(row.get(field))
        except InvalidValue as error:
            raise OrganizationRefused(field, error.code) from None
        if not cleaned[field]:
            raise OrganizationRefused(field, "required")
    return cleaned


def upsert_organizations(rows, tenant):
    """Add to `tenant`'s OPD list the organizations it does not know yet (by short name);
    returns all of them, in row order. Raises OrganizationRefused for a row without a visible name."""
    rows = [_cleaned_organization(row) for row in rows]
    known = {o.short_name: o for o in db.session.execute(
        db.select(Organization).filter_by(tenant_id=tenant.id)).scalars()}
    result = []
    for row in rows:
        organization = known.get(row["short_name"])
        if organization is None:
            organization = Organization(tenant_id=tenant.id, **row)
            db.session.add(organization)
            known[row["short_name"]] = organization
        result.append(organization)
    db.session.flush()
    return result


def add_organizations_to_event(event, organizations, quota=None):
    """Let these OPDs (of the event's tenant) register for `event`; an OPD already taking part keeps its quota."""
    if any(organization.tenant_id != event.tenant_id for organization in organizations):
        raise ValueError("an OPD of another tenant cannot take part in this event")
    taking_part = set(
        db.session.execute(
            db.select(EventOrganization.organization_id).filter_by(event_id=event.id)
        ).scalars()
    )
    for organization in organizations:
        if organization.id not in taking_part:
            db.session.add(EventOrganization(event_id=event.id, organization_id=organization.id, quota=quota))
            taking_part.add(organization.id)
    db.session.flush()


def local_datetime(event, day, hhmm):
    """An aware datetime for the wall-clock time 'HH:MM' of `day` in the event's zone."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=event.tz)


def add_agenda_item(event, event_day, starts, ends, title, speaker=""):
    item = AgendaItem(
        event=event,
        event_day_id=event_day.id,
        starts_at=local_datetime(event, event_day.date, starts),
        ends_at=local_datetime(event, event_day.date, ends) if ends else None,
        title=title,
        speaker=speaker,
    )
    db.session.add(item)
    return item


def create_event(*, tenant, slug, title, organizer_name, venue, dates, timezone="Asia/Jakarta",
                 status=EventStatus.DRAFT, **fields):
    """A new event with its days; a draft (no registration) unless `status` is EventStatus.OPEN.
    The caller commits."""
    event = Event(tenant_id=tenant.id, slug=slug, title=title, organizer_name=organizer_name, venue=venue,
                  timezone=timezone, status=EventStatus(status), **fields)
    event.days = [EventDay(date=day) for day in dates]
    db.session.add(event)
    db.session.flush()
    return event


# The console's event set-up (app/events/console.py): the caller commits.
EVENT_FIELDS = (
    "slug", "title", "organizer_name", "venue", "description", "timezone",
    "registration_opens_at", "registration_closes_at", "capacity", "default_quota", "retention_days",
    "foreign_phones_allowed",
)


class SetupRefused(Exception):
    """Why a change was not made: a code, the form field concerned, and a detail for the message."""

    def __init__(self, code, field=None, detail=""):
        super().__init__(code)
        self.code = code
        self.field = field
        self.detail = detail


def list_events(user):
    """The events `user` may manage, newest first."""
    return db.session.execute(scoped_events(user, MANAGE)).scalars().all()


def _set_days(event, dates):
    wanted = sorted(set(dates))
    if not wanted:
        raise SetupRefused("no_days", "dates")
    dropped = [day for day in event.days if day.date not in wanted]
    if dropped:
        ids = [day.id for day in dropped]
        in_use = db.session.execute(
            db.select(EventDay.date).where(EventDay.id.in_(ids)).where(
                EventDay.id.in_(db.select(Attendance.event_day_id))
                | EventDay.id.in_(db.select(AgendaItem.event_day_id))
            )
        ).scalars().first()
        if in_use:
            raise SetupRefused("day_in_use", "dates", in_use.isoformat())
        for day in dropped:
            event.days.remove(day)
    known = {day.date for day in event.days}
    event.days.extend(EventDay(date=day) for day in wanted if day not in known)
    event.days.sort(key=lambda day: day.date)


def save_event(event, fields, dates):
    """Create (event None) or update an event from cleaned form fields and its list of dates.

    Datetimes in `fields` are aware. Raises SetupRefused; the caller commits.
    """
    if fields.get("registration_opens_at") and fields.get("registration_closes_at") \
            and fields["registration_closes_at"] <= fields["registration_opens_at"]:
        raise SetupRefused("closes_before_opens", "registration_closes_at")
    if event is None:
        event = Event(tenant_id=fields["tenant_id"])
        db.session.add(event)
    try:
        for name in EVENT_FIELDS:
            if name in fields:
                setattr(event, name, fields[name])
        # Reading the days flushes the fields first (autoflush): a slug in use is refused there already.
        _set_days(event, dates)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SetupRefused("slug_taken", "slug") from None
    return event


READINESS = ("dates", "organizations", "contact", "window")


def readiness(event, now=None):
    """The checklist before a draft opens: [(item, done)] for each of READINESS, in that order.

    dates: the event has days; organizations: at least one OPD takes part and each has a quota (its
    own or the event's default); contact: a contact person's name and WhatsApp number; window:
    registration would close after `now` (its closing time, else the end of the last day).
    """
    now = now or utcnow()
    quotas = db.session.execute(
        db.select(EventOrganization.quota).filter_by(event_id=event.id)
    ).scalars().all()
    closes = event.registration_closes_at or event.last_day_ends_at
    done = {
        "dates": bool(event.days),
        "organizations": bool(quotas) and all(
            quota is not None or event.default_quota is not None for quota in quotas),
        "contact": bool(event.contact_name and event.contact_phone),
        "window": closes is not None and closes > now,
    }
    return [(item, done[item]) for item in READINESS]


def open_draft(event, now=None):
    """Make a draft event open (registration then follows its window). SetupRefused("not_ready"),
    its detail the missing items of the checklist joined by commas, while one is missing."""
    missing = [item for item, done in readiness(event, now) if not done]
    if missing:
        raise SetupRefused("not_ready", None, ",".join(missing))
    event.status = EventStatus.OPEN


def set_registration(event, action, now=None):
    """Open registration now (and keep it open), or close it now. A draft opens through open_draft."""
    now = now or utcnow()
    if event.status == EventStatus.DRAFT:
        if action != "open":
            raise SetupRefused("unknown_action")
        open_draft(event, now)
        return
    if action == "open":
        if event.registration_opens_at is None or event.registration_opens_at > now:
            event.registration_opens_at = now
        if event.registration_closes_at is not None and event.registration_closes_at <= now:
            event.registration_closes_at = None
    elif action == "close":
        event.registration_closes_at = now
        if event.registration_opens_at is not None and event.registration_opens_at > now:
            event.registration_opens_at = now
    else:
        raise SetupRefused("unknown_action")


def find_day(event, day_id):
    return next((day for day in event.days if day.id == day_id), None)


def save_agenda_item(event, item, *, day_id, starts, ends, title, speaker, description="", counts_for_jp=None):
    """Create (item None) or update an agenda item; `starts`/`ends` are local times of the chosen day.
    `counts_for_jp` None: counted for JP unless its title names a registration, opening, speech or break."""
    day = find_day(event, day_id)
    if day is None:
        raise SetupRefused("day_unknown", "day")
    starts_at = datetime.combine(day.date, starts, tzinfo=event.tz)
    ends_at = datetime.combine(day.date, ends, tzinfo=event.tz) if ends else None
    if ends_at is not None and ends_at < starts_at:
        raise SetupRefused("ends_before_starts", "ends")
    if item is None:
        item = AgendaItem(event=event)
        db.session.add(item)
    item.event_day_id = day.id
    item.starts_at, item.ends_at = starts_at, ends_at
    item.title, item.speaker, item.description = title, speaker or "", description or ""
    item.counts_for_jp = counts_for_jp_by_title(title) if counts_for_jp is None else counts_for_jp
    db.session.flush()
    return item


def delete_agenda_item(item):
    db.session.delete(item)


def participation(event):
    """Every OPD of the event's tenant with its EventOrganization in `event` (or None), by name."""
    return db.session.execute(
        db.select(Organization, EventOrganization)
        .outerjoin(EventOrganization, (EventOrganization.organization_id == Organization.id)
                   & (EventOrganization.event_id == event.id))
        .where(Organization.tenant_id == event.tenant_id)
        .order_by(Organization.name)
    ).all()


def set_participation(event, chosen):
    """Make exactly the OPDs in `chosen` (organization id -> quota or None) take part in `event`.

    An OPD that already has registrations cannot be dropped: SetupRefused names it.
    """
    current = {
        eo.organization_id: eo
        for eo in db.session.execute(db.select(EventOrganization).filter_by(event_id=event.id)).scalars()
    }
    dropped = [organization_id for organization_id in current if organization_id not in chosen]
    if dropped:
        busy = db.session.execute(
            db.select(Organization.name)
            .join(Registration, Registration.organization_id == Organization.id)
            .where(Registration.event_id == event.id, Registration.organization_id.in_(dropped))
            .group_by(Organization.name)
            .order_by(Organization.name)
        ).scalars().all()
        if busy:
            raise SetupRefused("organization_in_use", None, ", ".join(busy))
    known = set(db.session.execute(
        db.select(Organization.id).where(Organization.id.in_(list(chosen) or [0]),
                                         Organization.tenant_id == event.tenant_id)
    ).scalars())
    for organization_id, quota in chosen.items():
        if organization_id not in known:
            continue
        if organization_id in current:
            current[organization_id].quota = quota
        else:
            db.session.add(EventOrganization(event_id=event.id, organization_id=organization_id, quota=quota))
    for organization_id in dropped:
        db.session.delete(current[organization_id])
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # someone registered into a dropped OPD in the meantime
        raise SetupRefused("organization_in_use") from None


def add_organization(tenant_id, short_name, name, kind):
    """A new OPD in the tenant's list (short and full names are unique per tenant)."""
    organization = Organization(tenant_id=tenant_id, short_name=short_name, name=name, kind=kind)
    db.session.add(organization)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise SetupRefused("organization_exists", "short_name") from None
    return organization


def count_events_registrations(events):
    """Active registrations per event id, in one query, for the events list."""
    if not events:
        return {}
    return dict(db.session.execute(
        db.select(Registration.event_id, func.count())
        .where(Registration.event_id.in_([event.id for event in events]), Registration.status == "registered")
        .group_by(Registration.event_id)
    ).tuples().all())
