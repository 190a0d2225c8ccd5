"""Creating accounts and tokens, and checking credentials."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import or_, true, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.passwords import password_problem
from app.auth.throttle import begin_attempt, clear_failures
from app.cache import Memo
from app.extensions import db
from app.models import ROLES, ApiToken, User, hash_api_token, utcnow
from app.models.user import RoleMixin, new_session_generation
from app.routing import parse_id


class AccountError(ValueError):
    pass


class PasswordRefused(AccountError):
    """The password breaks a rule of app/auth/passwords.py; `code` is a key of PASSWORD_MESSAGES."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def check_password_rules(password, email):
    """Raise PasswordRefused unless `password` may be a committee member's password."""
    problem = password_problem(password, email)
    if problem:
        raise PasswordRefused(problem)


def normalize_email(email):
    return (email or "").strip().lower()


def create_user(email, password, role, name="", tenant=None):
    """A new account; `tenant` (a Tenant or None) scopes it: an admin without one administers the install."""
    email = normalize_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("a valid e-mail address is required")
    check_password_rules(password, email)
    user = User(email=email, role=role, name=name, tenant_id=tenant.id if tenant is not None else None)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(f"a user with e-mail {email} already exists") from None
    return user


def end_sessions(user):
    """End every session and remember-me cookie of `user`, on every device. The caller commits.

    What every change of standing calls: logging out, a new password, deactivation, another
    role. The session and the cookie carry the user's session generation (User.get_id); a new
    one makes them all unknown at their next request, on every worker and host. The current
    request's own login goes too: to keep it, log the user in again (login_user) after the call.
    API tokens are not sessions: revoke them separately.
    """
    user.session_generation = new_session_generation()


def user_for_session_id(session_id):
    """The active user a session or remember-me cookie names ("<id>:<generation>:<nonce>"), or None."""
    user_id, _, generation = str(session_id or "").partition(":")
    generation = generation.partition(":")[0]
    user_id = parse_id(user_id)
    if user_id is None or not generation or not generation.isascii():
        return None
    user = db.session.get(User, user_id)
    if user is None or not secrets.compare_digest(user.session_generation, generation):
        return None
    return user


def set_password(user, password):
    """Give `user` a new password (checked by the rules) and end their sessions. The caller commits."""
    check_password_rules(password, user.email)
    user.set_password(password)
    end_sessions(user)


def change_role(user, role):
    """Give `user` another role; their sessions end (a session must not keep the old standing)."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role != user.role:
        user.role = role
        end_sessions(user)


def set_active(user, active):
    """Deactivate (or reactivate) `user`; deactivation ends their sessions. The caller commits."""
    user.active = bool(active)
    if not active:
        end_sessions(user)


def find_user(email):
    return db.session.execute(db.select(User).filter_by(email=normalize_email(email))).scalar_one_or_none()


@cache
def _unknown_user_hash(method):
    """A hash to check against when the e-mail is unknown, so that an unknown address takes as
    long to refuse as a wrong password: the login form does not tell which accounts exist."""
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = find_user(email)
    if user is None:
        check_password_hash(_unknown_user_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def log_in(email, password, now=None):
    """authenticate() under the per-account limit of failed logins (app/auth/throttle.py).

    Returns the user or None (a failure, counted); raises LoginLocked while the account waits,
    without looking at the password. The attempt itself is committed at once (see
    throttle.begin_attempt); the caller commits the outcome, a refusal's included.
    """
    key = normalize_email(email)
    begin_attempt(key, now)
    user = authenticate(email, password)
    if user is not None:
        clear_failures(key)
    return user


def issue_api_token(user, name="", expires_at=None):
    """Store a new token for `user` and return its secret (shown once, kept only as a hash)."""
    token, secret = ApiToken.issue(user, name, expires_at)
    db.session.add(token)
    db.session.flush()
    return secret


DEVICE_NAME_LIMIT = 60


def issue_device_token(user, device, lifetime, replaces=None, now=None):
    """A check-in desk's own token: (secret, ApiToken). Named after the desk, ending after `lifetime`,
    acting as `user` (so scoped to the events `user` may operate). `replaces`, the secret the desk held
    before, is revoked if it is one of `user`'s: a desk asking again does not pile up live tokens.
    The caller commits."""
    now = now or utcnow()
    if replaces:
        db.session.execute(
            update(ApiToken.__table__)
            .where(ApiToken.__table__.c.token_hash == hash_api_token(replaces),
                   ApiToken.__table__.c.user_id == user.id, ApiToken.__table__.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    name = f"Meja check-in: {(device or '').strip()[:DEVICE_NAME_LIMIT] or '–'}"
    token, secret = ApiToken.issue(user, name, expires_at=now + lifetime)
    db.session.add(token)
    db.session.flush()
    return secret, token


# How stale a token's last_used_at may get. Writing it on every request would make every
# request of a scanner a write on one row: desks sharing a token would queue behind each other.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@dataclass
class ApiCaller(RoleMixin):
    """The active user behind a bearer token, as the API remembers it (see app/cache.py)."""

    id: int
    role: str
    tenant_id: int | None
    token_id: int
    last_used_at: datetime | None
    is_authenticated = True
    is_active = True  # only an active user's token becomes a caller


# token hash → ApiCaller for CHECKIN_CACHE_SECONDS: a revoked token, or the token of a user
# deactivated or given another role, keeps its old standing for at most that many seconds.
_callers = Memo()


def _load_caller(token_hash):
    row = db.session.execute(
        db.select(User.id, User.role, User.tenant_id, ApiToken.id, ApiToken.last_used_at)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.active == true(),
               or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > utcnow()))
    ).first()
    return ApiCaller(*row) if row else None


def api_caller_for_token(secret, now=None):
    """(the ApiCaller behind a bearer token or None, whether the token was just marked as used).

    The mark (to the minute) is an UPDATE in the Session's transaction: the caller commits it
    (the API does at once, so that a request that writes nothing else keeps it too).
    """
    token_hash = hash_api_token(secret or "")
    caller = _callers.get(token_hash, lambda: _load_caller(token_hash))
    if caller is None:
        return None, False
    now = now or utcnow()
    if caller.last_used_at is not None and now - caller.last_used_at < TOKEN_USE_RESOLUTION:
        return caller, False
    db.session.execute(
        update(ApiToken.__table__).where(ApiToken.__table__.c.id == caller.token_id).values(last_used_at=now)
    )
    caller.last_used_at = now
    return caller, True
