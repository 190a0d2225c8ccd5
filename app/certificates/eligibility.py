"""Who gets a certificate: a list of small rules, each a SQL condition on Registration.

Every rule takes (event, settings) and returns a condition; a registration is eligible
when all of them hold. Another rule (say, "completed the evaluation") is one more
function appended to ELIGIBILITY_RULES.
"""
from sqlalchemy import func, select

from app.extensions import db
from app.models import STATUS_REGISTERED, Attendance, EventDay, Registration


def is_active(event, settings):
    return Registration.status == STATUS_REGISTERED


def days_required(event_day_count, settings):
    """Every day by default, else at least `min_days` (never more than the event has)."""
    if settings.min_days is None:
        return event_day_count
    return min(settings.min_days, event_day_count)


def present_days(registration_id=Registration.id):
    """Days a registration was present: any attendance row counts, a late ("susulan") one too."""
    return (
        select(func.count()).select_from(Attendance)
        .where(Attendance.registration_id == registration_id).scalar_subquery()
    )


def was_present_enough(event, settings):
    day_count = db.session.execute(
        select(func.count()).select_from(EventDay).where(EventDay.event_id == event.id)
    ).scalar_one()
    required = days_required(day_count, settings)
    if required == 0:  # an event without days has nobody to certify
        return Registration.id.is_(None)
    return present_days() >= required


ELIGIBILITY_RULES = [is_active, was_present_enough]


def eligibility_conditions(event, settings):
    return [rule(event, settings) for rule in ELIGIBILITY_RULES]


def eligible_registration_ids(event, settings):
    """The ids of the event's eligible registrations (a select, for use in a larger query)."""
    return select(Registration.id).where(Registration.event_id == event.id, *eligibility_conditions(event, settings))


def is_eligible(registration, settings):
    event = registration.event
    return db.session.execute(
        select(func.count()).select_from(Registration)
        .where(Registration.id == registration.id, *eligibility_conditions(event, settings))
    ).scalar_one() == 1
