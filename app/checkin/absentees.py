"""Who has not come yet on an event day: the committee's list to phone them, as a page and a workbook.

The same people as the "belum tercatat hadir" message's audience (app/messages/reminders.py), so the
list and the message never disagree.
"""
from datetime import datetime, time, timedelta

from openpyxl import Workbook
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.messages.reminders import audience_query
from app.models import Registration
from app.xlsx.cells import text_cell


def absentees(event, day, organization_id=None):
    """The active registrations of `event` with no attendance on `day`, by name (optionally of one OPD)."""
    query = audience_query(event, f"absent:{day.id}")
    if query is None:
        return []
    if organization_id is not None:
        query = query.where(Registration.organization_id == organization_id)
    return db.session.execute(query.options(joinedload(Registration.organization))).scalars().all()


def day_started(event, day, now):
    """Whether `day` has begun in the event's time zone (a "belum hadir" message makes sense only then)."""
    return now >= datetime.combine(day.date, time(0), tzinfo=event.tz)


def day_over(event, day, now):
    return now >= datetime.combine(day.date + timedelta(days=1), time(0), tzinfo=event.tz)


HEADINGS = ("No", "Nama", "NIP", "Jabatan", "OPD", "No. HP", "E-mail")


def write_absentees_workbook(stream, event, day_label, people):
    """One sheet: the people not yet present on the day, every text written as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Belum hadir")
    sheet.append([text_cell(sheet, f"Belum hadir — {event.title} — {day_label}")])
    sheet.append([text_cell(sheet, heading) for heading in HEADINGS])
    for number, person in enumerate(people, start=1):
        values = (person.full_name, person.nip or "", person.position, person.organization.name,
                  person.phone or "", person.email or "")
        sheet.append([number, *(text_cell(sheet, value) for value in values)])
    workbook.save(stream)
