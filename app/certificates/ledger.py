"""The JP ledger: per person (NIP, or e-mail for non-ASN), every certificate in force across all events,
with its JP and the total per year — the list a BKPSDM asks for.

Hook for tenants: `jp_ledger(events=...)` takes the events to include; today, every event of the install.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from openpyxl import Workbook
from sqlalchemy import func

from app.extensions import db
from app.models import Certificate, Event, EventDay, Registration
from app.xlsx.sheet import HEADER_ROW, Styles, finish_sheet, prepare_sheet

# A civil servant is owed at least 20 JP of competence development a year.
ANNUAL_JP = 20


class LedgerLine(NamedTuple):
    year: int  # of the event's first day
    event_title: str
    number: str
    issued_on: object  # date, in the event's time zone
    jp: int


@dataclass
class LedgerPerson:
    key: str  # the NIP, else the e-mail
    is_nip: bool
    full_name: str
    organization: str
    lines: list = field(default_factory=list)

    @property
    def totals(self):
        """{year: JP} in year order."""
        found: defaultdict[int, int] = defaultdict(int)
        for line in self.lines:
            found[line.year] += line.jp
        return dict(sorted(found.items()))


def jp_ledger(year=None, events=None):
    """Every person with a certificate in force (in `year`, if given), by name; each with their lines by date."""
    first_days = (
        db.select(EventDay.event_id, func.min(EventDay.date).label("first_day")).group_by(EventDay.event_id).subquery()
    )
    query = (
        db.select(Registration.nip, Registration.email, Certificate.full_name, Certificate.organization_name,
                  Event.title, first_days.c.first_day, Certificate.number, Certificate.issued_on, Certificate.jp)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Event, Event.id == Certificate.event_id)
        .outerjoin(first_days, first_days.c.event_id == Event.id)
        .where(Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_at, Certificate.id)
    )
    if events is not None:
        query = query.where(Event.id.in_([event.id for event in events]))
    people: dict = {}
    # The date printed on the certificate (the settings' issue date, or the day it was issued).
    for nip, email, full_name, organization, title, first_day, number, issued_on, jp in db.session.execute(query):
        # JP count for the year the training took place (its first day), not the year the paper came.
        jp_year = first_day.year if first_day is not None else issued_on.year
        if year is not None and jp_year != year:
            continue
        # After the retention period a NIP and e-mail are blanked: the certificate's number keeps the line.
        key = nip or (email or "").strip().lower() or f"sertifikat {number}"
        person = people.get(key)
        if person is None:
            person = people[key] = LedgerPerson(key, bool(nip), full_name, organization)
        # The latest certificate's name and OPD: people move between OPDs.
        person.full_name, person.organization = full_name, organization
        person.lines.append(LedgerLine(jp_year, title, number, issued_on, jp))
    return sorted(people.values(), key=lambda person: (person.full_name.lower(), person.key))


DETAIL_COLUMNS = ("No", "NIP / E-mail", "Nama", "OPD", "Tahun", "Kegiatan", "Nomor Sertifikat", "Tanggal Terbit", "JP")
TOTAL_COLUMNS = ("No", "NIP / E-mail", "Nama", "OPD", "Tahun", "Jumlah JP", f"Memenuhi {ANNUAL_JP} JP")


def build_ledger_workbook(people, stream, *, year=None):
    """Write the ledger of `people` (LedgerPerson) to the binary `stream`: totals per year, then every line."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "Hadir"
    heading = "REKAP JAM PELAJARAN (JP)" + (f" TAHUN {year}" if year else "")

    ws = wb.create_sheet("Total JP per Tahun")
    prepare_sheet(ws, (5, 26, 32, 40, 8, 11, 14), landscape=False, row_height=18)
    cells = Styles(ws)
    cells.header_block([heading, "Per NIP (atau e-mail untuk non-ASN), dari sertifikat yang berlaku"],
                       len(TOTAL_COLUMNS))
    ws.append([cells.heading(title) for title in TOTAL_COLUMNS])
    number = 0
    for person in people:
        for person_year, total in person.totals.items():
            number += 1
            ws.append([cells.number(number), cells.code(person.key), cells.text(person.full_name),
                       cells.text(person.organization), cells.number(person_year), cells.number(total),
                       cells.text("Ya" if total >= ANNUAL_JP else "Belum")])
    finish_sheet(ws, len(TOTAL_COLUMNS), HEADER_ROW + number)

    ws = wb.create_sheet("Rincian Sertifikat")
    prepare_sheet(ws, (5, 26, 32, 40, 8, 48, 30, 14, 6), landscape=True, row_height=18)
    cells = Styles(ws)
    cells.header_block([heading, "Rincian per sertifikat"], len(DETAIL_COLUMNS))
    ws.append([cells.heading(title) for title in DETAIL_COLUMNS])
    number = 0
    for person in people:
        for line in person.lines:
            number += 1
            ws.append([cells.number(number), cells.code(person.key), cells.text(person.full_name),
                       cells.text(person.organization), cells.number(line.year), cells.text(line.event_title),
                       cells.code(line.number), cells.text(f"{line.issued_on:%d-%m-%Y}"), cells.number(line.jp)])
    finish_sheet(ws, len(DETAIL_COLUMNS), HEADER_ROW + number)
    wb.save(stream)
