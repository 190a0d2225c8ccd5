"""The committee's own records: what an event's SPJ paperwork says, and who changed which account.

EventPaperwork is one optional row per event (none: the defaults), in a table of its own so that
the events table stays as it is.
"""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.event import Event


class EventPaperwork(Model):
    """The signature block printed under the daftar hadir, the phone switch and the transport rate."""

    __tablename__ = "event_paperwork"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    # "Serang, 14 Juni 2022": typed by the committee, as it should be printed.
    signature_place_date: Mapped[str] = mapped_column(String(200), default="")
    signature_role: Mapped[str] = mapped_column(String(200), default="")  # "Ketua Panitia", "Pejabat Pembuat Komitmen"
    signature_name: Mapped[str] = mapped_column(String(200), default="")
    signature_nip: Mapped[str | None] = mapped_column(String(18))
    # The printed daftar hadir goes round the room: no phone numbers on it unless the committee asks.
    phone_on_daftar_hadir: Mapped[bool] = mapped_column(default=False)
    # Uang transport per day present, in rupiah; None: no transport sheet.
    transport_rate: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()

    __table_args__ = (
        CheckConstraint("transport_rate IS NULL OR transport_rate >= 0", name="transport_rate_not_negative"),
        CheckConstraint("signature_nip IS NULL OR length(signature_nip) = 18", name="signature_nip_18_digits"),
    )

    @property
    def has_signature(self):
        return bool(self.signature_role or self.signature_name)


class AdminAuditEntry(Model):
    """One change to the committee's accounts: who did what to whom, and when.

    The actor's and target's e-mails are copied, so the entry still reads right after an account is gone.
    """

    __tablename__ = "admin_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254))  # the actor's e-mail, or "cli" from the command line
    action: Mapped[str] = mapped_column(String(40))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target: Mapped[str] = mapped_column(String(254), default="")  # the account's e-mail
    detail: Mapped[str] = mapped_column(String(300), default="")  # an event slug, a token's name, a role
