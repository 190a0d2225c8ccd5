"""Lists shaped as OPDs really send them: a title line (merged across the columns) and a blank line above
the header, a "No" column, a row of column numbers, "Unit Kerja/OPD" and "No HP/WA" headings, phones as
"0812-3456-7890", NIPs with spaces, and no e-mail at all. A row needs a name and an OPD."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.imports.headers import SPELLINGS, match_columns
from app.messages.services import queue_ticket_to_unsent
from app.models import CHANNEL_EMAIL, OutboxMessage, Registration

IMPORT = "/admin/acara/bimtek-uji/impor"
HEADINGS = ("No", "Nama", "NIP", "Jabatan", "Pangkat/Golongan", "Unit Kerja/OPD", "No HP/WA")
PEOPLE = [
    (1, "Drs. Ahmad Fauzi, M.Si.", "19800101 200501 1 001", "Kepala Bidang", "Pembina (IV/a)", "Dinas Contoh 1",
     "0812-3456-7890"),
    (2, "Rina Marlina, S.E.", "19850202 201001 2 002", "Analis Keuangan", "Penata (III/c)", "Dinas Contoh 1",
     ""),
    (3, "Hendra", "", "", "", "OPD2", ""),  # a name and an OPD: all a row needs
]


def opd_list(headings=HEADINGS, rows=PEOPLE, column_numbers=True):
    """An .xlsx as an OPD sends it: two title lines merged across the columns, a blank line, the header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR PESERTA BIMTEK PENYUSUNAN MASTERPLAN SMART CITY"])
    sheet.append(["DINAS CONTOH KOTA UJI TAHUN 2022"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headings))
    sheet.append([])
    sheet.append(list(headings))
    if column_numbers:
        sheet.append(list(range(1, len(headings) + 1)))
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def stored():
    return db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().all()


def test_an_opd_list_with_title_lines_and_no_email_goes_in_at_once(client, admin, make):
    make.event(quota=5)
    response = client.post(IMPORT, data={"file": (opd_list(), "daftar-peserta.xlsx")}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "3 peserta diimpor." in page
    assert "Kolom yang diabaikan" not in page
    people = stored()
    assert [(p.full_name, p.nip, p.phone, p.email, p.organization.short_name) for p in people] == [
        ("Drs. Ahmad Fauzi, M.Si.", "198001012005011001", "+6281234567890", None, "OPD1"),
        ("Rina Marlina, S.E.", "198502022010012002", None, None, "OPD1"),
        ("Hendra", None, None, None, "OPD2"),
    ]
    assert people[2].position == "" and people[0].rank == "Pembina (IV/a)"
    # Several people without e-mail (or NIP) in one event: NULLs do not collide in the unique keys.
    assert "None" not in client.get("/admin/acara/bimtek-uji/peserta").get_data(as_text=True)


def test_a_bad_row_is_named_by_its_row_in_excel(client, admin, make):
    make.event(quota=5)
    rows = [PEOPLE[0], (2, "", "", "", "", "Dinas Contoh 1", "0812-0000"), PEOPLE[2]]
    response = client.post(IMPORT, data={"file": (opd_list(rows=rows), "daftar.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Title lines 1-2, blank 3, header 4, column numbers 5: the second person is row 7.
    assert '<td class="num">7</td><td>Nama lengkap</td>' in page
    assert '<td class="num">7</td><td>Nomor HP</td>' in page
    assert stored() == []


def test_a_csv_with_a_title_line_and_semicolons(client, admin, make):
    make.event(quota=5)
    lines = ["DAFTAR PESERTA BIMTEK;;;;;;", ";;;;;;", ";".join(HEADINGS)]
    lines += [";".join(str(value) for value in row) for row in PEOPLE]
    stream = io.BytesIO(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    response = client.post(IMPORT, data={"file": (stream, "daftar.csv")})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert [p.phone for p in stored()] == ["+6281234567890", None, None]


def test_a_refusal_names_the_columns_it_saw_and_those_it_needs(client, admin, make):
    make.event(quota=5)
    headings = ("No", "Nama Pegawai", "NIP", "Jabatan", "Bidang", "Keterangan")
    rows = [(1, "Budi", "", "Staf", "Umum", "")]
    response = client.post(IMPORT, data={"file": (opd_list(headings, rows), "daftar.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("Kolom wajib tidak ditemukan: OPD. Kolom yang terbaca (baris 4): &#34;No&#34;, &#34;Nama Pegawai&#34;, "
            "&#34;NIP&#34;, &#34;Jabatan&#34;, &#34;Bidang&#34;, &#34;Keterangan&#34;.") in page
    assert "Judul kolom" in page


@pytest.mark.parametrize(("heading", "field"), [
    ("Unit Kerja", "organization"), ("Unit Kerja/OPD", "organization"), ("Instansi", "organization"),
    ("Perangkat Daerah", "organization"), ("SKPD", "organization"), ("No HP/WA", "phone"),
    ("No. WhatsApp", "phone"), ("Nomor HP", "phone"), ("Gol.", "rank"), ("Pangkat/Golongan", "rank"),
    ("NAMA LENGKAP (DENGAN GELAR)", "full_name"), ("e-mail", "email"),
])
def test_the_spellings_in_use_are_matched(heading, field):
    assert match_columns(["No", heading]).positions == {field: 1}


def test_the_template_lists_every_spelling_for_the_committee(client, admin, make):
    make.event()
    workbook = load_workbook(io.BytesIO(client.get("/admin/acara/bimtek-uji/impor/templat.xlsx").data))
    listed = {row[0]: row[1] for row in workbook["Judul kolom"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert "Unit Kerja/OPD" in listed["OPD (wajib)"] and "No HP/WA" in listed["Nomor HP / WhatsApp"]
    assert sum(len(spellings) for spellings in SPELLINGS.values()) == sum(
        len(text.split(", ")) for key, text in listed.items() if not key.startswith("Baris"))


def test_e_mail_tickets_skip_people_without_e_mail(client, admin, make):
    event = make.event(quota=5)
    assert client.post(IMPORT, data={"file": (opd_list(), "daftar.xlsx")}).status_code == 303
    with_address = make.registration(event)
    assert queue_ticket_to_unsent(event, CHANNEL_EMAIL).written == 1  # only the one with an address
    db.session.commit()
    assert db.session.execute(db.select(OutboxMessage.recipient)).scalars().all() == [with_address.email]


def test_the_committee_corrects_an_imported_person_without_e_mail(client, admin, make):
    make.event(quota=5)
    assert client.post(IMPORT, data={"file": (opd_list(), "daftar.xlsx")}).status_code == 303
    hendra = stored()[2]
    data = {"full_name": "Hendra Gunawan", "nip": "", "position": "", "rank": "", "phone": "", "email": "",
            "organization": hendra.organization_id}
    assert client.post(f"/admin/acara/bimtek-uji/peserta/{hendra.id}", data=data).status_code == 303
    db.session.expire_all()
    assert (stored()[2].full_name, stored()[2].email) == ("Hendra Gunawan", None)
    # Registering oneself still takes a phone and an e-mail.
    page = client.post("/e/bimtek-uji/daftar", data={**data, "consent": "y"}).get_data(as_text=True)
    assert page.count("Wajib diisi") >= 3


def test_a_peran_column_imports_narasumber_and_panitia_outside_the_quota(client, admin, make):
    """Issue 24: the committee imports its speakers and panitia with the list; they take no seat of the OPD."""
    make.event(quota=1)
    headings = (*HEADINGS, "Peran")
    rows = [(*PEOPLE[0], ""), (*PEOPLE[1], "Narasumber"), (4, "Siti Panitia", "", "", "", "Dinas Contoh 1", "",
                                                          "panitia")]
    response = client.post(IMPORT, data={"file": (opd_list(headings, rows), "daftar.xlsx")}, follow_redirects=True)
    assert "3 peserta diimpor." in response.get_data(as_text=True)
    assert [(p.full_name, p.role) for p in stored()] == [
        ("Drs. Ahmad Fauzi, M.Si.", "peserta"), ("Rina Marlina, S.E.", "narasumber"), ("Siti Panitia", "panitia")]

    more = [(5, "Dedi", "", "", "", "Dinas Contoh 1", "", "peserta"), (6, "Eko", "", "", "", "OPD2", "", "raja")]
    refused = client.post(IMPORT, data={"file": (opd_list(headings, more), "lagi.xlsx")})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Peran &#34;raja&#34; tidak dikenal" in page or 'Peran "raja" tidak dikenal' in page
    assert "kuota" in page.lower()  # OPD1's one seat is Ahmad's: Dedi does not fit
    assert len(stored()) == 3
