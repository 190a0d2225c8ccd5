"""What the check-in API reads on every scan, as plain values rather than ORM objects.

The event (id, time zone, days) in one query, remembered per process for
CHECKIN_CACHE_SECONDS (app/cache.py): a day added to or removed from an event, or its
time zone changed, reaches the desks within that time. The ticket (registration and
OPD name) in one query, never remembered: its status must be today's.
"""
from collections import namedtuple
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from app.cache import Memo
from app.extensions import db
from app.models import Event, EventDay, Organization, Registration
from app.models.registration import TicketHolderMixin


@dataclass(frozen=True)
class DeskDay:
    """An EventDay as check_in() and the API answer read it."""

    id: int
    event_id: int
    date: date
    number: int  # 1 for the event's first day, 2 for the second …
    timezone: str

    @property
    def tz(self):
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class DeskEvent:
    id: int
    slug: str
    tenant_id: int
    timezone: str
    days: tuple[DeskDay, ...]

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def day_on(self, local_date):
        return next((day for day in self.days if day.date == local_date), None)


_events = Memo()


_EVENT_WITH_DAYS = (
    db.select(Event.id, Event.slug, Event.tenant_id, Event.timezone, EventDay.id, EventDay.date)
    .outerjoin(EventDay, EventDay.event_id == Event.id)
    .order_by(EventDay.date)
)
_EVENT_BY_SLUG = _EVENT_WITH_DAYS.where(Event.slug == db.bindparam("slug"))
_EVENT_BY_ID = _EVENT_WITH_DAYS.where(Event.id == db.bindparam("id"))


def _load(query, params):
    rows = db.session.connection().execute(query, params).all()
    if not rows:
        return None
    event_id, slug, tenant_id, timezone = rows[0][:4]
    days = tuple(DeskDay(day_id, event_id, day, n, timezone) for n, (*_, day_id, day) in enumerate(
        (row for row in rows if row[4] is not None), 1))
    return DeskEvent(event_id, slug, tenant_id, timezone, days)


def desk_event(slug):
    """The DeskEvent with this slug, or None."""
    return _events.get(("slug", slug), lambda: _load(_EVENT_BY_SLUG, {"slug": slug}))


def desk_event_by_id(event_id):
    """The DeskEvent with this id, or None."""
    return _events.get(("id", event_id), lambda: _load(_EVENT_BY_ID, {"id": event_id}))


class DeskOrganization(NamedTuple):
    name: str


class DeskTicket(TicketHolderMixin, namedtuple(
    "DeskTicket", ["id", "event_id", "ticket_token", "full_name", "position", "nip", "status", "organization"]
)):
    """A Registration as check_in() and the API answer read it (no phone, no e-mail; the
    organization a DeskOrganization), from one Core SELECT joined to the OPD: the scan reads a
    row, not an ORM object and its lazy-loaded organization. A named tuple: one is made per scan."""

    __slots__ = ()


_REGISTRATIONS, _ORGANIZATIONS = Registration.__table__, Organization.__table__
_TICKET_COLUMNS = db.select(
    *(_REGISTRATIONS.c[name] for name in ("id", "event_id", "ticket_token", "full_name", "position", "nip", "status")),
    _ORGANIZATIONS.c.name,
).join(_ORGANIZATIONS, _REGISTRATIONS.c.organization_id == _ORGANIZATIONS.c.id)
_BY_TOKEN = _TICKET_COLUMNS.where(_REGISTRATIONS.c.ticket_token == db.bindparam("token"))
_BY_ID = _TICKET_COLUMNS.where(_REGISTRATIONS.c.id == db.bindparam("id"))


def _ticket(query, params, connection=None):
    row = (connection or db.session.connection()).execute(query, params).first()
    return DeskTicket._make((*row[:-1], DeskOrganization(row[-1]))) if row else None


def find_desk_ticket(token, connection=None):
    """The DeskTicket of a ticket token, or None; read on `connection` (the Session's by default)."""
    if not token or len(token) > 64:
        return None
    return _ticket(_BY_TOKEN, {"token": token}, connection)


def desk_ticket(registration_id):
    """The DeskTicket of a registration, or None."""
    return _ticket(_BY_ID, {"id": registration_id})
