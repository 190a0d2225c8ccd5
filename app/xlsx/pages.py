"""Where a printed sheet's pages end, estimated, so that the signature block is never alone on a page.

openpyxl has no "keep together": the printer's driver puts the automatic page breaks. So the sheet's
pages are estimated from the page set-up that app.xlsx.sheet.prepare_sheet writes, and when the block
would not fit under the list's last row, a manual break puts the last few rows on a new page with it.

The estimate assumes:
- A4, 210 × 297 mm (595.3 × 841.9 pt), margins 0.4 in left and right, 0.6 in top and bottom (the
  header and footer live inside those margins and take no room from the rows);
- a column of width w prints 7·w px = 5.25·w pt wide: the width unit is the digit of the workbook's
  default font (Calibri 11, 7 px at 96 dpi), padding included;
- "fit to 1 page wide" scales by a whole percent, rounded down (as Excel does), never above 100 %;
  the height is left automatic (fitToHeight 0), so Excel keeps our manual row breaks;
- each row prints at its height times that scale; page one holds the header block and the column
  titles, every later page repeats the column titles (print_title_rows).
A printer whose unprintable edge is wider than the margins may fit a row fewer per page; the
KEEP_WITH_BLOCK rows moved along with the block leave room for that on the block's page.
"""
import math
from typing import NamedTuple

from openpyxl.worksheet.pagebreak import Break

A4_PT = (595.3, 841.9)  # width, height in portrait
SIDE_MARGIN_IN = 0.4
END_MARGIN_IN = 0.6  # top and bottom
POINTS_PER_WIDTH_UNIT = 5.25
KEEP_WITH_BLOCK = 3  # list rows printed on the block's page when it needs a page of its own


class PrintLayout(NamedTuple):
    """The page of one sheet in the sheet's own points (its row heights), after fit-to-width scaling."""

    page_height: float
    row_height: float  # of every row but the signature block's
    header_row: int  # the column titles; the rows above it are printed on page one only


def print_layout(widths, landscape, row_height, header_row):
    paper_width, paper_height = reversed(A4_PT) if landscape else A4_PT
    printable_width = paper_width - 2 * SIDE_MARGIN_IN * 72
    printable_height = paper_height - 2 * END_MARGIN_IN * 72
    sheet_width = sum(widths) * POINTS_PER_WIDTH_UNIT
    percent = min(100, math.floor(100 * printable_width / sheet_width))
    return PrintLayout(printable_height * 100 / percent, row_height, header_row)


def rows_per_page(layout):
    """(list rows on page one, list rows on each later page) of `layout`."""
    first = int((layout.page_height - layout.header_row * layout.row_height) // layout.row_height)
    later = int((layout.page_height - layout.row_height) // layout.row_height)
    return first, later


def keep_block_with_list(ws, layout, list_rows, block_height):
    """Break the page of `ws` before its last KEEP_WITH_BLOCK list rows when the block (`block_height`
    points, its blank line above included) would not fit under the last of its `list_rows` rows.

    Returns the row the new page starts at, or None. The sheet may be write-only: breaks are written last.
    """
    if list_rows == 0:
        return None
    first, later = rows_per_page(layout)
    if list_rows <= first:
        on_last_page, above = list_rows, layout.header_row
    else:
        on_last_page, above = (list_rows - first - 1) % later + 1, 1
    room = layout.page_height - (above + on_last_page) * layout.row_height
    if block_height <= room:
        return None
    starts = layout.header_row + max(list_rows - KEEP_WITH_BLOCK, 0) + 1
    ws.row_breaks.append(Break(id=starts - 1))  # a break's id is the last row of the page before it
    return starts
