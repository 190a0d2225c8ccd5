"""An event, its days, its agenda and its materials."""
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.agenda_jp import counts_for_jp_by_title
from app.models.types import UTCDateTime, enum_column, utcnow


class Visibility(StrEnum):
    """Who may download a material."""

    PUBLIC = "public"
    PARTICIPANTS = "participants"


VISIBILITY_PUBLIC = Visibility.PUBLIC
VISIBILITY_PARTICIPANTS = Visibility.PARTICIPANTS


class EventStatus(StrEnum):
    """Where an event is in its life: a draft is being set up and takes no registration; "Buka
    pendaftaran" makes it open once its checklist is complete (then its registration window rules)."""

    DRAFT = "draft"
    OPEN = "open"


class Event(Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    organizer_name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None]
    default_quota: Mapped[int | None]
    # Participants' phone numbers must be Indonesian (+62) unless the committee allows others.
    foreign_phones_allowed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Days after the last day before personal data is blanked; None: the tenant's period.
    retention_days: Mapped[int | None]
    # Who participants contact ("hubungi panitia"): a name and a WhatsApp number (+62…).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    # When self-service edits stop; None: when the first event day starts.
    edits_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A new event is a draft; rows written without the column (old scripts) are open, as before.
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus, name="status_known"), default=EventStatus.DRAFT, server_default=EventStatus.OPEN.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How long a seat freed for the first on an OPD's waiting list is kept for them.
    waitlist_hold_hours: Mapped[int] = mapped_column(default=24, server_default="24")

    tenant = relationship("Tenant")
    days: Mapped[list["EventDay"]] = relationship(
        back_populates="event", order_by="EventDay.date", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="event", order_by="AgendaItem.starts_at", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("waitlist_hold_hours BETWEEN 1 AND 720", name="waitlist_hold_hours_in_range"),
        CheckConstraint("default_quota IS NULL OR default_quota >= 0", name="default_quota_not_negative"),
        CheckConstraint("retention_days IS NULL OR retention_days >= 0", name="retention_not_negative"),
    )

    @property
    def tz(self):
        return ZoneInfo(self.timezone)

    def registration_state(self, now):
        """'draft', 'not_open', 'open' or 'closed' at the aware datetime `now`."""
        if self.status == EventStatus.DRAFT:
            return "draft"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_open"
        closes = self.registration_closes_at or self.last_day_ends_at
        if closes and now >= closes:
            return "closed"
        return "open"

    @property
    def last_day_ends_at(self):
        """Midnight after the last event day in the event's time zone: registration closes then unless
        the committee set another time. None for an event without days."""
        if not self.days:
            return None
        return datetime.combine(self.days[-1].date + timedelta(days=1), time(0), tzinfo=self.tz)

    def day_on(self, local_date):
        return next((day for day in self.days if day.date == local_date), None)

    def __repr__(self):
        return f"<Event {self.slug}>"


class EventDay(Model):
    __tablename__ = "event_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]

    event: Mapped[Event] = relationship(back_populates="days")

    __table_args__ = (
        UniqueConstraint("event_id", "date"),
        # Lets attendance rows prove that their day belongs to their registration's event.
        UniqueConstraint("id", "event_id"),
    )

    @property
    def tz(self):
        """The event's time zone, where this day starts and ends."""
        return self.event.tz

    @property
    def number(self):
        """1 for the event's first day, 2 for the second …"""
        return self.event.days.index(self) + 1

    def __repr__(self):
        return f"<EventDay {self.date}>"


def _counts_for_jp_by_inserted_title(context):
    return counts_for_jp_by_title(context.get_current_parameters().get("title"))


class AgendaItem(Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    event_day_id: Mapped[int] = mapped_column(index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300))
    speaker: Mapped[str] = mapped_column(String(300), default="")
    # The narasumber (or moderator) of the event who gives the session, when the committee linked one.
    speaker_registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    # Whether its minutes make the certificate's JP; unless set, decided by the title when inserted.
    counts_for_jp: Mapped[bool] = mapped_column(default=_counts_for_jp_by_inserted_title, server_default=true())

    event: Mapped[Event] = relationship(back_populates="agenda_items")
    day: Mapped[EventDay] = relationship(
        primaryjoin="AgendaItem.event_day_id == EventDay.id", foreign_keys=[event_day_id]
    )
    materials: Mapped[list["Material"]] = relationship(
        primaryjoin="Material.agenda_item_id == AgendaItem.id",
        foreign_keys="Material.agenda_item_id",
        back_populates="agenda_item",
        order_by="Material.position",
    )

    __table_args__ = (
        ForeignKeyConstraint(
            ["event_day_id", "event_id"], ["event_days.id", "event_days.event_id"], ondelete="CASCADE"
        ),
        UniqueConstraint("id", "event_id"),
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="ends_after_start"),
    )


class Material(Model):
    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str] = mapped_column(String(255))
    # Not unique: the copy of an event ("Salin acara") refers to the same stored files.
    stored_name: Mapped[str] = mapped_column(String(100), index=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, name="visibility_known"), default=Visibility.PARTICIPANTS
    )
    position: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship(
        primaryjoin="Material.agenda_item_id == AgendaItem.id",
        foreign_keys=[agenda_item_id],
        back_populates="materials",
    )

    __table_args__ = (
        # A material of an agenda item belongs to that item's event.
        # No cascade: a material's file must be deleted with it, which only the service does.
        ForeignKeyConstraint(["agenda_item_id", "event_id"], ["agenda_items.id", "agenda_items.event_id"]),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )
