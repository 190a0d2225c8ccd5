"""The one way a text reaches a cell of any workbook Hadir writes: as text, never as a formula.

openpyxl reads a str that starts with "=" as a formula, and an office suite reads = + - @ (and a
tab or carriage return before them) as the start of one when the cell is edited. A text from a
person (a name, an OPD, an answer, a letterhead) is therefore written as an inline string, with the
quotePrefix style when it starts like a formula, as if it had been typed with a leading apostrophe.
"""
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value):
    """`value` as a str an .xlsx can hold (control characters dropped)."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def looks_like_formula(text):
    return text.startswith(FORMULA_LEADS)


def put_text(cell, value):
    """Write `value` into `cell` as text and return the cell. Set directly: through cell.value a str
    that starts with "=" would become a formula."""
    text = clean_text(value)
    cell._value = text
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def text_cell(sheet, value):
    """A cell of a write-only `sheet` holding `value` as text (put_text)."""
    return put_text(WriteOnlyCell(sheet), value)
