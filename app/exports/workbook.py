"""The attendance workbook the committee prints, signs and files, written in streaming mode.

build_attendance_workbook(data, stream) is a pure function over plain rows
(app.exports.sheets): one "Daftar Hadir Hari N" sheet per day, "Rekap per OPD"
and "Peserta", and when the event pays a transport allowance, "Penerimaan Uang
Transport" (app/exports/transport.py). The committee's signature block
(app/xlsx/signature.py) closes each daftar hadir, the Rekap and the transport list.
openpyxl's write-only mode sends each row to a temporary file as it is appended,
so memory does not grow with the number of registrations.

Every text value is written as text (never a formula), and a text that an office
suite would read as a formula (= + - @ or a tab first) also gets the quotePrefix
style, as if it had been typed with a leading apostrophe (app/xlsx/cells.py).
"""
from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from app.exports.transport import write_transport_sheet
from app.xlsx.cells import clean_text
from app.xlsx.sheet import HEADER_ROW, Styles, finish_sheet, long_date_id, prepare_sheet, sign_sheet

DAY_COLUMNS = ("No", "Nama", "NIP", "Jabatan", "OPD", "No. HP", "Waktu Hadir ({tz})", "Tanda Tangan")
DAY_WIDTHS = (5, 32, 21, 28, 44, 17, 12, 22)
PHONE_COLUMN = DAY_COLUMNS.index("No. HP")


def _day_layout(show_phone):
    """The daftar hadir's columns and widths: the phone column only when the committee asks for it."""
    if show_phone:
        return DAY_COLUMNS, DAY_WIDTHS
    keep = [index for index in range(len(DAY_COLUMNS)) if index != PHONE_COLUMN]
    return tuple(DAY_COLUMNS[i] for i in keep), tuple(DAY_WIDTHS[i] for i in keep)


STAFF_COLUMNS = ("No", "Nama", "Peran", "Jabatan", "Instansi", "Waktu Hadir ({tz})", "Tanda Tangan")
STAFF_WIDTHS = (5, 32, 14, 28, 44, 12, 22)
ROLE_NAMES = {"narasumber": "Narasumber", "moderator": "Moderator", "panitia": "Panitia"}


def _write_day(wb, data, day):
    if day.staff:
        ws = wb.create_sheet(f"DH Narasumber & Panitia H{day.number}")
        columns, widths, title = STAFF_COLUMNS, STAFF_WIDTHS, "DAFTAR HADIR NARASUMBER DAN PANITIA"
    else:
        ws = wb.create_sheet(f"Daftar Hadir Hari {day.number}")
        (columns, widths), title = _day_layout(data.show_phone), "DAFTAR HADIR"
    header_row = HEADER_ROW + len(data.letterhead)
    layout = prepare_sheet(ws, widths, landscape=True, row_height=30, header_row=header_row)
    cells = Styles(ws)
    cells.header_block(
        [title, data.title, f"Hari/Tanggal: {long_date_id(day.date)}", f"Tempat: {data.venue}"],
        len(columns), data.letterhead,
    )
    ws.append([cells.heading(title.format(tz=data.tz_label)) for title in columns])
    number = 0
    for number, row in enumerate(day.rows, start=1):
        ws.append([
            cells.number(number),
            cells.text(row.full_name),
            *((cells.text(ROLE_NAMES.get(row.role, row.role)),) if day.staff else (cells.code(row.nip),)),
            cells.text(row.position),
            cells.text(row.organization),
            *((cells.code(row.phone),) if data.show_phone and not day.staff else ()),
            cells.presence(row.checked_in_at, row.recorded_late_at),
            cells.signature(number),
        ])
    finish_sheet(ws, len(columns), header_row + number, header_row)
    if data.signature is not None:
        sign_sheet(ws, layout, data.signature, len(columns), number)


def _write_rekap(wb, data):
    ws = wb.create_sheet("Rekap per OPD")
    day_titles = [f"Hadir Hari {day.number} ({format_date(day.date, 'd MMM', locale='id')})" for day in data.days]
    titles = ["No", "OPD", "Kuota", "Terdaftar", *day_titles, "Hadir Semua Hari"]
    header_row = HEADER_ROW + len(data.letterhead)
    layout = prepare_sheet(ws, (5, 48, 9, 11, *(13 for _ in data.days), 13), landscape=False, row_height=24,
                           header_row=header_row)
    cells = Styles(ws)
    dates = " dan ".join(long_date_id(day.date) for day in data.days)
    cells.header_block(
        ["REKAPITULASI KEHADIRAN PER OPD", data.title, f"Hari/Tanggal: {dates}", f"Tempat: {data.venue}"],
        len(titles), data.letterhead,
    )
    ws.append([cells.heading(title) for title in titles])
    number = 0
    for number, row in enumerate(data.rekap, start=1):
        ws.append([
            cells.number(number),
            cells.text(row.organization),
            cells.number(row.quota),  # empty when the OPD has no quota
            cells.number(row.registered),
            *(cells.number(count) for count in row.present),
            cells.number(row.present_all_days),
        ])
    last = header_row + number
    totals = [cells.total_label(""), cells.total_label("Jumlah")]
    for column in range(3, len(titles) + 1):
        letter = get_column_letter(column)
        totals.append(cells.total(f"=SUM({letter}{header_row + 1}:{letter}{last})" if number else 0))
    ws.append(totals)
    finish_sheet(ws, len(titles), last, header_row)
    if data.signature is not None:
        sign_sheet(ws, layout, data.signature, len(titles), number + 1)  # the Jumlah row too


PARTICIPANT_COLUMNS = ("No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "OPD", "No. HP", "E-mail", "Status")


def _write_participants(wb, data):
    ws = wb.create_sheet("Peserta")
    titles = [*PARTICIPANT_COLUMNS, *(f"Hadir Hari {day.number} ({data.tz_label})" for day in data.days)]
    prepare_sheet(ws, (5, 30, 21, 26, 20, 40, 17, 30, 10, *(11 for _ in data.days)), landscape=True, row_height=30)
    cells = Styles(ws)
    cells.header_block(["DAFTAR PESERTA", data.title, data.organizer, f"Tempat: {data.venue}"], len(titles))
    ws.append([cells.heading(title) for title in titles])
    number = 0
    for number, row in enumerate(data.participants, start=1):
        ws.append([
            cells.number(number),
            cells.text(row.full_name),
            cells.code(row.nip),
            cells.text(row.position),
            cells.text(row.rank),
            cells.text(row.organization),
            cells.code(row.phone),
            cells.text(row.email),
            cells.text("Dialihkan" if row.transferred else "Batal" if row.cancelled else "Terdaftar"),
            *(cells.presence(moment, late)
              for moment, late in zip(row.checked_in_at, row.recorded_late_at or (None,) * len(row.checked_in_at),
                                      strict=True)),
        ])
    finish_sheet(ws, len(titles), HEADER_ROW + number)


def build_attendance_workbook(data, stream):
    """Write the attendance workbook of `data` (an AttendanceData) to the binary `stream`."""
    wb = Workbook(write_only=True)
    wb.properties.title = clean_text(f"Daftar Hadir {data.title}")[:255]
    wb.properties.creator = "Hadir"
    for day in data.days:
        _write_day(wb, data, day)
    for day in data.staff_days:
        _write_day(wb, data, day)
    _write_rekap(wb, data)
    _write_participants(wb, data)
    if data.transport is not None:
        write_transport_sheet(wb, data)
    for sheets in data.extra_sheets:
        sheets.write(wb)
    wb.save(stream)
