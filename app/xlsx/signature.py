"""The "Mengetahui" signature block under a printed sheet of the attendance workbook.

Written after the sheet's last row, so it is printed on the sheet's last page: the place
and date line, "Mengetahui,", the signer's role, room to sign, the name (underlined) and NIP.
"""
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font

from app.xlsx.cells import put_text

_PLAIN = Font(name="Arial", size=10)
_NAME = Font(name="Arial", size=10, bold=True, underline="single")
_LEFT = Alignment(horizontal="left", vertical="bottom")
LINE_HEIGHT = 15
SIGNING_ROOM = 3  # blank lines to sign in


def _text_cell(ws, value, font):
    cell = Cell(ws, 1, 1)
    cell.font = font
    cell.alignment = _LEFT
    return put_text(cell, value)  # the committee's text is never a formula, whatever it starts with


def signature_lines(signature):
    """(text, bold-underlined?) per line of the block; "" for the room to sign."""
    lines = [(signature.place_date, False), ("Mengetahui,", False), (signature.role, False)]
    lines += [("", False)] * SIGNING_ROOM
    lines.append((signature.name, True))
    if signature.nip:
        lines.append((f"NIP. {signature.nip}", False))
    return lines


def block_height(signature):
    """The printed height of the block in points, the blank line above it included."""
    return LINE_HEIGHT * (1 + len(signature_lines(signature)))


def append_signature_block(ws, signature, width, next_row):
    """Append the block of `signature` (a SignatureBlock) to the write-only sheet `ws`, whose next row
    is `next_row`, in its last columns of `width`. Returns the row after the block."""
    column = max(width - 2, 1)  # under the last columns, as a signer's block sits on paper
    ws.row_dimensions[next_row].height = LINE_HEIGHT
    ws.append([])  # one line between the table and the block
    row = next_row + 1
    for text, emphasised in signature_lines(signature):
        ws.row_dimensions[row].height = LINE_HEIGHT
        cells = [Cell(ws, 1, 1) for _ in range(column - 1)]
        if text:
            cells.append(_text_cell(ws, text, _NAME if emphasised else _PLAIN))
        ws.append(cells)
        row += 1
    return row
