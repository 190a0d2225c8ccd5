"""The "Daftar Penerimaan Uang Transport" sheet: who was present how many days, the rate, the amount.

Built from attendance alone (app/exports/data.py reads it): a person is listed when present at
least one day. Each amount is a formula (days × rate) and the totals are SUM formulas, so the
figures stay right if the treasurer corrects a day by hand.
"""
from app.xlsx.sheet import HEADER_ROW, Styles, finish_sheet, long_date_id, prepare_sheet, sign_sheet

TITLE = "Penerimaan Uang Transport"  # a sheet name has at most 31 characters
COLUMNS = ("No", "Nama", "NIP", "Pangkat/Gol", "OPD", "Hari Hadir", "Tarif (Rp)", "Jumlah (Rp)", "Tanda Tangan")
WIDTHS = (5, 32, 21, 22, 40, 10, 13, 15, 22)
RUPIAH = '"Rp" #,##0'


def write_transport_sheet(wb, data):
    """Add the sheet to the write-only workbook `wb` for `data.transport` (a TransportSheet).

    It uses the workbook's own cell factory and sheet set-up, so it looks and prints like the others.
    """
    header_row = HEADER_ROW
    transport = data.transport
    ws = wb.create_sheet(TITLE)
    layout = prepare_sheet(ws, WIDTHS, landscape=True, row_height=30)
    cells = Styles(ws)
    dates = " dan ".join(long_date_id(day.date) for day in data.days)
    cells.header_block(
        ["DAFTAR PENERIMAAN UANG TRANSPORT", data.title, f"Hari/Tanggal: {dates}", f"Tempat: {data.venue}"],
        len(COLUMNS),
    )
    ws.append([cells.heading(title) for title in COLUMNS])
    first = header_row + 1
    number = 0
    for number, row in enumerate(transport.rows, start=1):
        line = header_row + number
        amount = cells.number(f"=F{line}*G{line}")
        amount.number_format = RUPIAH
        rate = cells.number(transport.rate)
        rate.number_format = RUPIAH
        ws.append([
            cells.number(number),
            cells.text(row.full_name),
            cells.code(row.nip),
            cells.text(row.rank),
            cells.text(row.organization),
            cells.number(row.days_present),
            rate,
            amount,
            cells.signature(number),
        ])
    last = header_row + number
    total = cells.total(f"=SUM(H{first}:H{last})" if number else 0)
    total.number_format = RUPIAH
    ws.append([
        cells.total_label(""), cells.total_label("Jumlah"), *(cells.total_label("") for _ in range(3)),
        cells.total(f"=SUM(F{first}:F{last})" if number else 0), cells.total_label(""), total,
        cells.total_label(""),
    ])
    finish_sheet(ws, len(COLUMNS), last)
    if data.signature is not None:
        sign_sheet(ws, layout, data.signature, len(COLUMNS), number + 1)  # the Jumlah row too
