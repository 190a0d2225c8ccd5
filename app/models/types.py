"""Column types and defaults shared by the models."""
import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime
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
