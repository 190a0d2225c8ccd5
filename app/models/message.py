"""Messages to participants, kept in an outbox until a worker has sent them; and the change history
of a registration edited through its edit link."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow

CHANNEL_EMAIL = "email"
CHANNEL_WHATSAPP = "whatsapp"
CHANNELS = (CHANNEL_EMAIL, CHANNEL_WHATSAPP)

# queued: waiting for a worker (or, for a WhatsApp click-through, for the committee's click);
# sending: claimed by a worker until lease_expires_at; sent; failed: given up (the error kept).
MESSAGE_QUEUED = "queued"
MESSAGE_SENDING = "sending"
MESSAGE_SENT = "sent"
MESSAGE_FAILED = "failed"
MESSAGE_STATUSES = (MESSAGE_QUEUED, MESSAGE_SENDING, MESSAGE_SENT, MESSAGE_FAILED)

KIND_CONFIRMATION = "confirmation"
KIND_TICKET = "ticket"
KIND_REMINDER_BEFORE = "reminder_before"
KIND_REMINDER_DAY = "reminder_day"
KIND_ABSENT = "absent"
KIND_FREE = "free"
MESSAGE_KINDS = (KIND_CONFIRMATION, KIND_TICKET, KIND_REMINDER_BEFORE, KIND_REMINDER_DAY, KIND_ABSENT, KIND_FREE)


class OutboxMessage(Model):
    """One message to one recipient over one channel, written in the transaction of its cause.

    `cause` names what made it ("registration:12", "resend:<random>", "reminder:3") and the
    database holds one message per (cause, kind, channel, recipient): a cause replayed, or two
    workers racing, cannot make a second one.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # The Message-ID header, the same on every attempt: a receiving system that got a message
    # twice (a crash after the SMTP server's 250 and before we recorded it) can tell.
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=MESSAGE_QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration = relationship("Registration")

    __table_args__ = (
        UniqueConstraint("cause", "kind", "channel", "recipient"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="status_known"),
        CheckConstraint("channel IN ('email', 'whatsapp')", name="channel_known"),
    )

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} {self.channel} {self.status}>"


class RegistrationChange(Model):
    """A change a participant made through the edit link: when, what, and the values before it."""

    __tablename__ = "registration_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # edit, cancel, replace
    old_values: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TicketLookup(Model):
    """A "Lupa tiket?" request waiting for the worker: what was typed, for which event. The request
    only writes this row, the same for a known and an unknown address (no timing tells them apart);
    the worker looks the person up, writes the e-mail if there is one, and deletes the row."""

    __tablename__ = "ticket_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    typed: Mapped[str] = mapped_column(String(254))
    # The address the person used: the e-mail's links use it when PUBLIC_BASE_URL is not set.
    base_url: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


REMINDER_PENDING = "pending"
REMINDER_DONE = "done"


class ScheduledReminder(Model):
    """A message the committee scheduled: at send_at the worker writes one outbox message per
    person of the audience (cause "reminder:<id>"), in the transaction that marks it done."""

    __tablename__ = "scheduled_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    # all, opd:<id>, present:<day id>, absent:<day id>, unsent
    audience: Mapped[str] = mapped_column(String(40), default="all")
    event_day_id: Mapped[int | None] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    send_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=REMINDER_PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The address the committee used when scheduling ("https://hadir.example.go.id"): the worker writes
    # the messages outside any request, and their links use it when PUBLIC_BASE_URL is not set.
    base_url: Mapped[str | None] = mapped_column(String(200))
    # e-mail: sent by the worker; whatsapp: click-through messages waiting on the Pesan page.
    channel: Mapped[str] = mapped_column(String(20), default=CHANNEL_EMAIL, server_default=CHANNEL_EMAIL)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'done')", name="status_known"),
        CheckConstraint("channel IN ('email', 'whatsapp')", name="channel_known"),
        # The standard reminders, scheduled twice, are one reminder (one per channel).
        UniqueConstraint("event_id", "kind", "audience", "event_day_id", "send_at", "channel",
                         name="uq_scheduled_reminders_once"),
    )


class TemplateKind(enum.StrEnum):
    """The message kinds whose text the committee may reword per event (a free message is written
    each time it is sent)."""

    CONFIRMATION = KIND_CONFIRMATION
    TICKET = KIND_TICKET
    REMINDER_BEFORE = KIND_REMINDER_BEFORE
    REMINDER_DAY = KIND_REMINDER_DAY
    ABSENT = KIND_ABSENT


class MessageTemplate(Model):
    """The committee's own subject and body for one kind of message of one event, in place of the
    built-in text. Plain text with {placeholders} (app/messages/templates.py); no row: the built-in text."""

    __tablename__ = "message_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[TemplateKind] = mapped_column(enum_column(TemplateKind, name="kind_known", length=30))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("event_id", "kind"),)
