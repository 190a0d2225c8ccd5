"""The worker's side of the outbox: claim due messages with a lease, send, record.

What "never lost, never doubled" means here, honestly:

- Never lost: a message is a committed row before anyone tries to send it. A worker claims it
  (status "sending", claimed_by, lease_expires_at, attempts + 1) in a transaction of its own; if
  the worker dies before it records the outcome, the lease runs out and another worker (or the
  same one restarted) claims it again. A temporary failure puts it back in the queue with a
  backoff (BACKOFF * 2**(attempt-1), at most an hour); after MESSAGES_MAX_ATTEMPTS it is
  "failed" with its error, shown in the send log, never silently dropped.
- Never doubled, in the database: one row per (cause, kind, channel, recipient); one worker holds
  a claim at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time); "sent"
  is recorded only by the worker that holds the claim.
- On the wire, SMTP cannot promise exactly once: between the server's "250 OK" for a message and
  our commit of "sent" there is a window (milliseconds) where a crash means the message was
  delivered but not recorded, and it will be sent again once the lease ends. A crash anywhere
  before the 250 (the case the worker-crash test kills) sends it exactly once. Every attempt
  carries the same Message-ID header, so the receiving side can recognise a repeat. We record
  "sent" right after each message, never after a batch, to keep that window to one message.
"""
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, and_, or_, update

from app.extensions import db
from app.messages.channels import PermanentFailure, TemporaryFailure, configured_messengers
from app.models import (
    CHANNEL_EMAIL,
    MESSAGE_FAILED,
    MESSAGE_QUEUED,
    MESSAGE_SENDING,
    MESSAGE_SENT,
    OutboxMessage,
    utcnow,
)

log = logging.getLogger("hadir.messages")

NOT_CONFIGURED = "MAIL_SERVER belum diatur: pesan disimpan, belum terkirim."
MAX_BACKOFF_SECONDS = 3600


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    held: int = 0

    def __iadd__(self, other):
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.held += other.held
        return self


def _due(now):
    return or_(
        and_(OutboxMessage.status == MESSAGE_QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == MESSAGE_SENDING, OutboxMessage.lease_expires_at <= now),
    )


def claim(worker, channels, *, limit=50, now=None):
    """Claim up to `limit` due messages of `channels` for `worker`; returns their ids. Commits.

    A message whose lease ran out (its worker died mid-send) is due again.
    """
    if not channels:
        return []
    now = now or utcnow()
    lease = timedelta(seconds=current_app.config["MESSAGES_LEASE_SECONDS"])
    candidates = (
        db.select(OutboxMessage.id)
        .where(_due(now), OutboxMessage.channel.in_(list(channels)))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()), _due(now))
        .values(status=MESSAGE_SENDING, claimed_by=worker, lease_expires_at=now + lease,
                attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    db.session.commit()
    return sorted(claimed)


def _finish(message_id, worker, **values):
    """Record an outcome, only if `worker` still holds the claim. Commits. Returns whether it did."""
    done = cast(CursorResult, db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker,
               OutboxMessage.status == MESSAGE_SENDING)
        .values(lease_expires_at=None, **values)
        .execution_options(synchronize_session=False)
    )).rowcount == 1
    db.session.commit()
    if not done:
        log.warning("message %s: the claim of %s ran out before its outcome was recorded", message_id, worker)
    return done


def backoff(attempts):
    base = current_app.config["MESSAGES_BACKOFF_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _retry_or_fail(message, worker, error, now):
    if message.attempts >= current_app.config["MESSAGES_MAX_ATTEMPTS"]:
        _finish(message.id, worker, status=MESSAGE_FAILED, last_error=str(error)[:2000])
        return Outcome(failed=1)
    _finish(message.id, worker, status=MESSAGE_QUEUED, next_attempt_at=now + backoff(message.attempts),
            last_error=str(error)[:2000])
    return Outcome(retried=1)


def send_claimed(ids, worker, messengers):
    """Send the claimed messages `ids`, each recorded (and committed) as soon as it is sent."""
    outcome = Outcome()
    messages = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).scalars().all()
    # Plain values from here: each outcome commits, and nothing below should reload a row.
    for message in messages:
        db.session.expunge(message)
    for message in messages:
        messenger = messengers[message.channel]
        try:
            messenger.send(message)
        except PermanentFailure as error:
            _finish(message.id, worker, status=MESSAGE_FAILED, last_error=str(error)[:2000])
            outcome.failed += 1
        except TemporaryFailure as error:
            outcome += _retry_or_fail(message, worker, error, utcnow())
        except Exception as error:  # a bug or a gateway's own error: retried, then failed, never stuck
            log.exception("message %s could not be sent", message.id)
            db.session.rollback()
            outcome += _retry_or_fail(message, worker, f"{type(error).__name__}: {error}", utcnow())
        else:
            _finish(message.id, worker, status=MESSAGE_SENT, sent_at=utcnow(), last_error=None)
            outcome.sent += 1
    return outcome


def hold_unconfigured(messengers, *, now=None, limit=500):
    """Write due e-mails to the log when no SMTP server is configured, once each, and keep them queued.

    They stay due: the first worker that has MAIL_SERVER sends them. Commits.
    """
    if CHANNEL_EMAIL in messengers:
        return 0
    now = now or utcnow()
    waiting = db.session.execute(
        db.select(OutboxMessage)
        .where(OutboxMessage.channel == CHANNEL_EMAIL, OutboxMessage.status == MESSAGE_QUEUED,
               OutboxMessage.next_attempt_at <= now, OutboxMessage.last_error.is_(None))
        .order_by(OutboxMessage.id).limit(limit)
    ).scalars().all()
    for message in waiting:
        log.warning("e-mail %s kept unsent (no MAIL_SERVER) to %s: %s\n%s", message.id, message.recipient,
                    message.subject, message.body_text)
        message.last_error = NOT_CONFIGURED
    db.session.commit()
    return len(waiting)


def deliver_due(*, worker=None, batch=50, messengers=None, limit=None):
    """Send every due message the configured channels can carry, batch by batch; returns the Outcome.

    `limit` stops after that many claims (None: until nothing is due).
    """
    worker = worker or worker_name()
    messengers = configured_messengers() if messengers is None else messengers
    outcome = Outcome(held=hold_unconfigured(messengers))
    claimed_total = 0
    try:
        while limit is None or claimed_total < limit:
            ids = claim(worker, messengers.keys(), limit=batch if limit is None else min(batch, limit - claimed_total))
            if not ids:
                break
            claimed_total += len(ids)
            outcome += send_claimed(ids, worker, messengers)
    finally:
        for messenger in messengers.values():
            messenger.close()
    return outcome
