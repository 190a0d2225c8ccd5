"""Creating accounts and tokens, and checking credentials."""
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import true, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app.cache import Memo
from app.driver import session_in_transaction
from app.extensions import db
from app.models import ROLES, ApiToken, User, hash_api_token, utcnow
from app.models.user import RoleMixin


class AccountError(ValueError):
    pass


def normalize_email(email):
    return (email or "").strip().lower()


def create_user(email, password, role, name="", tenant=None):
    """A new account; `tenant` (a Tenant or None) scopes it: an admin without one administers the install."""
    email = normalize_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("a valid e-mail address is required")
    if len(password or "") < 8:
        raise AccountError("the password must be at least 8 characters")
    user = User(email=email, role=role, name=name, tenant_id=tenant.id if tenant is not None else None)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(f"a user with e-mail {email} already exists") from None
    return user


def find_user(email):
    return db.session.execute(db.select(User).filter_by(email=normalize_email(email))).scalar_one_or_none()


@cache
def _unknown_user_hash():
    """A hash to check against when the e-mail is unknown, so that an unknown address takes as
    long to refuse as a wrong password: the login form does not tell which accounts exist."""
    return generate_password_hash(secrets.token_urlsafe(32))


def authenticate(email, password):
    """The active user with these credentials, or None."""
    user = find_user(email)
    if user is None:
        check_password_hash(_unknown_user_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    return user


def issue_api_token(user, name=""):
    """Store a new token for `user` and return its secret (shown once, kept only as a hash)."""
    token, secret = ApiToken.issue(user, name)
    db.session.add(token)
    db.session.flush()
    return secret


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


@contextmanager
def _own_or_session_transaction():
    """The request's Session transaction if it has one, else a short one of its own, committed at
    once and its connection given back: a request holds one connection at a time (app/driver.py),
    and a second one could wait forever on the first's locks."""
    if session_in_transaction():
        yield db.session
        return
    with db.engine.begin() as connection:
        yield connection


def _load_caller(token_hash):
    with _own_or_session_transaction() as connection:
        row = connection.execute(
            db.select(User.id, User.role, User.tenant_id, ApiToken.id, ApiToken.last_used_at)
            .join(User, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.active == true())
        ).first()
    return ApiCaller(*row) if row else None


def api_caller_for_token(secret):
    """The ApiCaller behind a bearer token, or None; marks the token as used (to the minute)."""
    token_hash = hash_api_token(secret or "")
    caller = _callers.get(token_hash, lambda: _load_caller(token_hash))
    if caller is None:
        return None
    now = utcnow()
    if caller.last_used_at is None or now - caller.last_used_at >= TOKEN_USE_RESOLUTION:
        # The API authenticates before the Session is used, so this is a transaction of its own,
        # committed at once even by a request that commits nothing (a GET).
        with _own_or_session_transaction() as connection:
            connection.execute(
                update(ApiToken.__table__).where(ApiToken.__table__.c.id == caller.token_id).values(last_used_at=now)
            )
        caller.last_used_at = now
    return caller


def user_for_api_token(secret):
    """The active User behind a bearer token, or None; marks the token as used (to the minute)."""
    caller = api_caller_for_token(secret)
    return db.session.get(User, caller.id) if caller else None
