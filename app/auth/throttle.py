"""The per-account limit on failed logins, kept in the database.

The rate limiter counts per client address in its own storage: per worker with the default
`memory://`, and in-memory again when Redis is down. This limit counts per account (the e-mail
typed, whether or not an account has it, so it tells nobody which exist) in the database
every worker and host shares: LOGIN_FAILURE_LIMIT failures within LOGIN_FAILURE_MINUTES, and
that account's logins wait until the oldest of them is that old.

Each attempt is written down, and committed, before its password is looked at, and only then
counts the attempts before it: the n-th attempt to commit sees at least n - 1 others, so however
many arrive at once on however many workers, no more than the limit get their password checked.
A failed attempt's row stays as the failure; a successful login clears the account's rows; an
attempt refused for the lock removes its own row, so that waiting does end.
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


def begin_attempt(email, now=None):
    """Write down one login attempt for `email` and commit it (the one commit this service makes:
    concurrent attempts must see it before this one's password is looked at), then raise
    LoginLocked if the attempts before it reach the limit. Returns the attempt (a LoginFailure
    row: it stays as the failure unless clear_failures or the lock removes it)."""
    now = now or utcnow()
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.failed_at <= now - _window()))
    attempt = LoginFailure(email=_key(email), failed_at=now)
    db.session.add(attempt)
    db.session.commit()
    limit = current_app.config["LOGIN_FAILURE_LIMIT"]
    others = db.session.execute(
        db.select(LoginFailure.failed_at)
        .where(LoginFailure.email == _key(email), LoginFailure.failed_at > now - _window(),
               LoginFailure.id != attempt.id)
        .order_by(LoginFailure.failed_at.desc())
        .limit(limit)
    ).scalars().all()
    if len(others) >= limit:
        db.session.delete(attempt)
        raise LoginLocked(others[-1] + _window())
    return attempt


def clear_failures(email):
    """A successful login starts the count again. The caller commits."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == _key(email)))
