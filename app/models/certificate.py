"""Certificates: an event's certificate settings, and one certificate per eligible registration."""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

JP_ROUNDING = ("down", "nearest", "up")
DEFAULT_NUMBER_PATTERN = "{seq:03d}/SERT/{year}"


class CertificateSettings(Model):
    """How an event's certificates are made: JP, who is eligible, numbering, signer and design."""

    __tablename__ = "certificate_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    # JP (jam pelajaran): computed from the agenda unless set here.
    jp_override: Mapped[int | None]
    jp_rounding: Mapped[str] = mapped_column(String(10), default="down")
    # Days present needed; None means every day of the event.
    min_days: Mapped[int | None]
    # Eligibility beyond attendance: every evaluation form answered; a post-test score (percent) reached.
    require_evaluation: Mapped[bool] = mapped_column(default=False)
    min_post_test_score: Mapped[int | None]
    number_pattern: Mapped[str] = mapped_column(String(200), default=DEFAULT_NUMBER_PATTERN)
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    # Stored names (app/storage.py) of the signature/stamp PNG and of the background.
    signer_image: Mapped[str | None] = mapped_column(String(100))
    background: Mapped[str | None] = mapped_column(String(100))
    background_kind: Mapped[str | None] = mapped_column(String(10))
    # Text positions over a background, as JSON: {"name": [x_mm, y_mm], ...}; empty: the default design.
    layout: Mapped[str] = mapped_column(Text, default="")
    issue_date: Mapped[date | None]
    issue_place: Mapped[str] = mapped_column(String(100), default="")
    # The event's numbers start here ({seq} of its first certificate), so that two events sharing a
    # pattern can keep apart.
    seq_start: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event = relationship("Event")

    __table_args__ = (
        CheckConstraint("jp_override IS NULL OR jp_override >= 0", name="jp_not_negative"),
        CheckConstraint("min_days IS NULL OR min_days >= 1", name="min_days_positive"),
        CheckConstraint("min_post_test_score IS NULL OR min_post_test_score BETWEEN 0 AND 100",
                        name="min_post_test_score_percent"),
        CheckConstraint("jp_rounding IN ('down', 'nearest', 'up')", name="jp_rounding_known"),
        CheckConstraint("seq_start >= 1", name="seq_start_positive"),
    )


class Certificate(Model):
    """One certificate of one registration. Its number and code are never reused, even once revoked."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(200))
    # What the QR's verification URL ends in: a secret of at least 128 bits.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # As printed, fixed at issue: a later correction of the registration, the signer or the JP is a
    # new certificate (revoke and re-issue), never a silent change of this one.
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str] = mapped_column(String(18), default="", server_default="")
    organization_name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="peserta", server_default="peserta")
    jp: Mapped[int]
    signer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="", server_default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="", server_default="")
    issue_place: Mapped[str] = mapped_column(String(100), default="", server_default="")
    issued_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str] = mapped_column(String(300), default="")

    event = relationship("Event")
    registration = relationship("Registration", foreign_keys=[registration_id],
                                primaryjoin="Certificate.registration_id == Registration.id")

    __table_args__ = (
        UniqueConstraint("event_id", "seq"),
        ForeignKeyConstraint(
            ["registration_id", "event_id"], ["registrations.id", "registrations.event_id"], ondelete="CASCADE"
        ),
        # At most one certificate in force per registration; revoked ones stay for the record.
        Index("uq_certificates_active_registration", "registration_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"), postgresql_where=text("revoked_at IS NULL")),
        CheckConstraint("seq >= 1", name="seq_positive"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    @property
    def is_revoked(self):
        return self.revoked_at is not None
