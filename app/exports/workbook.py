"""The attendance workbook the committee prints, signs and files, written in streaming mode.

build_attendance_workbook(data, stream) is a pure function over plain rows
(app.exports.sheets): one "Daftar Hadir Hari N" sheet per day, "Rekap per OPD"
and "Peserta", and when the event pays a transport allowance, "Penerimaan Uang
Transport" (app/exports/transport.py). The committee's signature block
(app/exports/signature.py) closes each daftar hadir, the Rekap and the transport list.
openpyxl's write-only mode sends each row to a temporary file as it is appended,
so memory does not grow with the number of registrations.

Every text value is written as text (never a formula), and a text that an office
suite would read as a formula (= + - @ or a tab first) also gets the quotePrefix
style, as if it had been typed with a leading apostrophe (app/exports/cells.py).
"""
from babel.dates import format_date
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exports.cells import clean_text, looks_like_formula, put_text
from app.exports.pages import keep_block_with_list, print_layout
from app.exports.signature import append_signature_block, block_height

HEADER_ROW = 6  # rows 1-4: the header block, row 5: blank, row 6: column titles (lower by the letterhead's lines)

_thin = Side(style="thin", color="000000")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_BODY = Font(name="Arial", size=10)
_WRAP = Alignment(vertical="center", wrap_text=True)
_CENTER_ACROSS = Alignment(horizontal="centerContinuous", vertical="center")


def long_date_id(day):
    """'Senin, 13 Juni 2022': the committee's documents are in Indonesian whatever the screen language."""
    return format_date(day, "EEEE, d MMMM y", locale="id")


class _Styles:
    """Cell factories, one per look; the style is built once and copied into each new cell."""

    def __init__(self, ws):
        self.ws = ws

        def proto(**style):
            cell = Cell(ws, 1, 1)
            for name, value in style.items():
                setattr(cell, name, value)
            return cell._style

        self._text = proto(border=_BOX, font=_BODY, alignment=_WRAP)
        self._quoted = proto(border=_BOX, font=_BODY, alignment=_WRAP, quotePrefix=True)
        self._code = proto(border=_BOX, font=_BODY, alignment=_WRAP, number_format="@")
        self._code_quoted = proto(border=_BOX, font=_BODY, alignment=_WRAP, number_format="@", quotePrefix=True)
        self._number = proto(border=_BOX, font=_BODY, alignment=Alignment(vertical="center", horizontal="right"))
        self._time = proto(border=_BOX, font=_BODY, alignment=Alignment(vertical="center", horizontal="center"),
                           number_format="hh:mm")
        self._sign_left = proto(border=_BOX, font=_BODY, alignment=Alignment(vertical="top", horizontal="left"))
        self._sign_right = proto(border=_BOX, font=_BODY, alignment=Alignment(vertical="top", horizontal="center"))
        self._heading = proto(border=_BOX, font=Font(name="Arial", size=10, bold=True),
                              alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
                              fill=PatternFill("solid", fgColor="D9D9D9"))
        self._total_label = proto(border=_BOX, font=Font(name="Arial", size=10, bold=True))
        self._total = proto(border=_BOX, font=Font(name="Arial", size=10, bold=True))
        self._title = proto(font=Font(name="Arial", bold=True, size=14), alignment=_CENTER_ACROSS)
        self._subtitle = proto(font=Font(name="Arial", bold=True, size=12), alignment=_CENTER_ACROSS)
        self._letterhead = proto(font=Font(name="Arial", bold=True, size=11), alignment=_CENTER_ACROSS)
        self._plain = proto(font=_BODY)

    def _cell(self, style, value=None):
        cell = Cell(self.ws, 1, 1, style_array=style)
        if value is not None:
            cell.value = value
        return cell

    def _string(self, plain, quoted, value):
        text = clean_text(value)
        # The quoted look is built once above; put_text would make a new style per cell.
        return put_text(Cell(self.ws, 1, 1, style_array=quoted if looks_like_formula(text) else plain), text)

    def text(self, value):
        if not value:
            return Cell(self.ws, 1, 1, style_array=self._text)
        return self._string(self._text, self._quoted, str(value))

    def code(self, value):
        """NIP, phone: text that looks like a number, kept as text (never 1.98E+17)."""
        if not value:
            return Cell(self.ws, 1, 1, style_array=self._code)
        return self._string(self._code, self._code_quoted, str(value))

    def number(self, value):
        return self._cell(self._number, value)

    def time(self, value):
        return self._cell(self._time, value)

    def presence(self, checked_in_at, recorded_late_at=None):
        """The time of a check-in, or "susulan" with when it was really recorded (the day had ended)."""
        if recorded_late_at is not None:
            return self.text(f"susulan {recorded_late_at:%d/%m/%Y %H.%M}")
        return self.time(checked_in_at)

    def signature(self, number):
        # The familiar zig-zag of a daftar hadir: odd numbers on the left, even ones further right.
        return self._cell(self._sign_left if number % 2 else self._sign_right, f"{number}.")

    def heading(self, value):
        return put_text(Cell(self.ws, 1, 1, style_array=self._heading), value)  # a question's text, at times

    def total_label(self, value):
        return self._cell(self._total_label, value)

    def total(self, formula):
        return self._cell(self._total, formula)

    def _line(self, look, value=""):
        cell = Cell(self.ws, 1, 1, style_array=look)
        return put_text(cell, value) if value else cell

    def header_block(self, lines, width, letterhead=()):
        """The title lines above the table, the first two centred across its width, then a blank row;
        above them the tenant's `letterhead` lines (kop surat), if any, centred too."""
        for line in letterhead:
            look = self._letterhead
            self.ws.append([self._line(look, line), *(self._line(look) for _ in range(width - 1))])
        for index, look in enumerate((self._title, self._subtitle, self._plain, self._plain)):
            line = lines[index] if index < len(lines) else ""
            across = look is not self._plain
            self.ws.append([self._line(look, line)] + [self._line(look) for _ in range(width - 1 if across else 0)])
        self.ws.append([])


def _place_cells(cells, row_index):
    """Put ready-made cells in their row.

    Replaces WriteOnlyWorksheet._values_to_row (openpyxl 3.1, pinned), which first
    tries each Cell as a value and catches the ValueError: a third of the styling's
    cost. Every row here is a list of Cell objects, so that detour is not needed.
    """
    for column_index, cell in enumerate(cells, start=1):
        cell.row = row_index
        cell.column = column_index
        yield cell


def _prepare(ws, widths, landscape, row_height, header_row=HEADER_ROW):
    """Column widths, row height, frozen header and print set-up: all before the first row is written.

    Returns the sheet's PrintLayout (app/exports/pages.py), for keeping a signature block with its list."""
    ws._values_to_row = _place_cells
    # One height for every row, set once: room for a signature and two lines of a long OPD name.
    # (A height per row would keep a RowDimension per row in memory.)
    ws.sheet_format.defaultRowHeight = row_height
    ws.sheet_format.customHeight = True
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.right.text = "&A"
    return print_layout(widths, landscape, row_height, header_row)


def _sign(ws, layout, signature, width, list_rows):
    """The signature block under the `list_rows` rows below the column titles, on one page with the last of them."""
    keep_block_with_list(ws, layout, list_rows, block_height(signature))
    append_signature_block(ws, signature, width, layout.header_row + list_rows + 1)


def _finish(ws, width, last_row, header_row=HEADER_ROW):
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{max(last_row, header_row)}"


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
    layout = _prepare(ws, widths, landscape=True, row_height=30, header_row=header_row)
    cells = _Styles(ws)
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
    _finish(ws, len(columns), header_row + number, header_row)
    if data.signature is not None:
        _sign(ws, layout, data.signature, len(columns), number)


def _write_rekap(wb, data):
    ws = wb.create_sheet("Rekap per OPD")
    day_titles = [f"Hadir Hari {day.number} ({format_date(day.date, 'd MMM', locale='id')})" for day in data.days]
    titles = ["No", "OPD", "Kuota", "Terdaftar", *day_titles, "Hadir Semua Hari"]
    header_row = HEADER_ROW + len(data.letterhead)
    layout = _prepare(ws, (5, 48, 9, 11, *(13 for _ in data.days), 13), landscape=False, row_height=24,
                      header_row=header_row)
    cells = _Styles(ws)
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
    _finish(ws, len(titles), last, header_row)
    if data.signature is not None:
        _sign(ws, layout, data.signature, len(titles), number + 1)  # the Jumlah row too


PARTICIPANT_COLUMNS = ("No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "OPD", "No. HP", "E-mail", "Status")


def _write_participants(wb, data):
    ws = wb.create_sheet("Peserta")
    titles = [*PARTICIPANT_COLUMNS, *(f"Hadir Hari {day.number} ({data.tz_label})" for day in data.days)]
    _prepare(ws, (5, 30, 21, 26, 20, 40, 17, 30, 10, *(11 for _ in data.days)), landscape=True, row_height=30)
    cells = _Styles(ws)
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
    _finish(ws, len(titles), HEADER_ROW + number)


def write_transport_sheet(wb, data):
    from app.exports.transport import write_transport_sheet as write  # it uses this module's helpers

    write(wb, data)


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
