"""A waiting list per OPD: people who found their OPD's quota full, in the order they came.

When a seat of the OPD frees, the first who waits is offered it: an entry becomes `offered` with a secret
of its own and a hold; the seat is kept for them until the hold ends (the quota counts it), then offered
to the next. Taken, the entry points at the registration made from it.
"""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow


class WaitStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    TAKEN = "taken"
    EXPIRED = "expired"


class WaitlistEntry(Model):
    __tablename__ = "waitlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    position: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[WaitStatus] = mapped_column(enum_column(WaitStatus, name="status_known"),
                                               default=WaitStatus.WAITING)
    # The offer's own secret (the link in the message), and until when the seat is kept.
    offer_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("event_id", "nip"),
        ForeignKeyConstraint(
            ["event_id", "organization_id"],
            ["event_organizations.event_id", "event_organizations.organization_id"],
            name="fk_waitlist_entries_event_organization", ondelete="CASCADE",
        ),
        Index("ix_waitlist_entries_line", "event_id", "organization_id", "status", "id"),
    )
