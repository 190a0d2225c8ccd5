"""The per-account limit on failed logins, kept in the database.

The rate limiter counts per client address in its own storage: per worker with the default
`memory://`, and in-memory again when Redis is down. This limit counts per account (the e-mail
typed, whether or not an account has it, so it tells nobody which exist) in the database
every worker and host shares: LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_MINUTES, and
that account's logins wait until the oldest of them is that old. Checked before the password,
so a locked account cannot be guessed at. Concurrent attempts may each pass the check before
any of them is recorded: the limit can be overshot by the number of requests served at once.
"""
from datetime import timedelta

from flask import current_app

from app.extensions import db
from app.models import LoginFailure, utcnow


class LoginLocked(Exception):
    """Too many failed logins for this account; logins wait until `until` (aware UTC)."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until

    def minutes_left(self, now=None):
        left = self.until - (now or utcnow())
        return max(1, -(-int(left.total_seconds()) // 60))


def _key(email):
    return email[:254]


def _window():
    return timedelta(minutes=current_app.config["LOGIN_FAILURE_MINUTES"])


def check_not_locked(email, now=None):
    """Raise LoginLocked if `email` has had too many failed logins lately."""
    now = now or utcnow()
    limit = current_app.config["LOGIN_FAILURE_LIMIT"]
    recent = db.session.execute(
        db.select(LoginFailure.failed_at)
        .where(LoginFailure.email == _key(email), LoginFailure.failed_at > now - _window())
        .order_by(LoginFailure.failed_at.desc())
        .limit(limit)
    ).scalars().all()
    if len(recent) >= limit:
        raise LoginLocked(recent[-1] + _window())


def record_failure(email, now=None):
    """Count one failed login for `email`, and forget failures too old to matter. The caller commits."""
    now = now or utcnow()
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.failed_at <= now - _window()))
    db.session.add(LoginFailure(email=_key(email), failed_at=now))


def clear_failures(email):
    """A successful login starts the count again. The caller commits."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == _key(email)))
