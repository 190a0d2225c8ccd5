"""Registrations and attendance counted per OPD: one query, for the dashboard and the Rekap sheet.

Only active registrations count; a cancelled person's check-ins stay in the
database (and on the Peserta sheet) but not in the totals.
"""
from dataclasses import dataclass

from sqlalchemy import case, func

from app.extensions import db
from app.models import STATUS_REGISTERED, Attendance, EventOrganization, Organization, Registration
from app.models.registration import ROLE_PESERTA


@dataclass(frozen=True)
class OrganizationSummary:
    organization_id: int
    short_name: str
    name: str
    quota: int | None  # the effective quota; None means no limit
    registered: int
    present: tuple[int, ...]  # one count per event day, in day order
    present_all_days: int


def _per_registration(event, days):
    """One row per active registration: its OPD, how many days it was present, and a 0/1 per day."""
    columns = [
        func.max(case((Attendance.event_day_id == day.id, 1), else_=0)).label(f"day_{index}")
        for index, day in enumerate(days)
    ]
    return (
        db.select(
            Registration.id,
            Registration.organization_id,
            func.count(Attendance.id).label("days_present"),
            *columns,
        )
        .outerjoin(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
               Registration.role == ROLE_PESERTA)  # the OPD's seats: narasumber and panitia have a sheet of their own
        .group_by(Registration.id, Registration.organization_id)
        .subquery()
    )


def organization_summaries(event, days):
    """An OrganizationSummary for every OPD taking part in `event`, by name (a single query)."""
    per_registration = _per_registration(event, days)
    day_sums = [func.coalesce(func.sum(per_registration.c[f"day_{index}"]), 0) for index in range(len(days))]
    all_days = func.coalesce(
        func.sum(case((per_registration.c.days_present == len(days), 1), else_=0)), 0
    ) if days else db.literal(0)
    rows = db.session.execute(
        db.select(
            Organization.id,
            Organization.short_name,
            Organization.name,
            EventOrganization.quota,
            func.count(per_registration.c.id),
            all_days,
            *day_sums,
        )
        .select_from(EventOrganization)
        .join(Organization, Organization.id == EventOrganization.organization_id)
        .outerjoin(per_registration, per_registration.c.organization_id == EventOrganization.organization_id)
        .where(EventOrganization.event_id == event.id)
        .group_by(Organization.id, Organization.short_name, Organization.name, EventOrganization.quota)
        .order_by(Organization.name)
    ).all()
    return [
        OrganizationSummary(
            organization_id=row[0],
            short_name=row[1],
            name=row[2],
            quota=row[3] if row[3] is not None else event.default_quota,
            registered=row[4],
            present_all_days=int(row[5]),
            present=tuple(int(count) for count in row[6:]),
        )
        for row in rows
    ]
