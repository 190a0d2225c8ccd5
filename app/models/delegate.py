"""An OPD's own link for sending its delegates to an event, what was done through it, and the letter.

A Bimtek is filled by invitation: the organising Dinas writes to every OPD, and the OPD's
secretariat names its people. The link is that secretariat's way in, without an account: a
secret per OPD per event, which the committee can revoke and issue again (a new secret; the old
one stops working at once).
"""
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.organization import Organization


class DelegateLink(Model):
    """One OPD's link for one event. `token` is None once revoked; issuing again sets a new one
    and counts up `generation`, so the change log says which link made a change."""

    __tablename__ = "delegate_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    generation: Mapped[int] = mapped_column(default=1)
    # Until when the OPD may add, change and swap its people (None: until the event's first day starts).
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_change_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped["Organization"] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "organization_id"),
        # Only an OPD taking part in the event has a link; taking it out of the event removes the link.
        ForeignKeyConstraint(
            ["event_id", "organization_id"],
            ["event_organizations.event_id", "event_organizations.organization_id"],
            name="fk_delegate_links_event_organization", ondelete="CASCADE",
        ),
    )


class DelegateChange(Model):
    """One change made through an OPD's link: which link (and which issue of it), to whom, what, when."""

    __tablename__ = "delegate_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("delegate_links.id", ondelete="CASCADE"), index=True)
    generation: Mapped[int]
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # add, edit, cancel, replace
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InvitationLetter(Model):
    """The surat undangan an event sends to each OPD taking part: written once, printed per OPD with that
    OPD's name, quota and link (app/delegates/letters.py). One optional row per event."""

    __tablename__ = "invitation_letters"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    # "005/{nomor}/Diskominfo/2022": {nomor} is the OPD's place in the list (001, 002, …).
    number_pattern: Mapped[str] = mapped_column(String(120), default="")
    letter_date: Mapped[date | None]
    place: Mapped[str] = mapped_column(String(100), default="")  # "Serang"
    subject: Mapped[str] = mapped_column(String(200), default="")  # perihal
    body: Mapped[str] = mapped_column(Text, default="")
    signer_role: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_nip: Mapped[str | None] = mapped_column(String(18))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("signer_nip IS NULL OR length(signer_nip) = 18", name="signer_nip_18_digits"),
    )
