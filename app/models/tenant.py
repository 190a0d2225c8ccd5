"""The organising government or agency: it owns its OPD list, its events and their personal data."""
from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

# UU 27/2022 expects data kept no longer than needed: by default two years after an event's last day.
DEFAULT_RETENTION_DAYS = 730
# The longest retention period a form or the CLI accepts (100 years), for a tenant or an event.
MAX_RETENTION_DAYS = 36_500
# How long the log of who looked at personal data is itself kept.
DEFAULT_AUDIT_RETENTION_DAYS = 1095


class Tenant(Model):
    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    # A path under UPLOAD_FOLDER, for documents (certificates, letters); empty: no logo.
    logo_path: Mapped[str] = mapped_column(String(255), default="")
    # The lines of the letterhead (kop surat), one per line.
    letterhead: Mapped[str] = mapped_column(Text, default="")
    # The privacy notice: whom to contact, and anything the tenant adds to the standard text.
    privacy_contact: Mapped[str] = mapped_column(String(300), default="")
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    retention_days: Mapped[int] = mapped_column(default=DEFAULT_RETENTION_DAYS)
    audit_retention_days: Mapped[int] = mapped_column(default=DEFAULT_AUDIT_RETENTION_DAYS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("retention_days >= 0", name="retention_not_negative"),
        CheckConstraint("audit_retention_days >= 0", name="audit_retention_not_negative"),
    )

    @property
    def letterhead_lines(self):
        return [line for line in (self.letterhead or "").splitlines() if line.strip()]

    def __repr__(self):
        return f"<Tenant {self.slug}>"
