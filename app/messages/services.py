"""Messages a person's actions cause: the confirmation, a ticket sent again, a WhatsApp click-through.

Each writes into the outbox in the caller's transaction; the caller commits.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.messages.compose import compose, draft_for, message_context, render, wa_me
from app.messages.outbox import enqueue
from app.models import (
    CHANNEL_EMAIL,
    CHANNEL_WHATSAPP,
    KIND_CONFIRMATION,
    KIND_TICKET,
    MESSAGE_FAILED,
    MESSAGE_QUEUED,
    MESSAGE_SENDING,
    MESSAGE_SENT,
    STATUS_REGISTERED,
    EventDay,
    OutboxMessage,
    Registration,
    ScheduledReminder,
    utcnow,
)


def queue_confirmation(registration):
    """The registration's confirmation e-mail (ticket link and edit link); at most one per registration."""
    return enqueue(event_id=registration.event_id, registration_id=registration.id, kind=KIND_CONFIRMATION,
                   channel=CHANNEL_EMAIL, cause=f"registration:{registration.id}", recipient=registration.email,
                   content=compose(KIND_CONFIRMATION, registration))


def queue_ticket_email(registration, cause=None):
    """The ticket link again, by e-mail. `cause` names the request (one click, one message)."""
    return enqueue(event_id=registration.event_id, registration_id=registration.id, kind=KIND_TICKET,
                   channel=CHANNEL_EMAIL, cause=cause or f"resend:{secrets.token_hex(8)}",
                   recipient=registration.email, content=compose(KIND_TICKET, registration))


def queue_ticket_whatsapp(registration, cause=None):
    """A WhatsApp click-through message with the ticket link, waiting for the committee's click."""
    return enqueue(event_id=registration.event_id, registration_id=registration.id, kind=KIND_TICKET,
                   channel=CHANNEL_WHATSAPP, cause=cause or f"resend:{secrets.token_hex(8)}",
                   recipient=registration.phone,
                   content=compose(KIND_TICKET, registration, channel=CHANNEL_WHATSAPP))


# Why a click-through message cannot be opened now (its registration as it is now).
NOT_ACTIVE = "cancelled"
NO_PHONE = "no_phone"
GONE = "gone"


def whatsapp_refusal(message):
    """Why `message` cannot go out now (NOT_ACTIVE, NO_PHONE, GONE: its person was deleted), or None."""
    registration = message.registration
    if registration is None:
        return GONE
    if not registration.is_active:
        return NOT_ACTIVE
    if not registration.phone:
        return NO_PHONE
    return None


def whatsapp_content(message):
    """The click-through message built now, from its registration as it is now (name, phone, live ticket
    link): a seat handed over or a phone changed since the message was listed is never offered with the
    old data. Returns (phone, Content); the caller checks whatsapp_refusal first."""
    registration = message.registration
    options = {}
    base_url = None
    if message.cause.startswith("reminder:"):
        reminder_id = message.cause.partition(":")[2]
        reminder = db.session.get(ScheduledReminder, int(reminder_id)) if reminder_id.isdigit() else None
        if reminder is not None:
            options = {"day": db.session.get(EventDay, reminder.event_day_id) if reminder.event_day_id else None,
                       "subject": reminder.subject, "body": reminder.body}
            base_url = reminder.base_url
    with message_context(base_url):
        content = render(draft_for(message.kind, registration, channel=CHANNEL_WHATSAPP, **options),
                         registration.event)
    return registration.phone, content


def whatsapp_link(message):
    """The wa.me link of `message` as it would be built now (None if it cannot go out)."""
    if whatsapp_refusal(message) is not None:
        return None
    phone, content = whatsapp_content(message)
    return wa_me(phone, content.text)


def find_whatsapp(event, message_id):
    return db.session.execute(
        db.select(OutboxMessage).filter_by(id=message_id, event_id=event.id, channel=CHANNEL_WHATSAPP)
    ).scalar_one_or_none()


def mark_clicked(event, message_id, *, now=None):
    """The committee opened this click-through message in WhatsApp: it counts as sent, and the log keeps
    what was opened (the number and text of now). A message that cannot go out any more (its person
    cancelled, or has no number now) is set aside as failed, with the reason. Returns the message, or None
    if it is not a WhatsApp message of `event`. The caller commits."""
    message = find_whatsapp(event, message_id)
    if message is None:
        return None
    now = now or utcnow()
    refusal = whatsapp_refusal(message)
    values: dict[str, object]
    if refusal is not None:
        values = {"status": MESSAGE_FAILED, "last_error": REFUSAL_NOTES[refusal]}
    else:
        phone, content = whatsapp_content(message)
        values = {"status": MESSAGE_SENT, "sent_at": now, "subject": content.subject[:300],
                  "body_text": content.text, "body_html": None}
        if phone != message.recipient and not _recipient_taken(message, phone):
            values["recipient"] = phone
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == MESSAGE_QUEUED)
        .values(attempts=OutboxMessage.attempts + 1, **values)
        .execution_options(synchronize_session="fetch")
    )
    return message


# Kept in the send log (the committee's page) when a click-through message is set aside.
REFUSAL_NOTES = {
    NOT_ACTIVE: "Tidak dikirim: pendaftarannya sudah dibatalkan.",
    NO_PHONE: "Tidak dikirim: peserta tidak punya nomor WhatsApp lagi.",
    GONE: "Tidak dikirim: data peserta sudah dihapus.",
}


def _recipient_taken(message, phone):
    """Whether the same message (cause, kind) to `phone` exists already: the row keeps its old number then,
    as the database holds one message per (cause, kind, channel, recipient)."""
    return db.session.execute(
        db.select(OutboxMessage.id).filter_by(cause=message.cause, kind=message.kind, channel=message.channel,
                                              recipient=phone)
    ).first() is not None


def send_log(event, *, registration_id=None, limit=200):
    """The newest messages of `event` (of one registration, if given)."""
    query = db.select(OutboxMessage).where(OutboxMessage.event_id == event.id)
    if registration_id is not None:
        query = query.where(OutboxMessage.registration_id == registration_id)
    query = query.options(joinedload(OutboxMessage.registration))
    return db.session.execute(query.order_by(OutboxMessage.id.desc()).limit(limit)).scalars().all()


FORGOT_WINDOW_MINUTES = 15


def forgot_ticket(event, typed, *, now=None):
    """ "Lupa tiket?": e-mail the ticket link of the active registration of `event` whose e-mail or NIP was
    typed. Returns nothing the caller could show: the answer must not say whether the person exists.

    At most one such e-mail per registration per 15 minutes, kept by the outbox's unique key (the cause
    names the window). The caller commits.
    """
    from app.registration.rules import InvalidValue, clean_email, clean_nip

    text = (typed or "").strip()[:254]
    try:
        if "@" in text:
            value = clean_email(text)
            same_person = Registration.email == value
        else:
            value = clean_nip(text)
            same_person = Registration.nip == value
    except InvalidValue:
        return
    if not value:
        return
    registration = db.session.execute(
        db.select(Registration).where(Registration.event_id == event.id, same_person,
                                      Registration.status == STATUS_REGISTERED)
    ).scalar_one_or_none()
    if registration is None:
        return
    now = now or utcnow()
    window = int(now.timestamp() // (FORGOT_WINDOW_MINUTES * 60))
    queue_ticket_email(registration, cause=f"forgot:{registration.id}:{window}")


@dataclass
class BulkTickets:
    """What a bulk ticket send did, and why each person left out was left out (channels are counted
    apart: a ticket e-mailed does not count as a ticket sent by WhatsApp)."""

    written: int = 0
    already_sent: int = 0  # sent a ticket link on this channel already
    underway: int = 0  # a ticket message on this channel is queued or on its way
    no_address: int = 0  # no e-mail address / no WhatsApp number
    cancelled: int = 0  # cancelled registrations are never sent a ticket
    already_tried: int = 0  # a bulk ticket message on this channel was written before and did not go out


def _ticket_holders(event, channel, statuses):
    """The ids of the active registrations of `event` with a ticket-link message of `channel` in `statuses`."""
    from app.messages.reminders import ticket_received

    return set(db.session.execute(
        db.select(Registration.id).where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
                                         ticket_received(statuses, channel))
    ).scalars())


def queue_ticket_to_unsent(event, channel):
    """Bulk "kirim tiket ke yang belum menerima": a ticket message by `channel` to each active participant
    not yet sent one on that channel, imported people first. Returns a BulkTickets that says why each
    one left out was left out (a person already queued by an earlier bulk send is not written twice).
    The caller commits."""
    from app.messages.reminders import AUDIENCE_NOTHING_UNDERWAY, audience_members

    sent = _ticket_holders(event, channel, (MESSAGE_SENT,))
    underway = _ticket_holders(event, channel, (MESSAGE_QUEUED, MESSAGE_SENDING)) - sent
    outcome = BulkTickets(already_sent=len(sent), underway=len(underway), cancelled=db.session.execute(
        db.select(func.count()).select_from(Registration)
        .where(Registration.event_id == event.id, Registration.status != STATUS_REGISTERED)).scalar_one())
    queue = queue_ticket_whatsapp if channel == CHANNEL_WHATSAPP else queue_ticket_email
    for registration in audience_members(event, AUDIENCE_NOTHING_UNDERWAY, channel):
        if not (registration.phone if channel == CHANNEL_WHATSAPP else registration.email):
            outcome.no_address += 1
        elif queue(registration, cause=f"bulk:{registration.id}") is not None:
            outcome.written += 1
        else:  # written by an earlier bulk send and set aside since (failed): never written twice
            outcome.already_tried += 1
    return outcome


def whatsapp_todo(event):
    """The WhatsApp click-through messages of `event` not yet opened, oldest first."""
    return db.session.execute(
        db.select(OutboxMessage)
        .where(OutboxMessage.event_id == event.id, OutboxMessage.channel == CHANNEL_WHATSAPP,
               OutboxMessage.status == MESSAGE_QUEUED)
        .options(joinedload(OutboxMessage.registration))
        .order_by(OutboxMessage.id)
    ).scalars().all()


# An e-mail due this long and still queued means no worker is sending (one sends within seconds).
STALE_AFTER = timedelta(minutes=10)


@dataclass
class MailTrouble:
    """Why e-mail to participants is not going out, for the committee's pages (never a participant's)."""

    unconfigured: bool  # no MAIL_SERVER: e-mails are kept, unsent
    waiting: int  # e-mails of the event due for more than STALE_AFTER and still queued

    def __bool__(self):
        return self.unconfigured or self.waiting > 0


def mail_trouble(event, *, now=None):
    """What the committee should know about e-mail to the participants of `event` not going out. Without
    MAIL_SERVER that says it all: nothing is counted (the Peserta page keeps its few queries)."""
    if not current_app.config.get("MAIL_SERVER"):
        return MailTrouble(unconfigured=True, waiting=0)
    now = now or utcnow()
    waiting = db.session.execute(
        db.select(func.count()).select_from(OutboxMessage)
        .where(OutboxMessage.event_id == event.id, OutboxMessage.channel == CHANNEL_EMAIL,
               OutboxMessage.status == MESSAGE_QUEUED, OutboxMessage.next_attempt_at <= now - STALE_AFTER)
    ).scalar_one()
    return MailTrouble(unconfigured=False, waiting=waiting)
