"""The attendance workbook, read back with openpyxl and as raw XML."""
import io
import re
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from app.checkin.services import check_in
from app.exports.data import attendance_data
from app.exports.workbook import build_attendance_workbook
from app.extensions import db
from app.models import STATUS_CANCELLED, Attendance, Registration

UTC = UTC
NASTY_NAME = '=HYPERLINK("http://x","y")'


def build(event):
    stream = io.BytesIO()
    build_attendance_workbook(attendance_data(event), stream)
    stream.seek(0)
    return stream


def sheet_xml(stream, index):
    with zipfile.ZipFile(stream) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()


def data_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=7, values_only=True)]


def attendance_event(make):
    """Three OPDs; four people; checked in at known moments on both days."""
    event = make.event(quota=5)
    first, second, _third = make.event_organization_list(event)
    budi = make.registration(event, first, full_name="Budi Santoso", nip="198001012005011001",
                             phone="+6281234567890")
    siti = make.registration(event, first, full_name="Siti Aminah", nip=None)
    andi = make.registration(event, second, full_name="Andi")
    gone = make.registration(event, second, full_name="Batal Ikut")
    day1, day2 = event.days
    check_in(budi, day1, method="scanner", now=datetime(2022, 6, 13, 0, 58, 1, tzinfo=UTC))  # 07:58 WIB
    check_in(budi, day2, method="scanner", now=datetime(2022, 6, 14, 1, 5, tzinfo=UTC))  # 08:05 WIB
    check_in(siti, day1, method="manual", now=datetime(2022, 6, 13, 2, 30, tzinfo=UTC))
    check_in(andi, day2, method="camera", now=datetime(2022, 6, 14, 3, 0, tzinfo=UTC))
    gone.status = STATUS_CANCELLED
    db.session.commit()
    return event


def test_sheets_header_block_and_columns(make):
    event = attendance_event(make)
    workbook = load_workbook(build(event))
    assert workbook.sheetnames == ["Daftar Hadir Hari 1", "Daftar Hadir Hari 2", "Rekap per OPD", "Peserta"]
    day1 = workbook["Daftar Hadir Hari 1"]
    assert [day1.cell(row, 1).value for row in range(1, 5)] == [
        "DAFTAR HADIR", "Bimtek Uji Coba", "Hari/Tanggal: Senin, 13 Juni 2022", "Tempat: Hotel Uji, Serang",
    ]
    assert workbook["Daftar Hadir Hari 2"]["A3"].value == "Hari/Tanggal: Selasa, 14 Juni 2022"
    assert [cell.value for cell in day1[6]] == [
        "No", "Nama", "NIP", "Jabatan", "OPD", "Waktu Hadir (WIB)", "Tanda Tangan",
    ]  # no phone numbers on a sheet passed round the room (the committee can switch them on)
    # Every active registration signs; the cancelled one is not on the list.
    assert [row[1] for row in data_rows(day1)] == ["Budi Santoso", "Siti Aminah", "Andi"]
    assert [row[0] for row in data_rows(day1)] == [1, 2, 3]
    # Frozen header, filter over the table, the header row repeated on every printed page, A4.
    assert day1.freeze_panes == "A7"
    assert day1.auto_filter.ref == "A6:G9"
    assert day1.print_title_rows == "$6:$6"
    assert day1.page_setup.paperSize == 9 and day1.page_setup.orientation == "landscape"
    assert day1.column_dimensions["B"].width >= 30


def test_nip_and_phone_are_text_and_times_are_wib_on_their_own_day(make):
    event = attendance_event(make)
    workbook = load_workbook(build(event))
    day1, day2 = workbook["Daftar Hadir Hari 1"], workbook["Daftar Hadir Hari 2"]
    budi = day1[7]
    assert budi[2].value == "198001012005011001" and budi[2].data_type == "s" and budi[2].number_format == "@"
    peserta_budi = next(row for row in workbook["Peserta"].iter_rows(min_row=7) if row[1].value == "Budi Santoso")
    assert peserta_budi[6].value == "+6281234567890" and peserta_budi[6].data_type == "s"
    assert budi[5].value == datetime(2022, 6, 13, 7, 58, 1)
    assert budi[5].number_format == "hh:mm"
    assert day1[8][5].value == datetime(2022, 6, 13, 9, 30)  # Siti
    assert day1[9][5].value is None  # Andi came on day 2 only
    assert day2[7][5].value == datetime(2022, 6, 14, 8, 5)
    assert day2[8][5].value is None
    assert day2[9][5].value == datetime(2022, 6, 14, 10, 0)
    assert day1[8][2].value is None  # no NIP: an empty cell, not "None"


def test_rekap_matches_the_database_and_totals_are_formulas(make):
    event = attendance_event(make)
    workbook = load_workbook(build(event))
    rekap = workbook["Rekap per OPD"]
    assert [cell.value for cell in rekap[6]] == [
        "No", "OPD", "Kuota", "Terdaftar", "Hadir Hari 1 (13 Jun)", "Hadir Hari 2 (14 Jun)", "Hadir Semua Hari",
    ]
    rows = data_rows(rekap)
    assert rows[:3] == [
        (1, "Dinas Contoh 1", 5, 2, 2, 1, 1),
        (2, "Dinas Contoh 2", 5, 1, 0, 1, 0),
        (3, "Dinas Contoh 3", 5, 0, 0, 0, 0),
    ]
    total = rows[3]
    assert total[1] == "Jumlah"
    assert total[2:] == ("=SUM(C7:C9)", "=SUM(D7:D9)", "=SUM(E7:E9)", "=SUM(F7:F9)", "=SUM(G7:G9)")
    # What the formulas add up to is what the database holds.
    sums = [sum(row[column] for row in rows[:3]) for column in range(3, 6)]
    per_day = [
        db.session.execute(db.select(db.func.count()).select_from(Attendance).filter_by(event_day_id=day.id)).scalar()
        for day in event.days
    ]
    registered = db.session.execute(
        db.select(db.func.count()).select_from(Registration).filter_by(status="registered")).scalar()
    assert sums == [registered, *per_day] == [3, 2, 2]


def test_peserta_lists_everyone_with_a_column_per_day(make):
    event = attendance_event(make)
    peserta = load_workbook(build(event))["Peserta"]
    assert [cell.value for cell in peserta[6]][-3:] == ["Status", "Hadir Hari 1 (WIB)", "Hadir Hari 2 (WIB)"]
    rows = {row[1]: row for row in data_rows(peserta)}
    assert set(rows) == {"Budi Santoso", "Siti Aminah", "Andi", "Batal Ikut"}
    assert rows["Batal Ikut"][8] == "Batal"
    assert rows["Budi Santoso"][9:] == (datetime(2022, 6, 13, 7, 58, 1), datetime(2022, 6, 14, 8, 5))
    assert rows["Andi"][9:] == (None, datetime(2022, 6, 14, 10, 0))


def test_text_that_looks_like_a_formula_stays_text(make):
    event = make.event()
    make.registration(event, full_name=NASTY_NAME, position="-Kepala Seksi", rank="@rank")
    stream = build(event)
    workbook = load_workbook(stream)
    row = workbook["Daftar Hadir Hari 1"][7]
    assert row[1].value == NASTY_NAME and row[1].data_type == "s"
    assert row[3].value == "-Kepala Seksi" and row[3].data_type == "s"
    phone = workbook["Peserta"][7][6]
    assert phone.value.startswith("+62") and phone.data_type == "s"
    assert row[1].quotePrefix and row[3].quotePrefix and phone.quotePrefix
    for index in (1, 2, 4):  # the day sheets and Peserta: not a single formula
        xml = sheet_xml(stream, index)
        assert "<f>" not in xml and "<f " not in xml
        assert "HYPERLINK" in xml
    # The Rekap totals are the only formulas in the workbook.
    assert len(re.findall(r"<f>", sheet_xml(stream, 3))) == 5


def test_an_event_without_registrations_still_gives_a_workbook(make):
    event = make.event()
    workbook = load_workbook(build(event))
    assert data_rows(workbook["Daftar Hadir Hari 1"]) == []
    rekap_rows = data_rows(workbook["Rekap per OPD"])
    assert rekap_rows[-1][1] == "Jumlah"


def test_export_attendance_command_writes_the_workbook(runner, make, tmp_path):
    event = attendance_event(make)
    target = tmp_path / "hadir.xlsx"
    result = runner.invoke(args=["export-attendance", event.slug, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert load_workbook(target)["Daftar Hadir Hari 1"]["B7"].value == "Budi Santoso"
    missing = runner.invoke(args=["export-attendance", "tidak-ada", "-o", str(target)])
    assert missing.exit_code != 0 and "no event" in missing.output
