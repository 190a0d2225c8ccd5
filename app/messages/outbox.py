"""Writing messages into the outbox, in the caller's transaction.

A message is a row of outbox_messages written in the same transaction as what caused it (a
registration, a "Kirim tiket" click, a reminder falling due): if that transaction rolls back
there is no message, and if it commits the message is there for a worker to send. The row is
unique per (cause, kind, channel, recipient), so a cause replayed cannot write a second one.
"""
import uuid

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import MESSAGE_QUEUED, OutboxMessage, utcnow
from app.worker_wake import KICK


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(OutboxMessage)


def new_message_id():
    """A Message-ID header for one message, kept for every attempt to send it."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    domain = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else "hadir.local"
    return f"<{uuid.uuid4().hex}@{domain or 'hadir.local'}>"


def message_row(*, event_id, registration_id, kind, channel, cause, recipient, content, now):
    return {
        "event_id": event_id, "registration_id": registration_id, "kind": kind, "channel": channel,
        "cause": cause[:100], "recipient": recipient, "subject": content.subject[:300],
        "body_text": content.text, "body_html": content.html, "message_id": new_message_id(),
        "status": MESSAGE_QUEUED, "attempts": 0, "next_attempt_at": now, "created_at": now,
    }


def enqueue(*, event_id, registration_id, kind, channel, cause, recipient, content, now=None):
    """Write one message; returns its id, or None if this (cause, kind, channel, recipient) exists or
    there is no recipient (a person without that address, or whose data was erased).

    The caller commits (the message belongs to the caller's transaction).
    """
    if not recipient:
        return None
    now = now or utcnow()
    row = message_row(event_id=event_id, registration_id=registration_id, kind=kind, channel=channel,
                      cause=cause, recipient=recipient, content=content, now=now)
    statement = _insert().values(**row).on_conflict_do_nothing(
        index_elements=["cause", "kind", "channel", "recipient"]
    ).returning(OutboxMessage.id)
    message_id = db.session.execute(statement).scalar_one_or_none()
    db.session.info[KICK] = True
    return message_id


def enqueue_many(rows):
    """Write many message rows (from message_row) in one statement; existing ones, and rows without a
    recipient, are skipped. The caller commits.
    """
    rows = [row for row in rows if row["recipient"]]
    if not rows:
        return
    statement = _insert().on_conflict_do_nothing(index_elements=["cause", "kind", "channel", "recipient"])
    db.session.execute(statement, rows)
    db.session.info[KICK] = True
