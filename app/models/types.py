"""Column types and defaults shared by the models."""
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def utcnow():
    return datetime.now(UTC)


def new_ticket_token():
    """A URL-safe secret of 256 random bits (43 characters)."""
    return secrets.token_urlsafe(32)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as naive UTC, read back as aware UTC.

    SQLite keeps no offset and PostgreSQL's timestamptz depends on the session's
    time zone; storing naive UTC behaves the same on both.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_column(enum_class: type[StrEnum], *, name: str, length: int = 20) -> Enum:
    """A VARCHAR(`length`) column holding one of `enum_class`'s values, kept to them by a CHECK
    constraint `ck_<table>_<name>` on every database (no PostgreSQL ENUM type to migrate).

    The values are stored (not the members' names), and reading gives back the members, which
    are strings: `registration.status == "registered"` holds. A string that is not a value is
    sent as it is, so the database, not Python, refuses it.
    """
    return Enum(
        enum_class,
        name=name,
        length=length,
        native_enum=False,
        create_constraint=True,
        validate_strings=False,
        values_callable=lambda members: [member.value for member in members],
    )
