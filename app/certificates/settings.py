"""An event's certificate settings, and the JP (jam pelajaran) its agenda is worth."""
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError

from app.certificates.numbering import first_collision
from app.extensions import db
from app.models import DEFAULT_NUMBER_PATTERN, AgendaItem, Certificate, CertificateSettings, Event, utcnow

MINUTES_PER_JP = 45


def certificate_settings(event):
    """The event's stored settings, or unsaved defaults (never added to the session)."""
    found = db.session.execute(db.select(CertificateSettings).filter_by(event_id=event.id)).scalar_one_or_none()
    if found is not None:
        return found
    return CertificateSettings(
        event_id=event.id, jp_rounding="down", require_evaluation=False,
        number_pattern=DEFAULT_NUMBER_PATTERN, signer_name="",
        signer_nip="", signer_position="", layout="", issue_place="", seq_start=1,
    )


def lock_certificate_settings(event):
    """The event's settings row, write-locked until the transaction ends (created if missing).

    Issuing and re-issuing take this lock first, so two runs for one event take turns:
    a no-op UPDATE locks the row on PostgreSQL and the database on SQLite. Two first
    runs that both insert the row meet on its unique event_id; the loser retries.
    """
    for _attempt in range(3):
        locked = db.session.execute(
            update(CertificateSettings).where(CertificateSettings.event_id == event.id)
            .values(event_id=CertificateSettings.event_id)
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult, locked).rowcount == 1:  # an UPDATE's result is a CursorResult
            return db.session.execute(
                db.select(CertificateSettings).filter_by(event_id=event.id).execution_options(populate_existing=True)
            ).scalar_one()
        settings = certificate_settings(event)
        db.session.add(settings)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            continue
        return settings
    raise RuntimeError("could not lock the certificate settings")


def save_certificate_settings(event, fields):
    """Store the settings of `event` from plain `fields` (column name → value). The caller commits."""
    settings = lock_certificate_settings(event)
    for name, value in fields.items():
        setattr(settings, name, value)
    db.session.flush()
    return settings


def jp_from_minutes(minutes, rounding):
    """JP for `minutes` of sessions: 45 minutes each, rounded down, to the nearest, or up."""
    whole, rest = divmod(max(int(minutes), 0), MINUTES_PER_JP)
    if rounding == "up":
        return whole + (rest > 0)
    if rounding == "nearest":
        return whole + (rest * 2 >= MINUTES_PER_JP)
    return whole


def agenda_minutes(event):
    """Minutes of the event's agenda items that have an end time."""
    rows = db.session.execute(
        db.select(AgendaItem.starts_at, AgendaItem.ends_at).where(
            AgendaItem.event_id == event.id, AgendaItem.ends_at.is_not(None)
        )
    ).all()
    return sum(int((ends - starts).total_seconds() // 60) for starts, ends in rows)


def event_jp(event, settings):
    """The JP a certificate of this event carries: the override, else the agenda's."""
    if settings.jp_override is not None:
        return settings.jp_override
    return jp_from_minutes(agenda_minutes(event), settings.jp_rounding or "down")


def colliding_number(event, pattern, start, issue_date, *, now=None):
    """A number another event of the same tenant has already issued that `event` would issue again with
    this pattern, start and issue date (today in the event's zone when none), or None."""
    issued_on = issue_date or (now or utcnow()).astimezone(event.tz).date()
    numbers = db.session.execute(
        db.select(Certificate.number).join(Event, Event.id == Certificate.event_id)
        .where(Event.tenant_id == event.tenant_id, Event.id != event.id)
    ).scalars()
    return first_collision(pattern, start, issued_on, numbers)
