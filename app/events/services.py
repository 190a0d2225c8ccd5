"""Setting events up: the event, its days, its agenda and the OPDs taking part."""
import csv
from datetime import datetime, time
from pathlib import Path

from app.extensions import db
from app.models import AgendaItem, Event, EventDay, EventOrganization, EventStatus, Organization
from app.registration.rules import InvalidValue, normalize_text

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
