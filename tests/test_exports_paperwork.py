"""The SPJ-ready workbook: the committee's signature block, the phone switch and the transport list,
set on the event's "Daftar hadir & SPJ" page and read back from the downloaded workbook with openpyxl."""
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from app.checkin.services import check_in
from app.extensions import db
from app.models import STATUS_CANCELLED, EventPaperwork, User

SETTINGS = "/admin/acara/bimtek-uji/spj"
DOWNLOAD = "/admin/acara/bimtek-uji/daftar-hadir.xlsx"
SIGNED = {
    "signature_place_date": "Serang, 14 Juni 2022", "signature_role": "Ketua Panitia",
    "signature_name": "Drs. H. Ahmad Fauzi, M.Si.", "signature_nip": "1970 0101 1995 03 1 001",
}


@pytest.fixture
def admin(make, auth):
    make.user()
    auth.login("admin@example.go.id")
    return db.session.execute(db.select(User)).scalar_one()


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
