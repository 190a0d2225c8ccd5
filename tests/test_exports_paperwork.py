"""The SPJ-ready workbook: the committee's signature block, the phone switch and the transport list,
set on the event's "Daftar hadir & SPJ" page and read back from the downloaded workbook with openpyxl."""
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from app.checkin.services import check_in
from app.exports.sheets import (
    AttendanceData,
    AttendeeRow,
    DaySheet,
    RekapRow,
    SignatureBlock,
    TransportRow,
    TransportSheet,
)
from app.exports.workbook import build_attendance_workbook
from app.extensions import db
from app.models import STATUS_CANCELLED, EventPaperwork
from app.xlsx.pages import print_layout, rows_per_page

SETTINGS = "/admin/acara/bimtek-uji/spj"
DOWNLOAD = "/admin/acara/bimtek-uji/daftar-hadir.xlsx"
SIGNED = {
    "signature_place_date": "Serang, 14 Juni 2022", "signature_role": "Ketua Panitia",
    "signature_name": "Drs. H. Ahmad Fauzi, M.Si.", "signature_nip": "1970 0101 1995 03 1 001",
}


def attended_event(make):
    """Budi present both days, Siti day 1, Andi never, Batal present day 1 then cancelled."""
    event = make.event(quota=5)
    first, second, _ = make.event_organization_list(event)
    budi = make.registration(event, first, full_name="Budi Santoso", nip="198001012005011001",
                             rank="Penata (III/c)", phone="+6281234567890")
    siti = make.registration(event, second, full_name="Siti Aminah", nip=None, rank=None)
    make.registration(event, second, full_name="Andi Absen")
    gone = make.registration(event, first, full_name="Batal Ikut")
    day1, day2 = event.days
    check_in(budi, day1, method="scanner", now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    check_in(budi, day2, method="scanner", now=datetime(2022, 6, 14, 1, 0, tzinfo=UTC))
    check_in(siti, day1, method="scanner", now=datetime(2022, 6, 13, 2, 0, tzinfo=UTC))
    check_in(gone, day1, method="scanner", now=datetime(2022, 6, 13, 2, 0, tzinfo=UTC))
    gone.status = STATUS_CANCELLED
    db.session.commit()
    return event


def download(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def values(sheet):
    return [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]


def block_after_table(sheet, last_table_row):
    """The non-empty lines written below the table, as text."""
    return [" ".join(str(cell) for cell in row) for row in values(sheet)[last_table_row:] if row]


def test_settings_page_saves_and_refuses_a_bad_nip(client, admin, make):
    make.event()
    page = client.get(SETTINGS)
    assert page.status_code == 200 and "Daftar hadir & SPJ" in page.get_data(as_text=True)
    bad = client.post(SETTINGS, data={**SIGNED, "signature_nip": "123", "transport_rate": "-5"})
    assert bad.status_code == 422
    assert db.session.execute(db.select(EventPaperwork)).first() is None
    saved = client.post(SETTINGS, data={**SIGNED, "phone_on_daftar_hadir": "y", "transport_rate": "150000"})
    assert saved.status_code == 303
    paperwork = db.session.execute(db.select(EventPaperwork)).scalar_one()
    assert (paperwork.signature_role, paperwork.signature_nip, paperwork.phone_on_daftar_hadir,
            paperwork.transport_rate) == ("Ketua Panitia", "197001011995031001", True, 150000)
    again = client.post(SETTINGS, data={**SIGNED, "transport_rate": ""})  # switch off, rate cleared
    assert again.status_code == 303
    db.session.refresh(paperwork)
    assert paperwork.phone_on_daftar_hadir is False and paperwork.transport_rate is None
    assert 'value="Drs. H. Ahmad Fauzi, M.Si."' in client.get(SETTINGS).get_data(as_text=True)


def test_operators_cannot_reach_the_settings(client, auth, make):
    make.event()
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    # Outside one's scope an event's pages do not exist (app/tenants/access.py).
    assert client.get(SETTINGS).status_code == 404
    assert client.post(SETTINGS, data=SIGNED).status_code == 404


def test_signature_block_under_each_daftar_hadir_and_the_rekap(client, admin, make):
    attended_event(make)
    assert client.post(SETTINGS, data=SIGNED).status_code == 303
    workbook = download(client)
    expected = ["Serang, 14 Juni 2022", "Mengetahui,", "Ketua Panitia", "Drs. H. Ahmad Fauzi, M.Si.",
                "NIP. 197001011995031001"]
    for title in ("Daftar Hadir Hari 1", "Daftar Hadir Hari 2"):
        sheet = workbook[title]
        assert block_after_table(sheet, 6 + 3) == expected  # three active participants under the heading
        name_cell = next(cell for row in sheet.iter_rows(min_row=10) for cell in row
                         if cell.value == "Drs. H. Ahmad Fauzi, M.Si.")
        assert name_cell.font.b and name_cell.font.u == "single"
        # Room to sign between the role and the name; the block is after the filter's rows.
        role_row = next(cell.row for row in sheet.iter_rows(min_row=10) for cell in row
                        if cell.value == "Ketua Panitia")
        assert name_cell.row - role_row == 4
        assert sheet.auto_filter.ref == "A6:G9"
    rekap = workbook["Rekap per OPD"]
    assert block_after_table(rekap, 6 + 3 + 1) == expected  # three OPDs and the Jumlah row
    assert block_after_table(workbook["Peserta"], 6 + 4) == []  # the list of participants is not signed


def test_no_signature_block_until_one_is_set(client, admin, make):
    attended_event(make)
    workbook = download(client)
    assert block_after_table(workbook["Daftar Hadir Hari 1"], 9) == []
    assert "Penerimaan Uang Transport" not in workbook.sheetnames


def test_phone_column_is_left_out_unless_switched_on(client, admin, make):
    attended_event(make)
    day1 = download(client)["Daftar Hadir Hari 1"]
    everything = [cell for row in values(day1) for cell in row]
    assert "No. HP" not in everything and "+6281234567890" not in everything
    assert not any(str(cell).startswith("peserta") for cell in everything)  # no e-mail either
    peserta = download(client)["Peserta"]
    assert {"No. HP", "E-mail"} <= {cell.value for cell in peserta[6]}
    assert client.post(SETTINGS, data={"phone_on_daftar_hadir": "y"}).status_code == 303
    day1 = download(client)["Daftar Hadir Hari 1"]
    assert [cell.value for cell in day1[6]] == [
        "No", "Nama", "NIP", "Jabatan", "OPD", "No. HP", "Waktu Hadir (WIB)", "Tanda Tangan"]
    assert day1["F7"].value == "+6281234567890" and day1["F7"].data_type == "s"


def test_transport_sheet_from_attendance_with_formulas(client, admin, make):
    attended_event(make)
    assert client.post(SETTINGS, data={**SIGNED, "transport_rate": "150000"}).status_code == 303
    workbook = download(client)
    assert workbook.sheetnames[-1] == "Penerimaan Uang Transport"
    sheet = workbook["Penerimaan Uang Transport"]
    assert sheet["A1"].value == "DAFTAR PENERIMAAN UANG TRANSPORT"
    assert [cell.value for cell in sheet[6]] == [
        "No", "Nama", "NIP", "Pangkat/Gol", "OPD", "Hari Hadir", "Tarif (Rp)", "Jumlah (Rp)", "Tanda Tangan"]
    rows = [row for row in sheet.iter_rows(min_row=7, max_row=8, values_only=True)]
    # Only those present (Andi never came; Batal Ikut was cancelled), by OPD then name.
    assert rows == [
        (1, "Budi Santoso", "198001012005011001", "Penata (III/c)", "Dinas Contoh 1", 2, 150000, "=F7*G7", "1."),
        (2, "Siti Aminah", None, None, "Dinas Contoh 2", 1, 150000, "=F8*G8", "2."),
    ]
    total = [cell.value for cell in sheet[9]]
    assert total[1] == "Jumlah" and total[5] == "=SUM(F7:F8)" and total[7] == "=SUM(H7:H8)"
    assert sheet["C7"].data_type == "s" and sheet["C7"].number_format == "@"
    assert "Rp" in sheet["H7"].number_format
    # What the formulas come to: 3 days × 150,000.
    amounts = [row[5] * row[6] for row in rows]
    assert sum(amounts) == 450_000
    assert block_after_table(sheet, 9)[-1] == "NIP. 197001011995031001"


def test_export_command_uses_the_same_settings(runner, make, tmp_path):
    event = attended_event(make)
    db.session.add(EventPaperwork(event_id=event.id, signature_role="Pejabat Pembuat Komitmen",
                                  signature_name="Rina", transport_rate=100000))
    db.session.commit()
    target = tmp_path / "spj.xlsx"
    result = runner.invoke(args=["export-attendance", event.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target)
    assert workbook["Penerimaan Uang Transport"]["G7"].value == 100000
    assert "Pejabat Pembuat Komitmen" in block_after_table(workbook["Rekap per OPD"], 10)


# Printing: the signature block on one page with the list's last rows ---------------------------

def synthetic_workbook(length, show_phone=False):
    """The workbook of a one-day event with `length` people on every list, built without a database."""
    names = [f"Peserta {number}" for number in range(1, length + 1)]
    data = AttendanceData(
        title="Bimtek Uji Cetak", organizer="Diskominfo", venue="Hotel Uji", tz_label="WIB",
        days=[DaySheet(1, date(2022, 6, 13),
                       [AttendeeRow(name, None, "Staf", "Dinas Contoh", "+628123", None) for name in names])],
        rekap=[RekapRow(f"OPD {name}", 5, 1, (1,), 1) for name in names],
        participants=[],
        signature=SignatureBlock("Serang, 14 Juni 2022", "Ketua Panitia", "Drs. Ahmad", "197001011995031001"),
        show_phone=show_phone,
        transport=TransportSheet(150000, [TransportRow(name, None, None, "Dinas Contoh", 1) for name in names]),
    )
    stream = io.BytesIO()
    build_attendance_workbook(data, stream)
    stream.seek(0)
    return load_workbook(stream)


def printed_pages(sheet):
    """The sheet's rows, page by page, laid out as a printer would by the documented estimate
    (app/xlsx/pages.py): a page ends at a manual break or when the next row does not fit, and
    every page after the first starts with the repeated column titles."""
    widths = [sheet.column_dimensions[get_column_letter(column)].width for column in range(1, sheet.max_column + 1)]
    default = sheet.sheet_format.defaultRowHeight
    layout = print_layout(widths, sheet.page_setup.orientation == "landscape", default, header_row=6)
    breaks = {brk.id for brk in sheet.row_breaks.brk}
    pages, page, used = [], [], 0.0
    for row in range(1, sheet.max_row + 1):
        height = sheet.row_dimensions[row].height or default
        if page and used + height > layout.page_height:
            pages.append(page)
            page, used = [], default
        page.append(row)
        used += height
        if row in breaks:
            pages.append(page)
            page, used = [], default
    return [*pages, page] if page else pages


def test_print_setup_of_the_signed_sheets():
    workbook = synthetic_workbook(5)
    for title, orientation in (("Daftar Hadir Hari 1", "landscape"), ("Rekap per OPD", "portrait"),
                               ("Penerimaan Uang Transport", "landscape")):
        sheet = workbook[title]
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, orientation)  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$6:$6"  # the column titles on every page
        assert (sheet.page_margins.left, sheet.page_margins.top) == (0.4, 0.6)
    # The estimate the breaks come from, pinned: A4 landscape at 91 %, 30 pt rows.
    day = workbook["Daftar Hadir Hari 1"]
    widths = [day.column_dimensions[letter].width for letter in "ABCDEFG"]
    assert rows_per_page(print_layout(widths, True, 30, 6)) == (12, 17)


@pytest.mark.parametrize("length", [1, 10, 12, 13, 29, 38, 39, 40, 80])
@pytest.mark.parametrize("show_phone", [False, True])
def test_signature_block_prints_on_the_page_of_the_last_rows(length, show_phone):
    workbook = synthetic_workbook(length, show_phone)
    for title in ("Daftar Hadir Hari 1", "Rekap per OPD", "Penerimaan Uang Transport"):
        sheet = workbook[title]
        names = [cell.row for cell in sheet["B"] if isinstance(cell.value, str) and cell.value.startswith(
            ("Peserta ", "OPD Peserta "))]
        assert len(names) == length
        block = [cell.row for row in sheet.iter_rows(min_row=names[-1] + 1) for cell in row
                 if cell.value in ("Serang, 14 Juni 2022", "NIP. 197001011995031001")]
        assert len(block) == 2, title
        page = next(page for page in printed_pages(sheet) if block[0] in page)
        assert block[-1] in page and names[-1] in page, (title, length, sheet.row_breaks.brk)
        assert len(sheet.row_breaks.brk) <= 1
    if length == 1:  # room enough: no break at all
        assert not workbook["Daftar Hadir Hari 1"].row_breaks.brk


def test_letterhead_above_the_daftar_hadir_and_the_rekap(client, admin, make):
    event = attended_event(make)
    event.tenant.letterhead = "PEMERINTAH KOTA UJI\n\n=DINAS KOMINFO"  # a blank line is dropped
    db.session.commit()
    assert client.post(SETTINGS, data=SIGNED).status_code == 303
    workbook = download(client)
    for title, heading in (("Daftar Hadir Hari 1", "DAFTAR HADIR"),
                           ("Rekap per OPD", "REKAPITULASI KEHADIRAN PER OPD")):
        sheet = workbook[title]
        assert [sheet.cell(row, 1).value for row in range(1, 4)] == ["PEMERINTAH KOTA UJI", "=DINAS KOMINFO", heading]
        assert sheet["A2"].data_type == "s" and sheet["A1"].font.b
        assert sheet.cell(8, 1).value == "No" and sheet.print_title_rows == "$8:$8" and sheet.freeze_panes == "A9"
    rekap = workbook["Rekap per OPD"]
    assert rekap["C12"].value == "=SUM(C9:C11)"  # three OPDs under the titles, then the Jumlah row
    assert block_after_table(rekap, 8 + 3 + 1)[:2] == ["Serang, 14 Juni 2022", "Mengetahui,"]
    assert workbook["Daftar Hadir Hari 1"].auto_filter.ref == "A8:G11"
    assert workbook["Peserta"]["A1"].value == "DAFTAR PESERTA"  # the other sheets keep their header


def test_no_letterhead_no_extra_lines(client, admin, make):
    attended_event(make)
    assert download(client)["Daftar Hadir Hari 1"]["A1"].value == "DAFTAR HADIR"
