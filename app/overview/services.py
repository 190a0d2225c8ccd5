"""Figures per event across tenants, in a fixed number of queries whatever the number of events.

Aggregates only: the queries select counts, dates, titles and tenant names, never a column of a
participant (name, NIP, phone, e-mail), so nothing personal can reach the page, JSON or workbook.

Work that lands later adds a column with one query of its own: a provider in FIGURE_PROVIDERS, a
function of the event ids answering {event id: {figure name: number}}, and the figure's heading in
FIGURE_LABELS (its order is the columns' order on the page and in the workbook).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func

from app.certificates.figures import CERTIFICATE_FIGURES, certificate_figures
from app.evaluation.results import EVALUATION_FIGURES, evaluation_figures
from app.extensions import db
from app.models import STATUS_REGISTERED, Attendance, Event, EventDay, EventOrganization, Registration, Tenant
from app.tenants.access import OBSERVE, scoped_events

FIGURE_PROVIDERS: list[Callable] = [certificate_figures, evaluation_figures]
FIGURE_LABELS: dict[str, str] = dict(CERTIFICATE_FIGURES + EVALUATION_FIGURES)


@dataclass
class EventFigures:
    tenant: str
    slug: str
    title: str
    dates: list[date]
    opds_taking_part: int = 0
    opds_with_participants: int = 0
    registered: int = 0
    present_per_day: list[int] = field(default_factory=list)
    present_every_day: int = 0
    extra: dict = field(default_factory=dict)

    def as_json(self):
        return {
            "tenant": self.tenant, "event": self.slug, "title": self.title,
            "dates": [day.isoformat() for day in self.dates],
            "opds_taking_part": self.opds_taking_part, "opds_with_participants": self.opds_with_participants,
            "registered": self.registered,
            "present_per_day": [{"date": day.isoformat(), "present": present}
                                for day, present in zip(self.dates, self.present_per_day, strict=True)],
            "present_every_day": self.present_every_day, **self.extra,
        }


def _active():
    return Registration.status == STATUS_REGISTERED


def programme_overview(user):
    """EventFigures of every event the user may observe, by tenant then first day. Six queries, and
    one per figure provider."""
    in_scope = scoped_events(user, OBSERVE).order_by(None).with_only_columns(Event.id).scalar_subquery()
    events = db.session.execute(
        db.select(Event.id, Tenant.name, Event.slug, Event.title)
        .join(Tenant, Tenant.id == Event.tenant_id).where(Event.id.in_(in_scope))
    ).all()
    figures = {event_id: EventFigures(tenant, slug, title, []) for event_id, tenant, slug, title in events}
    day_index = {}
    for event_id, day_id, day in db.session.execute(
        db.select(EventDay.event_id, EventDay.id, EventDay.date).where(EventDay.event_id.in_(in_scope))
        .order_by(EventDay.event_id, EventDay.date)
    ):
        day_index[day_id] = (event_id, len(figures[event_id].dates))
        figures[event_id].dates.append(day)
        figures[event_id].present_per_day.append(0)
    for event_id, count in db.session.execute(
        db.select(EventOrganization.event_id, func.count()).where(EventOrganization.event_id.in_(in_scope))
        .group_by(EventOrganization.event_id)
    ):
        figures[event_id].opds_taking_part = count
    for event_id, registered, opds in db.session.execute(
        db.select(Registration.event_id, func.count(), func.count(distinct(Registration.organization_id)))
        .where(Registration.event_id.in_(in_scope), _active()).group_by(Registration.event_id)
    ):
        figures[event_id].registered, figures[event_id].opds_with_participants = registered, opds
    for day_id, present in db.session.execute(
        db.select(Attendance.event_day_id, func.count())
        .join(Registration, Registration.id == Attendance.registration_id)
        .where(Attendance.event_id.in_(in_scope), _active()).group_by(Attendance.event_day_id)
    ):
        event_id, number = day_index[day_id]
        figures[event_id].present_per_day[number] = present
    for event_id, every_day in db.session.execute(_present_every_day(in_scope)):
        figures[event_id].present_every_day = every_day
    for provider in FIGURE_PROVIDERS:
        for event_id, extra in provider(list(figures)).items():
            figures[event_id].extra.update(extra)
    return sorted(figures.values(), key=lambda f: (f.tenant, f.dates[0] if f.dates else date.max, f.slug))


def _present_every_day(in_scope):
    """(event id, people present on every day of it): one query."""
    days = (db.select(EventDay.event_id, func.count().label("days"))
            .where(EventDay.event_id.in_(in_scope)).group_by(EventDay.event_id).subquery())
    per_person = (
        db.select(Attendance.event_id, Attendance.registration_id, func.count().label("present"))
        .join(Registration, Registration.id == Attendance.registration_id)
        .where(Attendance.event_id.in_(in_scope), _active())
        .group_by(Attendance.event_id, Attendance.registration_id).subquery()
    )
    return (db.select(per_person.c.event_id, func.count())
            .join(days, days.c.event_id == per_person.c.event_id)
            .where(per_person.c.present == days.c.days).group_by(per_person.c.event_id))


def totals(figures):
    return {
        "events": len(figures),
        "tenants": len({f.tenant for f in figures}),
        "registered": sum(f.registered for f in figures),
        "present_every_day": sum(f.present_every_day for f in figures),
    }
