"""The overview as an .xlsx: one row per event, aggregates only. Every text is written as text
(a tenant or title starting with = + - @ never becomes a formula)."""
from openpyxl import Workbook

from app.formatting import date_span
from app.overview.services import FIGURE_LABELS
from app.xlsx.cells import text_cell

HEADERS = ("Pemerintah", "Acara", "Tanggal", "OPD ikut", "OPD mengirim peserta", "Terdaftar",
           "Hadir per hari", "Hadir semua hari")




def build_overview_workbook(figures, stream):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Ringkasan program")
    sheet.append([text_cell(sheet, header) for header in (*HEADERS, *map(str, FIGURE_LABELS.values()))])
    for f in figures:
        per_day = " · ".join(f"{day.isoformat()}: {present}" for day, present in
                             zip(f.dates, f.present_per_day, strict=True))
        sheet.append([text_cell(sheet, f.tenant), text_cell(sheet, f.title), text_cell(sheet, date_span(f.dates)),
                      f.opds_taking_part, f.opds_with_participants, f.registered, text_cell(sheet, per_day),
                      f.present_every_day, *(f.extra.get(key) for key in FIGURE_LABELS)])
    workbook.save(stream)
