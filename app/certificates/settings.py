"""An event's certificate settings, and the JP (jam pelajaran) its agenda is worth."""
from dataclasses import dataclass
from itertools import groupby
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError

from app.certificates.numbering import first_collision
from app.extensions import db
from app.models import (
    DEFAULT_NUMBER_PATTERN,
    AgendaItem,
    Certificate,
    CertificateSettings,
    Event,
    Tenant,
    utcnow,
)

MINUTES_PER_JP = 45


def certificate_settings(event):
    """The event's stored settings, or unsaved defaults (never added to the session)."""
    found = db.session.execute(db.select(CertificateSettings).filter_by(event_id=event.id)).scalar_one_or_none()
    if found is not None:
        return found
    return CertificateSettings(
        event_id=event.id, jp_rounding="down", require_evaluation=False,
        number_pattern=DEFAULT_NUMBER_PATTERN, signer_name="",
        signer_nip="", signer_position="", layout="", issue_place="", seq_start=1,
    )


def lock_certificate_settings(event):
    """The event's settings row, write-locked until the transaction ends (created if missing).

    Issuing and re-issuing take this lock first, so two runs for one event take turns:
    a no-op UPDATE locks the row on PostgreSQL and the database on SQLite. Two first
    runs that both insert the row meet on its unique event_id; the loser retries.
    The tenant's row is locked before it the same way: numbers are checked against the
    tenant's other events (colliding_number), so their runs take turns too.
    """
    db.session.execute(
        update(Tenant).where(Tenant.id == event.tenant_id).values(id=Tenant.id)
        .execution_options(synchronize_session=False)
    )
    for _attempt in range(3):
        locked = db.session.execute(
            update(CertificateSettings).where(CertificateSettings.event_id == event.id)
            .values(event_id=CertificateSettings.event_id)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult, locked).rowcount == 1:  # an UPDATE's result is a CursorResult
            return db.session.execute(
                db.select(CertificateSettings).filter_by(event_id=event.id).execution_options(populate_existing=True)
            ).scalar_one()
        settings = certificate_settings(event)
        db.session.add(settings)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        return settings
    raise RuntimeError("could not lock the certificate settings")


def save_certificate_settings(event, fields):
    """Store the settings of `event` from plain `fields` (column name → value). The caller commits."""
    settings = lock_certificate_settings(event)
    for name, value in fields.items():
        setattr(settings, name, value)
    db.session.flush()
    return settings


def jp_from_minutes(minutes, rounding):
    """JP for `minutes` of sessions: 45 minutes each, rounded down, to the nearest, or up."""
    whole, rest = divmod(max(int(minutes), 0), MINUTES_PER_JP)
    if rounding == "up":
        return whole + (rest > 0)
    if rounding == "nearest":
        return whole + (rest * 2 >= MINUTES_PER_JP)
    return whole


@dataclass(frozen=True)
class CountedDay:
    """One event day's agenda items that count for JP, and the minutes they cover together."""

    number: int
    items: list  # (AgendaItem, its own minutes), by start
    minutes: int  # the union of the items' times: overlapping items count once

    @property
    def overlap_minutes(self):
        return sum(minutes for _item, minutes in self.items) - self.minutes


@dataclass(frozen=True)
class JpBreakdown:
    """How the agenda makes the JP: the counted days, the total, and what is left out."""

    days: list
    not_counted: list  # AgendaItems the committee (or their title) left out
    without_end: list  # counted AgendaItems without an end time, which add nothing
    minutes: int
    rounding: str
    day_numbers: dict  # event day id → 1, 2 …

    @property
    def jp(self):
        return jp_from_minutes(self.minutes, self.rounding)


def _item_minutes(item):
    return int((item.ends_at - item.starts_at).total_seconds() // 60)


def _covered_minutes(items):
    """Minutes covered by the items' [start, end) times, each stretch once; `items` sorted by start."""
    seconds, covered_until = 0.0, None
    for item in items:
        starts = item.starts_at if covered_until is None else max(item.starts_at, covered_until)
        if item.ends_at > starts:
            seconds += (item.ends_at - starts).total_seconds()
            covered_until = item.ends_at
    return int(seconds // 60)


def jp_breakdown(event, rounding="down"):
    """The agenda's JP: per day, the minutes the counted items cover together (overlaps once)."""
    items = db.session.execute(
        db.select(AgendaItem).where(AgendaItem.event_id == event.id)
        .order_by(AgendaItem.event_day_id, AgendaItem.starts_at, AgendaItem.id)
    ).scalars().all()
    day_numbers = {day.id: number for number, day in enumerate(event.days, start=1)}
    timed = [item for item in items if item.counts_for_jp and item.ends_at is not None]
    days = []
    for day_id, day_items in groupby(timed, key=lambda item: item.event_day_id):
        listed = list(day_items)
        days.append(CountedDay(day_numbers.get(day_id, 0), [(item, _item_minutes(item)) for item in listed],
                               _covered_minutes(listed)))
    days.sort(key=lambda day: day.number)

    def in_order(left_out):
        return sorted(left_out, key=lambda item: (day_numbers.get(item.event_day_id, 0), item.starts_at))

    return JpBreakdown(
        days=days, not_counted=in_order(item for item in items if not item.counts_for_jp),
        without_end=in_order(item for item in items if item.counts_for_jp and item.ends_at is None),
        minutes=sum(day.minutes for day in days), rounding=rounding, day_numbers=day_numbers,
    )


def agenda_minutes(event):
    """Minutes of the event's sessions: the agenda items counted for JP, overlaps once per day."""
    return jp_breakdown(event).minutes


def event_jp(event, settings):
    """The JP a certificate of this event carries: the override, else the agenda's."""
    if settings.jp_override is not None:
        return settings.jp_override
    return jp_from_minutes(agenda_minutes(event), settings.jp_rounding or "down")


def colliding_number(event, pattern, start, issue_date, *, now=None):
    """A number another event of the same tenant has already issued that `event` would issue again with
    this pattern, start and issue date (today in the event's zone when none), or None."""
    issued_on = issue_date or (now or utcnow()).astimezone(event.tz).date()
    numbers = db.session.execute(
        db.select(Certificate.number).join(Event, Event.id == Certificate.event_id)
        .where(Event.tenant_id == event.tenant_id, Event.id != event.id)
    ).scalars()
    return first_collision(pattern, start, issued_on, numbers)
