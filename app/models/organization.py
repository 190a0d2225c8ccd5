"""OPDs (organisasi perangkat daerah) and their quota in one event."""
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import enum_column

if TYPE_CHECKING:
    from app.models.event import Event


class OrganizationKind(StrEnum):
    SEKRETARIAT = "sekretariat"
    INSPEKTORAT = "inspektorat"
    BADAN = "badan"
    DINAS = "dinas"
    SATUAN = "satuan"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    LAINNYA = "lainnya"


ORGANIZATION_KINDS = tuple(kind.value for kind in OrganizationKind)


class Organization(Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Each tenant has its own OPD list: Kota Serang's "Bappeda" and Kota Bogor's are two rows.
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"))
    short_name: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganizationKind] = mapped_column(
        enum_column(OrganizationKind, name="kind_known"), default=OrganizationKind.LAINNYA
    )
    # Who at the OPD receives the invitation and the reminders (its secretariat), kept for every event.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        UniqueConstraint("tenant_id", "short_name"),
        UniqueConstraint("tenant_id", "name"),
    )

    def __repr__(self):
        return f"<Organization {self.short_name}>"


class EventOrganization(Model):
    """An OPD taking part in an event, with its quota of participants (None: no quota)."""

    __tablename__ = "event_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    quota: Mapped[int | None]

    event: Mapped["Event"] = relationship()
    organization: Mapped[Organization] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "organization_id"),
        CheckConstraint("quota IS NULL OR quota >= 0", name="quota_not_negative"),
    )
