"""Which events an operator may check people in for. Admins may work on every event."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.event import Event
    from app.models.user import User


class EventOperator(Model):
    __tablename__ = "event_operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped["Event"] = relationship()
    user: Mapped["User"] = relationship()

    __table_args__ = (UniqueConstraint("event_id", "user_id"),)
