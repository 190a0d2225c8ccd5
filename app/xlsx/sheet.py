"""How every sheet Hadir prints looks: the cell factories (Styles), the page set-up (prepare_sheet),
the signature block kept with its list (sign_sheet) and the filter over the table (finish_sheet).

The attendance workbook (app/exports/), and the certificate, JP ledger and evaluation sheets that join it
or stand alone, all use these, so that their sheets look and print alike.
"""
from babel.dates import format_date
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.xlsx.cells import clean_text, looks_like_formula, put_text
from app.xlsx.pages import keep_block_with_list, print_layout
from app.xlsx.signature import append_signature_block, block_height

HEADER_ROW = 6  # rows 1-4: the header block, row 5: blank, row 6: column titles (lower by the letterhead's lines)

_thin = Side(style="thin", color="000000")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_BODY = Font(name="Arial", size=10)
_WRAP = Alignment(vertical="center", wrap_text=True)
_CENTER_ACROSS = Alignment(horizontal="centerContinuous", vertical="center")


def long_date_id(day):
    """'Senin, 13 Juni 2022': the committee's documents are in Indonesian whatever the screen language."""
    return format_date(day, "EEEE, d MMMM y", locale="id")


class Styles:
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


def prepare_sheet(ws, widths, landscape, row_height, header_row=HEADER_ROW):
    """Column widths, row height, frozen header and print set-up: all before the first row is written.

    Returns the sheet's PrintLayout (app/xlsx/pages.py), for keeping a signature block with its list."""
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


def sign_sheet(ws, layout, signature, width, list_rows):
    """The signature block under the `list_rows` rows below the column titles, on one page with the last of them."""
    keep_block_with_list(ws, layout, list_rows, block_height(signature))
    append_signature_block(ws, signature, width, layout.header_row + list_rows + 1)


def finish_sheet(ws, width, last_row, header_row=HEADER_ROW):
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{max(last_row, header_row)}"
