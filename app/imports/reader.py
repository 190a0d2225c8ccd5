"""Reading participant rows from an .xlsx file, and the template to fill in."""
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from app.imports.headers import REQUIRED_FIELDS, SPELLINGS, HeaderNotFound, find_header, is_column_numbering
from app.imports.xlsx_safety import UnsafeWorkbook, check_workbook
from app.values import PARTICIPANT_FIELDS
from app.xlsx.cells import put_text

COLUMNS = PARTICIPANT_FIELDS  # full_name, nip, position, rank, organization, phone, email
REQUIRED_COLUMNS = REQUIRED_FIELDS  # a row needs a name and an OPD
# The template's headings, in Indonesian; any heading of app/imports/headers.py is read too.
TEMPLATE_HEADINGS = {
    "full_name": "Nama Lengkap (dengan gelar)", "nip": "NIP", "position": "Jabatan", "rank": "Pangkat/Gol",
    "organization": "OPD", "phone": "No. HP (WhatsApp)", "email": "E-mail",
}
EXAMPLE_ROW = {
    "full_name": "Contoh: Budi Santoso, S.Kom.", "nip": "198001012005011001", "position": "Analis Sistem Informasi",
    "rank": "Penata (III/c)", "organization": "", "phone": "081234567890", "email": "contoh.budi@example.go.id",
}
TEMPLATE_ROWS = 500  # rows prepared with the OPD dropdown and text NIP/phone cells
MAX_ROWS = 5000


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported: a code, and the detail that goes with it."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class SheetRow:
    number: int  # the row number in Excel (or the line in a .csv), as the committee sees it
    values: dict  # column key -> text as typed ("" when empty)
    nip_was_number: bool = False


class SheetRows(list):
    """The SheetRows of a file, and the headings of the columns the import ignored."""

    def __init__(self, rows=(), ignored_columns=()):
        super().__init__(rows)
        self.ignored_columns = list(ignored_columns)


def header_of(rows):
    """(row number, ColumnMap) of the header row among the first rows of `rows` (lists of cell texts),
    consuming `rows` up to it (app/imports/headers.py). Raises UnreadableFile: "empty" when those rows
    are blank, else "missing_columns" naming the columns needed and those seen in the closest row."""
    try:
        return find_header(rows)
    except HeaderNotFound as not_found:
        if not_found.best is None:
            raise UnreadableFile("empty") from None
        number, columns = not_found.best
        raise UnreadableFile("missing_columns", {"row": number, "missing": columns.missing,
                                                 "seen": columns.seen}) from None


def is_template_example(values):
    """The template's example row, left in the file: never imported."""
    return all(values.get(key, "") == EXAMPLE_ROW[key] for key in ("full_name", "nip", "email"))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def read_participant_rows(stream):
    """The participant rows of the first sheet of an .xlsx file; raises UnreadableFile."""
    try:
        check_workbook(stream)  # bombs, DTDs and entities, before openpyxl expands anything
    except UnsafeWorkbook as problem:
        raise UnreadableFile(problem.code, problem.detail) from None
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise UnreadableFile("not_xlsx") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_number, columns = header_of([_text(cell) for cell in cells] for cells in rows)
        positions = columns.positions
        result = SheetRows(ignored_columns=columns.ignored)
        for number, cells in enumerate(rows, start=header_number + 1):
            values = {
                column: _text(cells[index]) if index < len(cells) else "" for column, index in positions.items()
            }
            if not any(values.values()) or is_template_example(values):
                continue  # a blank line between blocks of names, or the template's example
            if number == header_number + 1 and is_column_numbering([_text(cell) for cell in cells]):
                continue  # "1 2 3 4 …" under the header
            if len(result) >= MAX_ROWS:
                raise UnreadableFile("too_many_rows", str(MAX_ROWS))
            nip_cell = cells[positions["nip"]] if "nip" in positions and positions["nip"] < len(cells) else None
            # An 18-digit NIP typed into a Number cell has already lost its last digits.
            result.append(SheetRow(number, values, nip_was_number=isinstance(nip_cell, float)
                                   or (isinstance(nip_cell, int) and not isinstance(nip_cell, bool)
                                       and nip_cell >= 10**15)))
        if not result:
            raise UnreadableFile("empty")
        return result
    finally:
        workbook.close()


SPELLING_LABELS = {
    "full_name": "Nama lengkap (wajib)", "nip": "NIP", "position": "Jabatan", "rank": "Pangkat/golongan",
    "organization": "OPD (wajib)", "phone": "Nomor HP / WhatsApp", "email": "E-mail",
    "role": "Peran (kosong: peserta; narasumber, moderator, panitia)", "number": "Nomor urut (diabaikan)",
}


def _write_spellings(sheet):
    """The headings the import reads (app/imports/headers.py SPELLINGS), for the committee to read."""
    sheet.append(["Isian",
                  "Judul kolom yang dikenali (huruf besar/kecil, titik, garis miring dan spasi tidak dihitung)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for key, spellings in SPELLINGS.items():
        sheet.append([put_text(WriteOnlyCell(sheet), SPELLING_LABELS[key]),
                      put_text(WriteOnlyCell(sheet), ", ".join(spellings))])
    sheet.append([])
    sheet.append([put_text(WriteOnlyCell(sheet), "Baris judul (mis. DAFTAR PESERTA …) dan baris kosong di atas "
                                                 "baris judul kolom dilewati. Baris tanpa e-mail atau nomor HP "
                                                 "diterima; tiketnya dibagikan panitia.")])
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 120


def write_template(stream, organizations):
    """An .xlsx to fill in: Indonesian headings, one example row, NIP and phone as text, and an OPD
    dropdown fed by a hidden sheet of the event's OPDs (`organizations`: (short name, name) pairs)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append([TEMPLATE_HEADINGS[column] for column in COLUMNS])
    example = dict(EXAMPLE_ROW, organization=organizations[0][1] if organizations else "")
    sheet.append([put_text(WriteOnlyCell(sheet), example[column]) for column in COLUMNS])
    widths = {"A": 34, "B": 22, "C": 30, "D": 24, "E": 40, "F": 20, "G": 32}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for letter in ("B", "F"):  # nip, phone: text, so Excel keeps every digit and the leading zero
        sheet.column_dimensions[letter].number_format = "@"
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="595959")
    sheet.freeze_panes = "A2"
    opds = workbook.create_sheet("Daftar OPD")
    opds.append(["Singkatan", "Nama OPD"])
    for short_name, name in organizations:  # the tenant's own names: text, whatever they start with
        opds.append([put_text(WriteOnlyCell(opds), short_name), put_text(WriteOnlyCell(opds), name)])
    opds.column_dimensions["A"].width = 26
    opds.column_dimensions["B"].width = 60
    opds.sheet_state = "hidden"
    _write_spellings(workbook.create_sheet("Judul kolom"))
    if organizations:
        choice = DataValidation(
            type="list", formula1=f"'Daftar OPD'!$B$2:$B${len(organizations) + 1}", allow_blank=True,
            showErrorMessage=True, errorTitle="OPD", error="Pilih OPD dari daftar.",
        )
        sheet.add_data_validation(choice)
        choice.add(f"E2:E{TEMPLATE_ROWS + 1}")
    workbook.save(stream)
