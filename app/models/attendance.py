"""Who was present on which day, and every scan that was tried."""
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from app.models.event import EventDay
    from app.models.registration import Registration
    from app.models.user import User


class CheckinMethod(StrEnum):
    CAMERA = "camera"
    SCANNER = "scanner"
    MANUAL = "manual"
    IMPORT = "import"


class ScanResult(StrEnum):
    """What a scan came to (the API's `result`), as the scan log keeps it."""

    CHECKED_IN = "checked_in"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_TICKET = "unknown_ticket"
    CANCELLED = "cancelled"
    NOT_EVENT_DAY = "not_event_day"
    FUTURE_DAY = "future_day"  # in the check-in contract (DESIGN.md)
    UNDONE = "undone"  # an admin took a check-in back
    TRANSFERRED = "transferred"  # the seat was handed to a colleague; the old ticket is void


CHECKIN_METHODS = tuple(method.value for method in CheckinMethod)


class Attendance(Model):
    """Exactly one row per registration per event day."""

    __tablename__ = "attendances"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column()
    event_day_id: Mapped[int] = mapped_column(index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[CheckinMethod] = mapped_column(
        enum_column(CheckinMethod, name="method_known"), default=CheckinMethod.MANUAL
    )
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    device: Mapped[str | None] = mapped_column(String(100))
    # When the scan was taken, if it was recorded offline and synced later.
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the day had already ended when this was recorded (a forgotten scan, "susulan"):
    # when, and by whom. An offline scan taken on the day and synced later is not late.
    recorded_late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_late_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    registration: Mapped["Registration"] = relationship(
        back_populates="attendances", foreign_keys=[registration_id],
        primaryjoin="Attendance.registration_id == Registration.id",
    )
    day: Mapped["EventDay"] = relationship(
        foreign_keys=[event_day_id], primaryjoin="Attendance.event_day_id == EventDay.id"
    )
    operator: Mapped["User | None"] = relationship(foreign_keys=[operator_id])
    recorded_late_by: Mapped["User | None"] = relationship(foreign_keys=[recorded_late_by_id])

    @property
    def is_late(self):
        return self.recorded_late_at is not None

    __table_args__ = (
        UniqueConstraint("registration_id", "event_day_id"),
        # Both composite keys prove the day and the registration belong to one event.
        ForeignKeyConstraint(
            ["registration_id", "event_id"], ["registrations.id", "registrations.event_id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["event_day_id", "event_id"], ["event_days.id", "event_days.event_id"], ondelete="CASCADE"
        ),
    )


class ScanLog(Model):
    """Every check-in attempt, accepted or not: the audit trail.

    Written on every scan and read by nobody in the app, so it keeps only the index its
    foreign keys need to cascade (a registration's rows): each index is one more page
    written per scan. Deleting an event reads the table through once for its rows.
    """

    __tablename__ = "scan_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    event_day_id: Mapped[int | None] = mapped_column(ForeignKey("event_days.id", ondelete="CASCADE"))
    # A few leading characters of what was scanned: enough to trace, never a usable token.
    token_hint: Mapped[str | None] = mapped_column(String(12))
    result: Mapped[ScanResult] = mapped_column(enum_column(ScanResult, name="result_known", length=30))
    method: Mapped[CheckinMethod | None] = mapped_column(enum_column(CheckinMethod, name="method_known"))
    device: Mapped[str | None] = mapped_column(String(100))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration: Mapped["Registration | None"] = relationship()
    operator: Mapped["User | None"] = relationship()
