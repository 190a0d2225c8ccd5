"""Lists as OPDs send them: headings by meaning, .csv in two encodings and two delimiters, the template
round trip, and every problem (quotas included) in the first pass, through the route and the CLI."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.imports.headers import match_columns, normalize_heading
from app.models import Registration

IMPORT = "/admin/acara/bimtek-uji/impor"

PEOPLE = [
    ("Dr. Budi Santoso, M.Si.", "198001012005011001", "Kepala Bidang", "Pembina (IV/a)", "OPD1",
     "0812 3456 0001", "budi@serangkota.go.id"),
    ("Siti Aminah, S.Kom.", "", "Pranata Komputer", "", "Dinas Contoh 2", "+62 812-3456-0002",
     "siti@serangkota.go.id"),
]


def xlsx_with(headings, rows=PEOPLE):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def csv_with(headings, rows=PEOPLE, delimiter=",", encoding="utf-8"):
    lines = [delimiter.join(headings)] + [delimiter.join(f'"{value}"' for value in row) for row in rows]
    return io.BytesIO(("\r\n".join(lines) + "\r\n").encode(encoding))


def stored():
    return db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().all()


OPD_HEADINGS = ("Nama Lengkap", "NIP", "Jabatan", "Pangkat/Gol", "OPD", "No. HP", "E-mail")


@pytest.mark.parametrize("headings", [
    OPD_HEADINGS,
    ("NAMA (DENGAN GELAR)", "nip", "JABATAN", "Golongan", "Instansi", "WhatsApp", "Email"),
    ("Nama", "N.I.P.", "jabatan ", "Pangkat", "Unit Kerja", "No. WA", "Surel"),
    ("full_name", "nip", "position", "rank", "organization", "phone", "email"),
    ("Nama", "NIP", "Jabatan", "Pangkat / Golongan", "Perangkat Daerah", "HP", "E-Mail"),
])
def test_headings_are_matched_by_meaning(client, admin, make, headings):
    make.event(quota=5)
    response = client.post(IMPORT, data={"file": (xlsx_with(headings), "daftar opd.xlsx")})
    assert response.status_code == 303, response.get_data(as_text=True)
    budi, siti = stored()
    assert (budi.full_name, budi.nip, budi.rank, budi.phone) == (
        "Dr. Budi Santoso, M.Si.", "198001012005011001", "Pembina (IV/a)", "+6281234560001")
    assert siti.organization.short_name == "OPD2" and siti.nip is None and siti.phone == "+6281234560002"


def test_unknown_columns_are_listed_and_ignored(client, admin, make):
    make.event(quota=5)
    headings = ("No", *OPD_HEADINGS, "Keterangan")
    rows = [(number, *row, "hadir 2 hari") for number, row in enumerate(PEOPLE, start=1)]
    response = client.post(IMPORT, data={"file": (xlsx_with(headings, rows), "daftar.xlsx")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 peserta diimpor." in page
    assert "Kolom yang diabaikan: Keterangan." in page  # "No" numbers the rows: read, not worth a word
    assert len(stored()) == 2


def test_a_missing_required_column_is_one_clear_message(client, admin, make):
    make.event(quota=5)
    headings = ("Nama Lengkap", "NIP", "Pangkat/Gol", "Bidang", "Alamat", "E-mail")
    rows = [(row[0], row[1], row[3], row[4], "Jl. Veteran", row[6]) for row in PEOPLE]
    response = client.post(IMPORT, data={"file": (xlsx_with(headings, rows), "daftar.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Kolom wajib tidak ditemukan: OPD. Kolom yang terbaca (baris 1): &#34;Nama Lengkap&#34;, &#34;NIP&#34;, "
            "&#34;Pangkat/Gol&#34;, &#34;Bidang&#34;, &#34;Alamat&#34;, &#34;E-mail&#34;.") in page
    assert page.count('class="error"') == 1
    assert stored() == []


def test_heading_normalization():
    assert normalize_heading("  No. HP ") == normalize_heading("no_hp") == "no hp"
    columns = match_columns(["Nama", "Nama Lengkap", "OPD"])
    assert columns.positions == {"full_name": 0, "organization": 2}
    assert columns.ignored == ["Nama Lengkap"]  # a second name column is not silently merged
    assert columns.missing == []  # a name and an OPD are all a row needs


@pytest.mark.parametrize(("delimiter", "encoding"), [
    (",", "utf-8"), (";", "utf-8"), (";", "cp1252"), (",", "cp1252"), (";", "utf-8-sig"), ("\t", "utf-8"),
])
def test_csv_in_either_encoding_and_delimiter(client, admin, make, delimiter, encoding):
    make.event(quota=5)
    rows = [("Désirée Pangaribuan, S.E.", *PEOPLE[0][1:]), PEOPLE[1]]
    stream = csv_with(OPD_HEADINGS, rows, delimiter=delimiter, encoding=encoding)
    response = client.post(IMPORT, data={"file": (stream, "daftar.csv")})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert [r.full_name for r in stored()] == ["Désirée Pangaribuan, S.E.", "Siti Aminah, S.Kom."]


def test_csv_problems_name_the_line_and_a_nip_excel_already_rounded(client, admin, make):
    make.event(quota=5)
    rows = [PEOPLE[0][:1] + ("1,98001E+17",) + PEOPLE[0][2:], PEOPLE[1][:6] + ("bukan-email",)]
    response = client.post(IMPORT, data={"file": (csv_with(OPD_HEADINGS, rows, delimiter=";"), "daftar.csv")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<td class="num">2</td><td>NIP</td>' in page and "digit terakhirnya hilang" in page
    assert '<td class="num">3</td><td>E-mail</td>' in page
    unreadable = client.post(IMPORT, data={"file": (io.BytesIO(b"nama\x00\xff\xfe"), "daftar.csv")})
    assert unreadable.status_code == 422 and "Berkas tidak dapat dibaca" in unreadable.get_data(as_text=True)


def test_template_round_trip(client, admin, make):
    make.event(quota=5)
    template = client.get(f"{IMPORT}/templat.xlsx")
    workbook = load_workbook(io.BytesIO(template.data))
    sheet = workbook["Peserta"]
    assert [cell.value for cell in sheet[1]] == [
        "Nama Lengkap (dengan gelar)", "NIP", "Jabatan", "Pangkat/Gol", "OPD", "No. HP (WhatsApp)", "E-mail"]
    assert sheet["A2"].value.startswith("Contoh:") and sheet["E2"].value == "Dinas Contoh 1"
    assert sheet["B3"].number_format == "@" and sheet["F3"].number_format == "@"
    opds = workbook["Daftar OPD"]
    assert opds.sheet_state == "hidden"
    assert [row[1] for row in opds.iter_rows(min_row=2, values_only=True)] == [
        "Dinas Contoh 1", "Dinas Contoh 2", "Dinas Contoh 3"]
    (dropdown,) = sheet.data_validations.dataValidation
    assert dropdown.type == "list" and dropdown.formula1 == "'Daftar OPD'!$B$2:$B$4"
    assert "E3" in dropdown.sqref
    # The committee fills two rows under the example, which stays where it is.
    for row_number, row in enumerate(PEOPLE, start=3):
        for column, value in enumerate(row, start=1):
            sheet.cell(row_number, column, value)
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    response = client.post(IMPORT, data={"file": (filled, "templat-terisi.xlsx")})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert [r.full_name for r in stored()] == ["Dr. Budi Santoso, M.Si.", "Siti Aminah, S.Kom."]


def test_every_problem_in_the_first_pass_quota_included(client, admin, make):
    event = make.event(quota=3)
    make.registration(event)  # OPD1 has 1 of its 3 places taken
    rows = [(f"Peserta {n}", "", "Staf", "", "OPD1", f"0812 3456 10{n:02d}", f"p{n}@serangkota.go.id")
            for n in range(1, 6)]
    rows[0] = rows[0][:6] + ("bukan-email",)
    response = client.post(IMPORT, data={"file": (xlsx_with(OPD_HEADINGS, rows), "daftar.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 masalah" in page
    assert '<td class="num">2</td><td>E-mail</td>' in page
    assert ("OPD OPD1: kuota 3, sudah terdaftar 1, file ini menambah 5 (lebih 3). Kurangi barisnya, atau "
            "naikkan kuota di halaman OPD &amp; kuota.") in page
    assert "Hubungi panitia" not in page
    assert len(stored()) == 1


def test_capacity_in_the_first_pass(client, admin, make):
    event = make.event(quota=None, capacity=2)
    assert event.capacity == 2
    response = client.post(IMPORT, data={"file": (xlsx_with(OPD_HEADINGS), "daftar.xlsx")})
    assert response.status_code == 303
    again = client.post(IMPORT, data={"file": (xlsx_with(OPD_HEADINGS, [
        ("Andi", "", "Staf", "", "OPD3", "081234560009", "andi@serangkota.go.id")]), "daftar.xlsx")})
    assert "Kapasitas acara 2, sudah terdaftar 2, file ini menambah 1 (lebih 1)." in again.get_data(as_text=True)


def test_organizations_by_alias(make):
    from app.events.services import add_organizations_to_event, upsert_organizations
    from app.imports.reader import SheetRow
    from app.imports.services import import_participants

    event = make.event(quota=5)
    (satpol,) = upsert_organizations([{"short_name": "Satpol PP", "name": "Satuan Polisi Pamong Praja Kota Uji",
                                       "kind": "satuan"}], event.tenant)
    add_organizations_to_event(event, [satpol])
    db.session.commit()
    rows = [SheetRow(n, dict(zip(("full_name", "position", "organization", "phone", "email"),
                                 (f"Orang {n}", "Staf", written, f"0812345600{n:02d}", f"o{n}@x.go.id"), strict=True)))
            for n, written in enumerate(["SATPOLPP", "satpol-pp", "Satuan Polisi Pamong Praja", "dinas contoh 1."],
                                        start=2)]
    assert import_participants(event, rows) == 4


def test_cli_reads_csv_and_lists_ignored_columns(runner, make, tmp_path):
    event = make.event(quota=5)
    path = tmp_path / "daftar.csv"
    path.write_bytes(csv_with(("No", *OPD_HEADINGS), [(n, *row) for n, row in enumerate(PEOPLE, 1)],
                              delimiter=";", encoding="cp1252").getvalue())
    result = runner.invoke(args=["import-participants", event.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "ignored columns" not in result.output and "Imported 2 participants" in result.output
    missing = tmp_path / "kurang.csv"
    missing.write_text("Nama;NIP\nBudi;\n", encoding="utf-8")
    refused = runner.invoke(args=["import-participants", event.slug, str(missing)])
    assert refused.exit_code == 1 and "Kolom wajib tidak ditemukan" in refused.output


def seed_opd_event(make):
    """An event with the OPDs of Kota Serang (app/seed_data), as `flask seed-demo` has them."""
    from app.demo.seed import SEED_DATA
    from app.events.services import add_organizations_to_event, read_organizations_csv, upsert_organizations

    event = make.event(opds=0, quota=5)
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), make.tenant())
    add_organizations_to_event(event, organizations)
    db.session.commit()
    return event


def person(n, opd):
    return (f"Peserta {n}", "", "Analis", "", opd, f"0812 3456 {n:04d}", f"peserta{n}@serangkota.go.id")


def test_opds_are_found_by_their_nicknames_and_with_the_region_as_the_form_finds_them(client, admin, make):
    seed_opd_event(make)
    typed = ["Kominfo", "Dinas Kominfo", "Dukcapil", "Satpol", "Dinas Kesehatan Kota Serang", "Bappeda Kota Serang",
             "Kec. Serang"]
    rows = [person(n, opd) for n, opd in enumerate(typed, start=1)]
    response = client.post(IMPORT, data={"file": (csv_with(OPD_HEADINGS, rows), "daftar.csv")})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert [r.organization.short_name for r in stored()] == [
        "Diskominfo", "Diskominfo", "Disdukcapil", "Satpol PP", "Dinkes", "Bappeda", "Kec. Serang"]


def test_a_name_that_fits_several_opds_is_a_problem_naming_them_never_a_guess(client, admin, make):
    seed_opd_event(make)
    rows = [person(1, "Kominfo"), person(2, "Kecamatan"), person(3, "Dinas Rahasia")]
    response = client.post(IMPORT, data={"file": (csv_with(OPD_HEADINGS, rows), "daftar.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and stored() == []
    assert ('OPD "Kecamatan" bisa berarti beberapa OPD: Kec. Cipocok Jaya, Kec. Curug, Kec. Kasemen, Kec. Serang, '
            "Kec. Taktakan, Kec. Walantaka.") in page.replace("&#34;", '"').replace("&quot;", '"')
    assert "Dinas Rahasia" in page and "tidak ikut acara ini" in page


def test_an_opd_named_after_a_town_is_not_cut_down_to_its_kind():
    # "Kecamatan Kota Baru" is not "kecamatan" with a region after it: a row that says only
    # "Kecamatan" must stay ambiguous, never filed under Kota Baru.
    from types import SimpleNamespace

    from app.events.opd_search import OpdMatcher

    matcher = OpdMatcher([SimpleNamespace(id=1, short_name="Kec. Kota Baru", name="Kecamatan Kota Baru"),
                          SimpleNamespace(id=2, short_name="Kec. Kasemen", name="Kecamatan Kasemen"),
                          SimpleNamespace(id=3, short_name="Dinkes", name="Dinas Kesehatan")])
    found = {typed: [o.id for o in matcher.candidates(typed)]
             for typed in ("Kecamatan", "Kecamatan Kota Baru", "kec kota baru", "Dinas Kesehatan Kota Serang")}
    assert found == {"Kecamatan": [1, 2], "Kecamatan Kota Baru": [1], "kec kota baru": [1],
                     "Dinas Kesehatan Kota Serang": [3]}
