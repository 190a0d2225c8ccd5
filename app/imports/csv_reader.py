"""Reading participant rows from a .csv file, as Excel and LibreOffice save one.

Excel in an Indonesian locale saves "CSV" with semicolons and, unless told "CSV UTF-8",
in Windows-1252; both are read. Every value is text, so a NIP keeps its digits, unless
Excel had already turned it into "1,98E+17" before saving: that is reported as such.
"""
import csv
import io
import re

from app.imports.reader import MAX_ROWS, SheetRow, SheetRows, UnreadableFile, columns_of, is_template_example

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


def _delimiter(first_line):
    """The delimiter the header line uses most: ';' from an Indonesian Excel, ',' elsewhere."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_csv_rows(stream):
    """The participant rows of a .csv file (UTF-8 or Windows-1252, ';' or ','); raises UnreadableFile."""
    text = _decode(stream.read())
    if not text.strip():
        raise UnreadableFile("empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.lstrip().split("\n", 1)[0]))
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise UnreadableFile("empty")
        columns = columns_of([cell.strip() for cell in header])
        result = SheetRows(ignored_columns=columns.ignored)
        for cells in reader:
            number = reader.line_num
            values = {
                key: cells[index].strip() if index < len(cells) else "" for key, index in columns.positions.items()
            }
            if not any(values.values()) or is_template_example(values):
                continue
            if len(result) >= MAX_ROWS:
                raise UnreadableFile("too_many_rows", str(MAX_ROWS))
            result.append(SheetRow(number, values, nip_was_number=bool(_SCIENTIFIC.fullmatch(values.get("nip", "")))))
    except csv.Error:
        raise UnreadableFile("not_readable") from None
    if not result:
        raise UnreadableFile("empty")
    return result
