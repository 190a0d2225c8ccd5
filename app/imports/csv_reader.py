"""Reading participant rows from a .csv file, as Excel and LibreOffice save one.

Excel in an Indonesian locale saves "CSV" with semicolons and, unless told "CSV UTF-8",
in Windows-1252; both are read. Every value is text, so a NIP keeps its digits, unless
Excel had already turned it into "1,98E+17" before saving: that is reported as such.
"""
import csv
import io
import re

from app.imports.headers import HEADER_SEARCH_ROWS, is_column_numbering
from app.imports.reader import MAX_ROWS, SheetRow, SheetRows, UnreadableFile, header_of, is_template_example

DELIMITERS = (";", ",", "\t")
_SCIENTIFIC = re.compile(r"\d+([.,]\d+)?e\+?\d+", re.IGNORECASE)


def _decode(data):
    if b"\x00" in data:
        raise UnreadableFile("not_readable")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile("not_readable") from None


def _delimiter(first_lines):
    """The delimiter the first lines (title lines, the header) use most: ';' from an Indonesian Excel,
    ',' elsewhere."""
    counts = {delimiter: first_lines.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv_rows(stream):
    """The participant rows of a .csv file (UTF-8 or Windows-1252, ';' or ','); raises UnreadableFile."""
    text = _decode(stream.read())
    if not text.strip():
        raise UnreadableFile("empty")
    first_lines = "\n".join(text.lstrip().split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_lines))
    try:
        _header_number, columns = header_of([cell.strip() for cell in cells] for cells in reader)
        header_line = reader.line_num
        result = SheetRows(ignored_columns=columns.ignored)
        for cells in reader:
            number = reader.line_num
            values = {
                key: cells[index].strip() if index < len(cells) else "" for key, index in columns.positions.items()
            }
            if not any(values.values()) or is_template_example(values):
                continue
            if number == header_line + 1 and is_column_numbering(cells):
                continue  # "1 2 3 4 …" under the header
            if len(result) >= MAX_ROWS:
                raise UnreadableFile("too_many_rows", str(MAX_ROWS))
            result.append(SheetRow(number, values, nip_was_number=bool(_SCIENTIFIC.fullmatch(values.get("nip", "")))))
    except csv.Error:
        raise UnreadableFile("not_readable") from None
    if not result:
        raise UnreadableFile("empty")
    return result
