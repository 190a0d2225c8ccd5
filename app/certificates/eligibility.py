"""Who gets a certificate: a list of small rules, each a SQL condition on Registration.

Every rule takes (event, settings) and returns a condition; a registration is eligible
when all of them hold. Another rule is one more function appended to ELIGIBILITY_RULES.
The evaluation rules ask app/evaluation/results.py, and only when the event's settings turn them on.
"""
from sqlalchemy import func, select, true

from app.evaluation.results import completed_every_evaluation, post_test_percentages
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


def _event_registration_ids(event):
    return db.session.execute(select(Registration.id).where(Registration.event_id == event.id)).scalars().all()


def completed_the_evaluation(event, settings):
    """When required: every evaluation form of the event answered (no form: nothing to answer)."""
    if not settings.require_evaluation:
        return true()
    return Registration.id.in_(completed_every_evaluation(event.id, _event_registration_ids(event)))


def passed_the_post_test(event, settings):
    """When a minimum is set: a post-test score of at least that percent (no post-test taken: not eligible)."""
    minimum = settings.min_post_test_score
    if minimum is None:
        return true()
    passed = [
        registration_id for registration_id, score in post_test_percentages(event.id).items()
        if score is not None and score >= minimum
    ]
    return Registration.id.in_(passed)


ELIGIBILITY_RULES = [is_active, was_present_enough, completed_the_evaluation, passed_the_post_test]


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
