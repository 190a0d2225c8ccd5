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
from app.messages.outbox import KICK, enqueue
from app.messages.reminders import AUDIENCE_NOTHING_UNDERWAY, audience_members, ticket_received
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
    TicketLookup,
    utcnow,
)
from app.values import InvalidValue, clean_email, clean_nip


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


def queue_edit_link_email(registration, *, now=None):
    """The ticket and edit links by e-mail to the participant's own address, asked from the ticket page:
    at most one per registration per 15 minutes (the cause names the window). The caller commits."""
    now = now or utcnow()
    window = int(now.timestamp() // (FORGOT_WINDOW_MINUTES * 60))
    return queue_ticket_email(registration, cause=f"edit-link:{registration.id}:{window}")


def queue_ticket_whatsapp(registration, cause=None):
    """A WhatsApp click-through message with the ticket link (never the edit link: the committee sends it
    from its own phone), waiting for the committee's click."""
    return enqueue(event_id=registration.event_id, registration_id=registration.id, kind=KIND_TICKET,
                   channel=CHANNEL_WHATSAPP, cause=cause or f"resend:{secrets.token_hex(8)}",
                   recipient=registration.phone,
                   content=compose(KIND_TICKET, registration, channel=CHANNEL_WHATSAPP))


# Why a click-through message cannot be opened now (its registration as it is now).
NOT_ACTIVE = "cancelled"
TRANSFERRED = "transferred"  # the seat was handed over: the colleague is a registration of their own
NO_PHONE = "no_phone"
GONE = "gone"


def whatsapp_refusal(message):
    """Why `message` cannot go out now (TRANSFERRED, NOT_ACTIVE, NO_PHONE, GONE: its person was deleted),
    or None."""
    registration = message.registration
    if registration is None:
        return GONE
    if registration.is_transferred:
        return TRANSFERRED
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


def forgot_ticket(event, typed, *, base_url=None, now=None):
    """ "Lupa tiket?": leave what was typed for the worker, which e-mails the ticket link to the person if
    there is one (send_forgotten_tickets). The request does the same work whoever was typed, one INSERT
    and no lookup, so neither its answer nor its time says whether the person is registered. `base_url`:
    the address the person used, for the e-mail's links when PUBLIC_BASE_URL is not set.
    The caller commits (which wakes a worker when JOB_QUEUE_URL is set)."""
    text = (typed or "").strip()[:254]
    if not text:
        return
    db.session.add(TicketLookup(event_id=event.id, typed=text, base_url=(base_url or "")[:200] or None,
                                created_at=now or utcnow()))
    db.session.info[KICK] = True


def _forgotten_ticket(lookup):
    """The active registration of the lookup's event whose e-mail or NIP was typed, or None."""
    try:
        if "@" in lookup.typed:
            value = clean_email(lookup.typed)
            same_person = Registration.email == value
        else:
            value = clean_nip(lookup.typed)
            same_person = Registration.nip == value
    except InvalidValue:
        return None
    if not value:
        return None
    return db.session.execute(
        db.select(Registration).where(Registration.event_id == lookup.event_id, same_person,
                                      Registration.status == STATUS_REGISTERED)
    ).scalar_one_or_none()


def send_forgotten_tickets(*, limit=200):
    """The worker's half of "Lupa tiket?": for each waiting lookup, the ticket link by e-mail to the person
    typed, if registered; then the lookup is deleted. At most one such e-mail per registration per 15
    minutes (of the request's time), kept by the outbox's unique key (the cause names the window).
    Returns how many lookups were handled. Commits."""
    lookups = db.session.execute(db.select(TicketLookup).order_by(TicketLookup.id).limit(limit)).scalars().all()
    for lookup in lookups:
        registration = _forgotten_ticket(lookup)
        if registration is not None:
            window = int(lookup.created_at.timestamp() // (FORGOT_WINDOW_MINUTES * 60))
            with message_context(lookup.base_url):
                queue_ticket_email(registration, cause=f"forgot:{registration.id}:{window}")
        db.session.delete(lookup)
    db.session.commit()
    return len(lookups)


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
    return set(db.session.execute(
        db.select(Registration.id).where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
                                         ticket_received(statuses, channel))
    ).scalars())


def queue_ticket_to_unsent(event, channel):
    """Bulk "kirim tiket ke yang belum menerima": a ticket message by `channel` to each active participant
    not yet sent one on that channel, imported people first. Returns a BulkTickets that says why each
    one left out was left out (a person already queued by an earlier bulk send is not written twice).
    The caller commits."""
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
