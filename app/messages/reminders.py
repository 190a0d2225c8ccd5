"""Audiences, and scheduled reminders turned into messages when they fall due."""
from sqlalchemy import exists, update

from app.extensions import db
from app.messages.compose import compose, draft_for, message_context, render
from app.messages.outbox import enqueue_many, message_row
from app.models import (
    CHANNEL_EMAIL,
    KIND_CONFIRMATION,
    KIND_TICKET,
    MESSAGE_QUEUED,
    MESSAGE_SENDING,
    MESSAGE_SENT,
    REMINDER_DONE,
    REMINDER_PENDING,
    STATUS_REGISTERED,
    Attendance,
    EventDay,
    OutboxMessage,
    Registration,
    ScheduledReminder,
    utcnow,
)

AUDIENCE_ALL = "all"
AUDIENCE_UNSENT = "unsent"
# Bulk ticket sending also skips people whose ticket message is still on its way.
AUDIENCE_NOTHING_UNDERWAY = "unsent-or-underway"


def _id_after(audience, prefix):
    text = audience[len(prefix):]
    return int(text) if text.isdigit() and len(text) <= 9 else None


def ticket_received(statuses=(MESSAGE_SENT,)):
    """Whether a registration has a ticket-link message (confirmation or ticket, any channel) in `statuses`."""
    return exists().where(
        OutboxMessage.registration_id == Registration.id,
        OutboxMessage.kind.in_([KIND_CONFIRMATION, KIND_TICKET]),
        OutboxMessage.status.in_(statuses),
    )


def audience_query(event, audience):
    """The active registrations of `event` in `audience`: all, opd:<id>, present:<day id>,
    absent:<day id>, unsent (no ticket link sent yet; imported people first). None if unknown."""
    query = db.select(Registration).where(Registration.event_id == event.id,
                                          Registration.status == STATUS_REGISTERED)
    order = [Registration.full_name, Registration.id]
    if audience == AUDIENCE_ALL:
        pass
    elif audience in (AUDIENCE_UNSENT, AUDIENCE_NOTHING_UNDERWAY):
        statuses = (MESSAGE_SENT,) if audience == AUDIENCE_UNSENT else (MESSAGE_SENT, MESSAGE_QUEUED, MESSAGE_SENDING)
        query = query.where(~ticket_received(statuses))
        order = [(Registration.source == "form"), Registration.full_name, Registration.id]
    elif audience.startswith("opd:") and _id_after(audience, "opd:") is not None:
        query = query.where(Registration.organization_id == _id_after(audience, "opd:"))
    elif audience.startswith(("present:", "absent:")):
        state, _sep, _rest = audience.partition(":")
        day_id = _id_after(audience, state + ":")
        if day_id is None or not any(day.id == day_id for day in event.days):
            return None
        attended = exists().where(Attendance.registration_id == Registration.id, Attendance.event_day_id == day_id)
        query = query.where(attended if state == "present" else ~attended)
    else:
        return None
    return query.order_by(*order)


def audience_members(event, audience):
    query = audience_query(event, audience)
    return [] if query is None else db.session.execute(query).scalars().all()


def queue_for_audience(event, kind, audience, cause, *, day=None, subject="", body="", now=None):
    """Write one e-mail of `kind` for each person of `audience`; returns how many. The caller commits."""
    now = now or utcnow()
    rows = []
    with message_context():
        for registration in audience_members(event, audience):
            content = render(draft_for(kind, registration, day=day, subject=subject, body=body), event)
            rows.append(message_row(event_id=event.id, registration_id=registration.id, kind=kind,
                                    channel=CHANNEL_EMAIL, cause=cause, recipient=registration.email,
                                    content=content, now=now))
    enqueue_many(rows)
    return len(rows)


def materialise_due_reminders(now=None):
    """Each scheduled reminder whose time has come becomes its messages, in the transaction that marks
    it done (a second worker finds it done and writes nothing). Returns how many reminders. Commits."""
    now = now or utcnow()
    due = db.session.execute(
        db.select(ScheduledReminder.id).where(ScheduledReminder.status == REMINDER_PENDING,
                                              ScheduledReminder.send_at <= now)
    ).scalars().all()
    done = 0
    for reminder_id in due:
        taken = db.session.execute(
            update(ScheduledReminder)
            .where(ScheduledReminder.id == reminder_id, ScheduledReminder.status == REMINDER_PENDING)
            .values(status=REMINDER_DONE, done_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        if taken:
            reminder = db.session.get(ScheduledReminder, reminder_id)
            from app.models import Event

            event = db.session.get(Event, reminder.event_id)
            day = db.session.get(EventDay, reminder.event_day_id) if reminder.event_day_id else None
            queue_for_audience(event, reminder.kind, reminder.audience, f"reminder:{reminder.id}", day=day,
                               subject=reminder.subject, body=reminder.body, now=now)
            done += 1
        db.session.commit()
    return done


__all__ = ["audience_members", "audience_query", "compose", "materialise_due_reminders", "queue_for_audience"]
