"""Committee accounts and the API tokens of scanner devices and scripts."""
import hashlib
import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow


# Who may do what, and where (app/tenants/access.py decides event by event):
# - admin without a tenant: the install administrator, every tenant;
# - admin with a tenant: the tenant administrator, everything of that tenant;
# - committee (panitia): the console of the events assigned to them (event_operators);
# - operator: check-in at the events assigned to them;
# - pengamat: the read-only programme overview, aggregates only (of one tenant if given one).
class Role(StrEnum):
    ADMIN = "admin"
    COMMITTEE = "committee"
    OPERATOR = "operator"
    OBSERVER = "pengamat"


ROLE_ADMIN = Role.ADMIN
ROLE_COMMITTEE = Role.COMMITTEE
ROLE_OPERATOR = Role.OPERATOR
ROLE_OBSERVER = Role.OBSERVER
ROLES = tuple(role.value for role in Role)  # plain strings, as before (click.Choice reads enums by name)


def new_session_generation():
    return secrets.token_hex(16)


class RoleMixin:
    """What a `role` allows: shared by User and the API's cached view of a token's user."""

    if TYPE_CHECKING:
        role: str
        tenant_id: int | None

    @property
    def is_admin(self):
        """An install or tenant administrator."""
        return self.role == ROLE_ADMIN

    @property
    def is_install_admin(self):
        return self.role == ROLE_ADMIN and self.tenant_id is None

    @property
    def has_console(self):
        """May open the organizer console (/admin): admins, and committee members for their events."""
        return self.role in (ROLE_ADMIN, ROLE_COMMITTEE)

    @property
    def is_observer(self):
        return self.role == ROLE_OBSERVER

    @property
    def can_check_in(self):
        return self.role in (ROLE_ADMIN, ROLE_COMMITTEE, ROLE_OPERATOR)


class User(RoleMixin, UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, name="role_known"))
    # None: the whole install (an install administrator, or a programme-wide pengamat).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id kept in the session and in the remember-me cookie (get_id): a new value
    # (auth.services.end_sessions) ends every session and cookie made with the old one.
    session_generation: Mapped[str] = mapped_column(String(32), default=new_session_generation)

    tenant = relationship("Tenant")
    tokens: Mapped[list["ApiToken"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password):
        # PASSWORD_HASH_METHOD: werkzeug's scrypt; the tests' config names a cheap one (config.py).
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        """Flask-Login's alternative id, kept in the session and the remember-me cookie at login:
        "<id>:<generation>:<nonce>". The generation lets the server end them (auth.services.end_sessions);
        the nonce, new at every login, makes no two logins' remember-me cookies the same value."""
        return f"{self.id}:{self.session_generation}:{secrets.token_urlsafe(6)}"

    def __repr__(self):
        return f"<User {self.email} {self.role}>"


def hash_api_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Model):
    """Only the SHA-256 of a token is kept; the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A check-in desk's device token ends by itself; a token from `flask create-token` does not (None).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @classmethod
    def issue(cls, user, name="", expires_at=None):
        """A new token for `user`: returns (ApiToken, the secret to show once)."""
        secret = "hdr_" + secrets.token_urlsafe(32)
        return cls(user=user, name=name, token_hash=hash_api_token(secret), expires_at=expires_at), secret
