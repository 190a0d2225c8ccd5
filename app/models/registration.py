"""A participant's registration for one event, and its ticket."""
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, new_ticket_token, utcnow

if TYPE_CHECKING:
    from app.models.attendance import Attendance
    from app.models.event import Event
    from app.models.organization import Organization


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    CANCELLED = "cancelled"
    # The seat was handed to a colleague ("ganti peserta"): a new registration holds it now
    # (transferred_to_id); this one keeps the previous holder's data for the SPJ.
    TRANSFERRED = "transferred"


STATUS_REGISTERED = RegistrationStatus.REGISTERED
STATUS_CANCELLED = RegistrationStatus.CANCELLED
STATUS_TRANSFERRED = RegistrationStatus.TRANSFERRED
# What a badge's band says; everyone is a participant unless the committee says otherwise.
ROLE_PESERTA = "peserta"
# Narasumber, moderators and panitia are people of the event too (a badge, a line on their own daftar hadir,
# a certificate saying their role) but take no seat of an OPD's quota.
REGISTRATION_ROLES = (ROLE_PESERTA, "narasumber", "moderator", "panitia")

# Why the data is processed (UU 27/2022 art. 20): the person's consent on the form, or the
# committee's public task when it imports a list it was given.
BASIS_CONSENT = "consent"
BASIS_PUBLIC_TASK = "public_task"
LEGAL_BASES = (BASIS_CONSENT, BASIS_PUBLIC_TASK)


class TicketHolderMixin:
    """What a registration's `status` and `nip` say: shared by Registration and the check-in
    desk's plain copy of one (app/checkin/desk.py)."""

    if TYPE_CHECKING:
        status: str
        nip: str | None

    @property
    def is_active(self):
        return self.status == STATUS_REGISTERED

    @property
    def is_transferred(self):
        return self.status == STATUS_TRANSFERRED

    @property
    def masked_nip(self):
        """The NIP as an operator may see it: the last four digits only."""
        return mask_nip(self.nip)


def mask_nip(nip):
    """A NIP with all but its last four digits hidden ("" for none): what operators and the public see."""
    return "•" * 14 + nip[-4:] if nip else ""


def _consent_time(context):
    """Now, for a row stored on the person's consent; none for the committee's public task."""
    basis = context.get_current_parameters().get("legal_basis", BASIS_CONSENT)
    return utcnow() if basis == BASIS_CONSENT else None


class Registration(TicketHolderMixin, Model):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    position: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(100))
    # NIP, phone and e-mail are blanked (NULL) once the retention period ends or on request.
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, name="status_known"), default=RegistrationStatus.REGISTERED
    )
    # What the QR encodes; reaching the ticket page needs nothing else.
    ticket_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_ticket_token)
    legal_basis: Mapped[str] = mapped_column(String(20), default=BASIS_CONSENT)
    # When the person ticked the consent box; None for committee imports (they consented to nothing here).
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=_consent_time)
    # A second secret, sent only to the participant: it edits, cancels or hands over the seat.
    edit_token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=new_ticket_token)
    source: Mapped[str] = mapped_column(String(20), default="form")
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_PESERTA, server_default=ROLE_PESERTA)
    # When this person's badge was last printed (the "not printed yet" filter).
    badge_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set on a transferred registration: the colleague's registration that took the seat.
    transferred_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), unique=True
    )

    event: Mapped["Event"] = relationship()
    organization: Mapped["Organization"] = relationship()
    attendances: Mapped[list["Attendance"]] = relationship(back_populates="registration", passive_deletes=True)

    __table_args__ = (
        UniqueConstraint("event_id", "nip"),
        UniqueConstraint("event_id", "email"),
        UniqueConstraint("id", "event_id"),
        # The OPD must take part in the event the person registers for.
        ForeignKeyConstraint(
            ["event_id", "organization_id"],
            ["event_organizations.event_id", "event_organizations.organization_id"],
            name="fk_registrations_event_organization",
        ),
        CheckConstraint("nip IS NULL OR length(nip) = 18", name="nip_18_digits"),
        CheckConstraint(f"legal_basis IN {LEGAL_BASES!r}", name="legal_basis_known"),
        CheckConstraint("legal_basis <> 'consent' OR consented_at IS NOT NULL", name="consent_has_a_time"),
        CheckConstraint("role IN ('peserta', 'narasumber', 'moderator', 'panitia')", name="role_known"),
        CheckConstraint("transferred_to_id IS NULL OR status = 'transferred'", name="transfer_has_status"),
    )

    def __repr__(self):
        return f"<Registration {self.id} {self.full_name!r}>"
