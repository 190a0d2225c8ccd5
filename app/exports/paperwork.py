"""An event's SPJ paperwork settings: the signature block, the phone switch, the transport rate."""
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import EventPaperwork

FIELDS = ("signature_place_date", "signature_role", "signature_name", "signature_nip", "phone_on_daftar_hadir",
          "transport_rate")


class PaperworkConflict(Exception):
    """Two people saved the first settings of one event at the same moment; nothing was stored."""


def paperwork_of(event):
    """The event's settings, or the defaults (not stored) when the committee has set none."""
    found = db.session.get(EventPaperwork, event.id)
    if found is not None:
        return found
    return EventPaperwork(event_id=event.id, signature_place_date="", signature_role="", signature_name="",
                          signature_nip=None, phone_on_daftar_hadir=False, transport_rate=None)


def save_paperwork(event, **values):
    """Store the settings of `event` (keys of FIELDS, already cleaned). The caller commits."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    paperwork = db.session.get(EventPaperwork, event.id)
    created = paperwork is None
    if created:
        paperwork = EventPaperwork(event_id=event.id)
        db.session.add(paperwork)
    for name, value in values.items():
        setattr(paperwork, name, value)
    try:
        db.session.flush()
    except IntegrityError:
        # The row's key is the event: a second first save loses to the first, and says so.
        db.session.rollback()
        raise PaperworkConflict() from None
    return paperwork
