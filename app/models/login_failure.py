"""Failed logins per account, kept for the per-account limit (app/auth/throttle.py).

In the database rather than in the rate limiter's storage, so the limit holds whatever
that storage is (per-process memory, or a Redis that is down) and across every worker and host.
"""
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow


class LoginFailure(Model):
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The normalised e-mail typed, whether or not an account has it: the limit must not tell which exist.
    email: Mapped[str] = mapped_column(String(254))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (Index("ix_login_failures_email_failed_at", "email", "failed_at"),)
