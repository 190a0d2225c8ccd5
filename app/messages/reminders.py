"""Audiences, and scheduled reminders turned into messages when they fall due."""
from datetime import datetime, time, timedelta
from typing import cast

from sqlalchemy import CursorResult, exists, func, update
from sqlalchemy.dialects import postgresql, sqlite

from app.evaluation.results import not_answered
from app.evaluation.services import forms_of
from app.extensions import db
from app.messages.compose import LOOK_UP, Content, compose, draft_for, message_context, public_base_url, render
from app.messages.outbox import KICK, enqueue_many, message_row
from app.messages.templates import find_template
from app.models import (
    CHANNEL_EMAIL,
    CHANNEL_WHATSAPP,
    KIND_ABSENT,
    KIND_CONFIRMATION,
    KIND_REMINDER_BEFORE,
    KIND_REMINDER_DAY,
    KIND_TICKET,
    MESSAGE_QUEUED,
    MESSAGE_SENDING,
    MESSAGE_SENT,
    REMINDER_DONE,
    REMINDER_PENDING,
    STATUS_REGISTERED,
    Attendance,
    Event,
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


def ticket_received(statuses=(MESSAGE_SENT,), channel=None):
    """Whether a registration has a ticket-link message (confirmation or ticket; of `channel`, else of any)
    in `statuses`."""
    return exists().where(
        OutboxMessage.registration_id == Registration.id,
        OutboxMessage.kind.in_([KIND_CONFIRMATION, KIND_TICKET]),
        OutboxMessage.status.in_(statuses),
        *([OutboxMessage.channel == channel] if channel else []),
    )


def audience_query(event, audience, channel=None):
    """The active registrations of `event` in `audience`: all, opd:<id>, present:<day id>,
    absent:<day id>, unanswered:<evaluation form id> (not answered that form yet; everyone, below k respondents
    of an anonymous form), unsent (no ticket link sent yet on `channel`, when given: channels are independent;
    imported people first). None if unknown."""
    query = db.select(Registration).where(Registration.event_id == event.id,
                                          Registration.status == STATUS_REGISTERED)
    order: list = [Registration.full_name, Registration.id]  # columns and expressions
    if audience == AUDIENCE_ALL:
        pass
    elif audience in (AUDIENCE_UNSENT, AUDIENCE_NOTHING_UNDERWAY):
        statuses = (MESSAGE_SENT,) if audience == AUDIENCE_UNSENT else (MESSAGE_SENT, MESSAGE_QUEUED, MESSAGE_SENDING)
        query = query.where(~ticket_received(statuses, channel))
        order = [(Registration.source == "form"), Registration.full_name, Registration.id]
    elif audience.startswith("opd:") and _id_after(audience, "opd:") is not None:
        query = query.where(Registration.organization_id == _id_after(audience, "opd:"))
    elif audience.startswith("unanswered:"):
        form_id = _id_after(audience, "unanswered:")
        form = next((form for form in forms_of(event) if form.id == form_id), None)
        if form is None:
            return None
        query = query.where(not_answered(form))
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


def audience_members(event, audience, channel=None):
    query = audience_query(event, audience, channel)
    return [] if query is None else db.session.execute(query).scalars().all()


def queue_for_audience(event, kind, audience, cause, *, day=None, subject="", body="", base_url=None,
                       channel=CHANNEL_EMAIL, now=None):
    """Write one message of `kind` for each person of `audience` who has an address on that channel
    (an erased person has none), its links on `base_url` unless PUBLIC_BASE_URL is set: an e-mail,
    or a WhatsApp click-through message for the Pesan page's list. Returns how many. The caller commits."""
    now = now or utcnow()
    rows = []
    template = find_template(event, kind)  # the committee's wording as it is now, once for everyone
    with message_context(base_url):
        for registration in audience_members(event, audience, channel):
            recipient = registration.phone if channel == CHANNEL_WHATSAPP else registration.email
            if not recipient:
                continue
            content = render(draft_for(kind, registration, day=day, subject=subject, body=body, template=template,
                                       channel=channel), event)
            rows.append(message_row(event_id=event.id, registration_id=registration.id, kind=kind,
                                    channel=channel, cause=cause, recipient=recipient, content=content, now=now))
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
        taken = cast(CursorResult, db.session.execute(
            update(ScheduledReminder)
            .where(ScheduledReminder.id == reminder_id, ScheduledReminder.status == REMINDER_PENDING)
            .values(status=REMINDER_DONE, done_at=now)
            .execution_options(synchronize_session=False)
        )).rowcount == 1
        reminder = db.session.get(ScheduledReminder, reminder_id) if taken else None
        if reminder is not None:
            event = db.session.get(Event, reminder.event_id)
            day = db.session.get(EventDay, reminder.event_day_id) if reminder.event_day_id else None
            queue_for_audience(event, reminder.kind, reminder.audience, f"reminder:{reminder.id}", day=day,
                               subject=reminder.subject, body=reminder.body, base_url=reminder.base_url,
                               channel=reminder.channel)
            done += 1
        db.session.commit()
    return done


__all__ = ["audience_members", "audience_query", "compose", "materialise_due_reminders", "queue_for_audience"]


def schedule(event, *, kind, audience, send_at, day=None, subject="", body="", base_url=None,
             channel=CHANNEL_EMAIL):
    """Schedule a message to `audience` at `send_at` (now or later); the worker writes its messages then,
    their links on `base_url` (the address the committee used) unless PUBLIC_BASE_URL is set.
    Returns the reminder, or None if the same one is already scheduled. The caller commits."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ScheduledReminder)
    reminder_id = db.session.execute(
        insert.values(event_id=event.id, kind=kind, audience=audience, event_day_id=day.id if day else None,
                      subject=subject[:300], body=body, send_at=send_at, status=REMINDER_PENDING,
                      created_at=utcnow(), base_url=base_url, channel=channel)
        .on_conflict_do_nothing(index_elements=["event_id", "kind", "audience", "event_day_id", "send_at", "channel"])
        .returning(ScheduledReminder.id)
    ).scalar_one_or_none()
    db.session.info[KICK] = True
    return db.session.get(ScheduledReminder, reminder_id) if reminder_id else None


# The standard reminders, in the event's local time.
BEFORE_AT = time(15, 0)  # the day before the first day
MORNING_AT = time(6, 0)  # each event day
ABSENT_AT = time(10, 0)  # each event day, to those not yet checked in


def schedule_standard(event, now=None, base_url=None):
    """H-1 (to everyone), the morning of each day (to everyone) and "belum tercatat hadir" at 10.00 each day
    (to those absent then); the ones whose time has passed are skipped. Returns how many were added."""
    now = now or utcnow()
    if not event.days:
        return 0
    wanted = [(KIND_REMINDER_BEFORE, AUDIENCE_ALL, event.days[0],
               datetime.combine(event.days[0].date - timedelta(days=1), BEFORE_AT, tzinfo=event.tz))]
    for day in event.days:
        wanted.append((KIND_REMINDER_DAY, AUDIENCE_ALL, day, datetime.combine(day.date, MORNING_AT, tzinfo=event.tz)))
        wanted.append((KIND_ABSENT, f"absent:{day.id}", day, datetime.combine(day.date, ABSENT_AT, tzinfo=event.tz)))
    added = 0
    for kind, audience, day, send_at in wanted:
        if send_at > now and schedule(event, kind=kind, audience=audience, day=day, send_at=send_at,
                                         base_url=base_url) is not None:
            added += 1
    return added


def scheduled(event):
    return db.session.execute(
        db.select(ScheduledReminder).filter_by(event_id=event.id)
        .order_by(ScheduledReminder.send_at, ScheduledReminder.id)
    ).scalars().all()


def unreachable(event, audience, channel):
    """How many people of `audience` have no address on `channel` (no e-mail / no WhatsApp number): a
    message to them is not written, and the preview says so."""
    query = audience_query(event, audience, channel)
    if query is None:
        return 0
    address = Registration.phone if channel == CHANNEL_WHATSAPP else Registration.email
    return db.session.execute(
        db.select(func.count()).select_from(
            query.where((address.is_(None)) | (address == "")).order_by(None).subquery())
    ).scalar_one()


def without_address(event):
    """How many pending reminders of `event` would write links to an unknown address (no PUBLIC_BASE_URL,
    and scheduled without one, e.g. before addresses were kept)."""
    if public_base_url():
        return 0
    return db.session.execute(
        db.select(func.count()).select_from(ScheduledReminder)
        .where(ScheduledReminder.event_id == event.id, ScheduledReminder.status == REMINDER_PENDING,
               ScheduledReminder.base_url.is_(None))
    ).scalar_one()


def find_pending(event, reminder_id):
    """The reminder `reminder_id` of `event` that has not gone out yet, or None."""
    return db.session.execute(
        db.select(ScheduledReminder).filter_by(id=reminder_id, event_id=event.id, status=REMINDER_PENDING)
    ).scalar_one_or_none()


def unschedule(event, reminder_id):
    """Drop a reminder that has not gone out yet. Returns whether one was dropped. The caller commits."""
    from sqlalchemy import delete

    return cast(CursorResult, db.session.execute(
        delete(ScheduledReminder).where(ScheduledReminder.id == reminder_id, ScheduledReminder.event_id == event.id,
                                        ScheduledReminder.status == REMINDER_PENDING)
    )).rowcount == 1


def preview(event, kind, audience, *, day=None, subject="", body="", template=LOOK_UP, channel=CHANNEL_EMAIL):
    """(how many people, the Content for the first of them or None); `template`: a wording not yet saved."""
    query = audience_query(event, audience, channel)
    if query is None:
        return 0, None
    count = db.session.execute(db.select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    first = db.session.execute(query.limit(1)).scalars().first()
    if first is None:
        return count, None
    content = compose(kind, first, day=day, subject=subject, body=body, template=template, channel=channel)
    # The committee reads the preview: the participant's edit secret stays out of it.
    hidden = "…"
    return count, Content(content.subject, content.text.replace(first.edit_token, hidden),
                          content.html.replace(first.edit_token, hidden) if content.html else None)
