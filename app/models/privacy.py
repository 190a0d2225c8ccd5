"""The personal-data lifecycle: who looked at whose data, and requests to delete it."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

# What the committee did with personal data (the audit log's `action`).
ACCESS_ACTIONS = ("export", "import", "search", "edit", "material_download", "erase", "deletion_request")

REQUEST_PENDING = "pending"
REQUEST_DONE = "deleted"
REQUEST_REFUSED = "refused"
REQUEST_STATES = (REQUEST_PENDING, REQUEST_DONE, REQUEST_REFUSED)


class PersonalDataAccess(Model):
    """One access by the committee to participants' personal data. Shown to the tenant's admins."""

    __tablename__ = "personal_data_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    # What was looked at: a search text, a registration id, a file name; never a phone or e-mail.
    detail: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    event = relationship("Event")
    user = relationship("User")

    __table_args__ = (
        CheckConstraint("action IN " + repr(ACCESS_ACTIONS), name="action_known"),
    )


class DeletionRequest(Model):
    """A participant's request, from their ticket link, to delete their data. One per registration:
    asking again after a refusal opens the same request again."""

    __tablename__ = "deletion_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=REQUEST_PENDING)
    # Why the committee refused, shown to the person on their ticket link.
    refusal_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration = relationship("Registration")
    resolved_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("registration_id"),
        CheckConstraint("status IN " + repr(REQUEST_STATES), name="status_known"),
    )
