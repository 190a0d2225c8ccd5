"""Creating accounts and tokens, and checking credentials."""
import secrets
from datetime import timedelta
from functools import cache

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import ROLES, ApiToken, User, hash_api_token, utcnow


class AccountError(ValueError):
    pass


def normalize_email(email):
    return (email or "").strip().lower()


def create_user(email, password, role, name=""):
    email = normalize_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError("a valid e-mail address is required")
    if len(password or "") < 8:
        raise AccountError("the password must be at least 8 characters")
    user = User(email=email, role=role, name=name)
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


def user_for_api_token(secret):
    """The active user behind a bearer token, or None; marks the token as used (to the minute)."""
    token = db.session.execute(
        db.select(ApiToken).options(joinedload(ApiToken.user))
        .filter_by(token_hash=hash_api_token(secret or ""), revoked_at=None)
    ).scalar_one_or_none()
    if token is None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    return token.user
