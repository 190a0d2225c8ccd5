"""The workbook's "Sertifikat" sheet: number, name, NIP, OPD, JP and issue date of every certificate."""
from dataclasses import dataclass

from app.extensions import db
from app.models import Certificate, Event, Registration

# The cell styles and page set-up every sheet shares, so that this sheet looks like its siblings.
from app.xlsx.sheet import HEADER_ROW, Styles, finish_sheet, prepare_sheet


def _rows(event):
    """The certificates' rows; the issue date is the one printed on the certificate (issued_on: the
    committee's "Tanggal terbit", or the day it was issued), not when the app made it."""
    result = db.session.execute(
        db.select(Certificate.number, Certificate.full_name, Registration.nip, Certificate.organization_name,
                  Certificate.jp, Certificate.issued_on, Certificate.revoked_at)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(Certificate.event_id == event.id)
        .order_by(Certificate.seq)
        .execution_options(yield_per=1000)
    )
    tz = event.tz
    for number, full_name, nip, organization, jp, issued_on, revoked_at in result:
        revoked_on = revoked_at.astimezone(tz).date() if revoked_at else None
        yield number, full_name, nip, organization, jp, issued_on, revoked_on


COLUMNS = ("No", "Nomor Sertifikat", "Nama", "NIP", "OPD", "JP", "Tanggal Terbit", "Status")
WIDTHS = (5, 30, 32, 21, 44, 6, 14, 22)


@dataclass
class CertificateSheet:
    """The "Sertifikat" sheet of one event, one of the attendance workbook's `extra_sheets`."""

    event: Event

    def write(self, wb):
        build_certificate_sheet(wb, self.event.title, _rows(self.event))


def certificate_sheets(event):
    """[the Sertifikat sheet] when the event has certificates, else [] (the workbook stays as it was)."""
    has_any = db.session.execute(
        db.select(Certificate.id).where(Certificate.event_id == event.id).limit(1)
    ).first()
    return [] if has_any is None else [CertificateSheet(event)]


def build_certificate_sheet(wb, title, rows):
    """Append the Sertifikat sheet of `rows` (plain tuples) to the write-only workbook `wb`."""
    ws = wb.create_sheet("Sertifikat")
    prepare_sheet(ws, WIDTHS, landscape=True, row_height=20)
    cells = Styles(ws)
    cells.header_block(["DAFTAR SERTIFIKAT", title], len(COLUMNS))
    ws.append([cells.heading(name) for name in COLUMNS])
    number = 0
    for number, (certificate_number, full_name, nip, organization, jp, issued_on, revoked_on) in enumerate(
        rows, start=1
    ):
        status = f"Dicabut {revoked_on:%d/%m/%Y}" if revoked_on else "Berlaku"
        ws.append([
            cells.number(number), cells.code(certificate_number), cells.text(full_name), cells.code(nip),
            cells.text(organization), cells.number(jp), cells.text(f"{issued_on:%d/%m/%Y}"), cells.text(status),
        ])
    finish_sheet(ws, len(COLUMNS), HEADER_ROW + number)
