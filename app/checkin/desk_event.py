"""What a check-in desk needs of an event: its id, time zone and days, in one query.

Remembered per process for CHECKIN_CACHE_SECONDS (app/cache.py): a day added to or
removed from an event, or its time zone changed, reaches the desks within that time.
"""
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from app.cache import Memo
from app.extensions import db
from app.models import Event, EventDay


@dataclass(frozen=True)
class DeskDay:
    """An EventDay as check_in() and the API answer read it."""

    id: int
    event_id: int
    date: date
    number: int  # 1 for the event's first day, 2 for the second …


@dataclass(frozen=True)
class DeskEvent:
    id: int
    slug: str
    timezone: str
    days: tuple[DeskDay, ...]

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def day_on(self, local_date):
        return next((day for day in self.days if day.date == local_date), None)


_events = Memo()


def _load(condition):
    rows = db.session.execute(
        db.select(Event.id, Event.slug, Event.timezone, EventDay.id, EventDay.date)
        .outerjoin(EventDay, EventDay.event_id == Event.id)
        .where(condition)
        .order_by(EventDay.date)
    ).all()
    if not rows:
        return None
    event_id, slug, timezone = rows[0][:3]
    days = tuple(DeskDay(day_id, event_id, day, n) for n, (*_, day_id, day) in enumerate(
        (row for row in rows if row[3] is not None), 1))
    return DeskEvent(event_id, slug, timezone, days)


def desk_event(slug):
    """The DeskEvent with this slug, or None."""
    return _events.get(("slug", slug), lambda: _load(Event.slug == slug))


def desk_event_by_id(event_id):
    return _events.get(("id", event_id), lambda: _load(Event.id == event_id))
