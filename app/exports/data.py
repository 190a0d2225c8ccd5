"""Reading an event's attendance for the workbook: one streamed query per sheet."""
from sqlalchemy import and_, func, or_
from sqlalchemy.orm import aliased

from app.certificates.sheet import certificate_sheets
from app.evaluation.spreadsheets import EvaluationSheets
from app.exports.paperwork import paperwork_of
from app.exports.sheets import (
    AttendanceData,
    AttendeeRow,
    DaySheet,
    ParticipantRow,
    RekapRow,
    SignatureBlock,
    TransportRow,
    TransportSheet,
)
from app.extensions import db
from app.formatting import tz_abbreviation
from app.models import (
    STATUS_CANCELLED,
    STATUS_REGISTERED,
    STATUS_TRANSFERRED,
    Attendance,
    EventDay,
    Organization,
    Registration,
)
from app.models.registration import ROLE_PESERTA
from app.summary import organization_summaries

BATCH = 1000


def _local(moment, tz):
    """An aware UTC datetime as the naive wall-clock time of the event (what Excel can hold)."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment is not None else None


def _day_rows(event, day, *, staff=False):
    """Who signs the daftar hadir of `day`: every active participant (or, with `staff`, every narasumber,
    moderator and panitia), with the check-in time if present, and a previous holder of a seat handed over
    (transferred) who was present that day."""
    role = Registration.role != ROLE_PESERTA if staff else Registration.role == ROLE_PESERTA
    result = db.session.execute(
        db.select(
            Registration.full_name, Registration.nip, Registration.position, Organization.name,
            Registration.phone, Attendance.checked_in_at, Attendance.recorded_late_at, Registration.role,
        )
        .join(Organization, Organization.id == Registration.organization_id)
        .outerjoin(Attendance, and_(Attendance.registration_id == Registration.id, Attendance.event_day_id == day.id))
        .where(Registration.event_id == event.id, role,
               or_(Registration.status == STATUS_REGISTERED,
                   and_(Registration.status == STATUS_TRANSFERRED, Attendance.id.is_not(None))))
        .order_by(*((Registration.role,) if staff else ()), Organization.name, Registration.full_name,
                  Registration.id)
        .execution_options(yield_per=BATCH)
    )
    tz = event.tz
    for full_name, nip, position, organization, phone, checked_in_at, recorded_late_at, role_name in result:
        yield AttendeeRow(full_name, nip, position, organization, phone, _local(checked_in_at, tz),
                          _local(recorded_late_at, tz), role_name)


def _has_staff(event):
    return db.session.execute(
        db.select(Registration.id).where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
                                         Registration.role != ROLE_PESERTA).limit(1)
    ).first() is not None


def _participant_rows(event, days):
    per_day = [aliased(Attendance) for _ in days]
    query = (
        db.select(
            Registration.full_name, Registration.nip, Registration.position, Registration.rank,
            Organization.name, Registration.phone, Registration.email, Registration.status,
            *(attendance.checked_in_at for attendance in per_day),
            *(attendance.recorded_late_at for attendance in per_day),
        )
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id)
        .order_by(Organization.name, Registration.full_name, Registration.id)
        .execution_options(yield_per=BATCH)
    )
    for attendance, day in zip(per_day, days, strict=True):
        query = query.outerjoin(
            attendance, and_(attendance.registration_id == Registration.id, attendance.event_day_id == day.id)
        )
    tz = event.tz
    for full_name, nip, position, rank, organization, phone, email, status, *moments in db.session.execute(query):
        yield ParticipantRow(
            full_name, nip, position, rank, organization, phone, email, cancelled=status == STATUS_CANCELLED,
            transferred=status == STATUS_TRANSFERRED,
            checked_in_at=tuple(_local(moment, tz) for moment in moments[:len(days)]),
            recorded_late_at=tuple(_local(moment, tz) for moment in moments[len(days):]),
        )


def _rekap_rows(event, days):
    for summary in organization_summaries(event, days):
        yield RekapRow(summary.name, summary.quota, summary.registered, summary.present, summary.present_all_days)


def _transport_rows(event):
    """Everyone active who was present at least one day, with the number of days: attendance alone decides
    (a previous holder of a seat handed over included: they were there)."""
    days_present = func.count(Attendance.id)
    result = db.session.execute(
        db.select(Registration.full_name, Registration.nip, Registration.rank, Organization.name, days_present)
        .join(Organization, Organization.id == Registration.organization_id)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(Registration.event_id == event.id, Registration.status.in_((STATUS_REGISTERED, STATUS_TRANSFERRED)))
        .group_by(Registration.id, Registration.full_name, Registration.nip, Registration.rank, Organization.name)
        .order_by(Organization.name, Registration.full_name, Registration.id)
        .execution_options(yield_per=BATCH)
    )
    for row in result:
        yield TransportRow(*row)


def _paperwork(event):
    """(signature block or None, phone on the daftar hadir?, transport sheet or None) as the committee set them."""
    paperwork = paperwork_of(event)
    signature = None
    if paperwork.has_signature:
        signature = SignatureBlock(paperwork.signature_place_date, paperwork.signature_role,
                                   paperwork.signature_name, paperwork.signature_nip)
    transport = None
    if paperwork.transport_rate:
        transport = TransportSheet(paperwork.transport_rate, _transport_rows(event))
    return signature, paperwork.phone_on_daftar_hadir, transport


def attendance_data(event):
    """The AttendanceData of `event`; its rows are read from the database while the workbook is written."""
    days = db.session.execute(
        db.select(EventDay).filter_by(event_id=event.id).order_by(EventDay.date)
    ).scalars().all()
    signature, show_phone, transport = _paperwork(event)
    return AttendanceData(
        title=event.title,
        organizer=event.organizer_name,
        venue=event.venue,
        tz_label=tz_abbreviation(event),
        days=[DaySheet(number, day.date, _day_rows(event, day)) for number, day in enumerate(days, start=1)],
        staff_days=[DaySheet(number, day.date, _day_rows(event, day, staff=True), staff=True)
                    for number, day in enumerate(days, start=1)] if _has_staff(event) else [],
        rekap=_rekap_rows(event, days),
        participants=_participant_rows(event, days),
        signature=signature,
        show_phone=show_phone,
        transport=transport,
        letterhead=tuple(event.tenant.letterhead_lines),
        extra_sheets=[EvaluationSheets(event.id, event.title), *certificate_sheets(event)],
    )


def export_file_name(event):
    return f"daftar-hadir-{event.slug}.xlsx"
