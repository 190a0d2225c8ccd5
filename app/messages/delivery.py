"""The worker's side of the outbox: claim a batch of due messages with a lease, send it, record it.

What "never lost, never doubled" means here, honestly:

- Never lost: a message is a committed row before anyone tries to send it. A worker claims a batch
  (status "sending", claimed_by, lease_expires_at, attempts + 1) in a transaction of its own; if
  the worker dies before it records the outcome, the lease runs out and another worker (or the
  same one restarted) claims it again. A temporary failure puts it back in the queue with a
  backoff (BACKOFF * 2**(attempt-1), at most an hour); after MESSAGES_MAX_ATTEMPTS it is
  "failed" with its error, shown in the send log, never silently dropped.
- Never doubled, in the database: one row per (cause, kind, channel, recipient); one worker holds
  a claim at a time (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time); "sent"
  is recorded only by the worker that holds the claim.
- On the wire, SMTP cannot promise exactly once: between the server's "250 OK" for a message and
  our commit of "sent" there is a window where a crash means the message was delivered but not
  recorded, and it will be sent again once the lease ends. A crash anywhere before the 250 (the
  case the worker-crash test kills) sends it exactly once. Every attempt carries the same
  Message-ID header, so the receiving side can recognise a repeat.
- How wide that window is: the batch is sent over one SMTP connection and its outcomes are
  recorded together, in one transaction (a commit per message cost more than the sending on
  PostgreSQL, about 13 ms each). The outcomes are recorded after the batch (MESSAGES_BATCH
  messages, 50 by default) or after RECORD_EVERY_SECONDS of sending, whichever comes first, so a
  crash sends again at most one batch, and at most about a second of sending. A batch still being
  sent when half its lease has gone stops there: the rest is put back in the queue unsent, so a
  slow mail server cannot make the lease run out under a message that is being sent.
"""
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta
from time import monotonic

from flask import current_app
from sqlalchemy import and_, bindparam, or_, update

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


# Outcomes are recorded at least this often while a batch is being sent (see the module's docstring).
RECORD_EVERY_SECONDS = 1.0
_OUTBOX = OutboxMessage.__table__
# One statement for every outcome of a batch (executemany), each only if `worker` still holds the claim.
_RECORD = (
    _OUTBOX.update()
    .where(_OUTBOX.c.id == bindparam("outbox_id"), _OUTBOX.c.claimed_by == bindparam("worker"),
           _OUTBOX.c.status == MESSAGE_SENDING)
    .values(status=bindparam("new_status"), sent_at=bindparam("new_sent_at"),
            next_attempt_at=bindparam("new_next_attempt_at"), last_error=bindparam("new_last_error"),
            lease_expires_at=None)
)
# Claimed but not tried (the batch stopped before them): due again at once, the attempt not counted.
_RELEASE = (
    _OUTBOX.update()
    .where(_OUTBOX.c.id.in_(bindparam("outbox_ids", expanding=True)), _OUTBOX.c.claimed_by == bindparam("worker"),
           _OUTBOX.c.status == MESSAGE_SENDING)
    .values(status=MESSAGE_QUEUED, lease_expires_at=None, attempts=_OUTBOX.c.attempts - 1)
)


class Outcomes:
    """The outcomes of a batch, kept in memory until they are recorded together."""

    def __init__(self, worker):
        self.worker = worker
        self.rows = []
        self.outcome = Outcome()

    def sent(self, message, now):
        self._add(message, MESSAGE_SENT, sent_at=now)
        self.outcome.sent += 1

    def failed(self, message, error):
        self._add(message, MESSAGE_FAILED, last_error=str(error)[:2000])
        self.outcome.failed += 1

    def retry_or_fail(self, message, error, now):
        if message.attempts >= current_app.config["MESSAGES_MAX_ATTEMPTS"]:
            self.failed(message, error)
            return
        self._add(message, MESSAGE_QUEUED, next_attempt_at=now + backoff(message.attempts),
                  last_error=str(error)[:2000], sent_at=None)
        self.outcome.retried += 1

    def _add(self, message, status, *, sent_at=None, next_attempt_at=None, last_error=None):
        self.rows.append({"outbox_id": message.id, "worker": self.worker, "new_status": status,
                          "new_sent_at": sent_at, "new_last_error": last_error,
                          "new_next_attempt_at": next_attempt_at or message.next_attempt_at})

    def record(self):
        """Write the outcomes kept so far, in one transaction. Commits."""
        if not self.rows:
            return
        done = db.session.connection().execute(_RECORD, self.rows).rowcount
        db.session.commit()
        if done != len(self.rows):
            log.warning("%d of %d outcomes not recorded: the claim of %s ran out before them",
                        len(self.rows) - done, len(self.rows), self.worker)
        self.rows = []


def backoff(attempts):
    base = current_app.config["MESSAGES_BACKOFF_SECONDS"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def send_claimed(ids, worker, messengers):
    """Send the claimed messages `ids` and record their outcomes together (see the module's docstring)."""
    messages = db.session.execute(
        db.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).scalars().all()
    # Plain values from here: the outcomes are written by statements, nothing below reloads a row.
    for message in messages:
        db.session.expunge(message)
    db.session.rollback()  # nothing is held open while the batch is sent
    outcomes = Outcomes(worker)
    started = last_record = monotonic()
    stop_after = current_app.config["MESSAGES_LEASE_SECONDS"] / 2
    for position, message in enumerate(messages):
        if monotonic() - started > stop_after:
            outcomes.record()
            unsent = [later.id for later in messages[position:]]
            db.session.connection().execute(_RELEASE, {"outbox_ids": unsent, "worker": worker})
            db.session.commit()
            log.warning("%d messages put back unsent: half the lease of %s has gone", len(unsent), worker)
            break
        messenger = messengers[message.channel]
        try:
            messenger.send(message)
        except PermanentFailure as error:
            outcomes.failed(message, error)
        except TemporaryFailure as error:
            outcomes.retry_or_fail(message, error, utcnow())
        except Exception as error:  # a bug or a gateway's own error: retried, then failed, never stuck
            log.exception("message %s could not be sent", message.id)
            outcomes.retry_or_fail(message, f"{type(error).__name__}: {error}", utcnow())
        else:
            outcomes.sent(message, utcnow())
        if monotonic() - last_record > RECORD_EVERY_SECONDS:
            outcomes.record()
            last_record = monotonic()
    outcomes.record()
    return outcomes.outcome


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


def deliver_due(*, worker=None, batch=None, messengers=None, limit=None):
    """Send every due message the configured channels can carry, batch by batch; returns the Outcome.

    `batch`: how many messages a claim takes (MESSAGES_BATCH); `limit` stops after that many claims
    (None: until nothing is due).
    """
    worker = worker or worker_name()
    batch = batch or current_app.config["MESSAGES_BATCH"]
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
