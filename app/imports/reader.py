"""Reading participant rows from an .xlsx file, and the template to fill in."""
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from app.imports.xlsx_safety import UnsafeWorkbook, check_workbook
from app.registration.rules import PARTICIPANT_FIELDS

COLUMNS = PARTICIPANT_FIELDS  # full_name, nip, position, rank, organization, phone, email
REQUIRED_COLUMNS = ("full_name", "position", "organization", "phone", "email")
MAX_ROWS = 5000


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported: a code, and the detail that goes with it."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass
class SheetRow:
    number: int  # the row number in Excel, the header being row 1
    values: dict  # column key -> text as typed ("" when empty)
    nip_was_number: bool = False


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
        header = next(rows, None)
        if header is None:
            raise UnreadableFile("empty")
        keys = [_text(cell).lower() for cell in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in keys]
        if missing:
            raise UnreadableFile("missing_columns", ", ".join(missing))
        positions = {column: keys.index(column) for column in COLUMNS if column in keys}
        result: list[SheetRow] = []
        for number, cells in enumerate(rows, start=2):
            values = {
                column: _text(cells[index]) if index < len(cells) else "" for column, index in positions.items()
            }
            if not any(values.values()):
                continue  # a blank line between blocks of names
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


def write_template(stream, organizations):
    """An .xlsx with the import's columns, NIP and phone as text, and the event's OPDs on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Peserta"
    sheet.append(list(COLUMNS))
    widths = {"A": 34, "B": 22, "C": 30, "D": 24, "E": 16, "F": 18, "G": 32}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    for letter in ("B", "F"):  # nip, phone: text, so Excel keeps every digit and the leading zero
        sheet.column_dimensions[letter].number_format = "@"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    sheet.freeze_panes = "A2"
    opds = workbook.create_sheet("Daftar OPD")
    opds.append(["organization (singkatan)", "nama OPD"])
    for short_name, name in organizations:
        opds.append([short_name, name])
    opds.column_dimensions["A"].width = 26
    opds.column_dimensions["B"].width = 60
    workbook.save(stream)
