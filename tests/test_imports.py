"""Importing participants from .xlsx: all rows or none, and every bad row reported."""
import io

from openpyxl import load_workbook

from app.extensions import db
from app.imports.reader import read_participant_rows
from app.imports.services import ImportRefused, import_participants
from app.models import Registration
from tests.imports_support import people, xlsx


def stored():
    return db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one()


def refusal(event, stream):
    try:
        import_participants(event, read_participant_rows(stream))
    except ImportRefused as error:
        return [(p.row, p.field, p.code) for p in error.problems]
    raise AssertionError("the import was accepted")


def test_a_clean_file_of_fifty_is_stored_in_full(make):
    event = make.event(quota=50)
    assert import_participants(event, read_participant_rows(xlsx(people(50)))) == 50
    db.session.commit()
    assert stored() == 50
    first = db.session.execute(db.select(Registration).order_by(Registration.id)).scalars().first()
    assert first.phone == "+6281234000001" and first.nip == "198001012005011001" and first.source == "import"


def test_one_bad_row_among_fifty_stores_nothing_and_names_that_row(make):
    event = make.event(quota=50)
    rows = people(50)
    rows[29]["nip"] = "12345"  # Excel row 31: the header is row 1
    assert refusal(event, xlsx(rows)) == [(31, "nip", "nip_invalid")]
    db.session.commit()
    assert stored() == 0


def test_every_bad_row_is_reported(make):
    event = make.event(quota=50)
    rows = people(5)
    rows[0]["email"] = "bukan-email"
    rows[1]["phone"] = "12"
    rows[2]["organization"] = "OPD Tak Dikenal"
    rows[3]["full_name"] = ""
    assert refusal(event, xlsx(rows)) == [
        (2, "email", "email_invalid"), (3, "phone", "phone_invalid"),
        (4, "organization", "organization_unknown"), (5, "full_name", "required"),
    ]
    assert stored() == 0


def test_duplicates_within_the_file_and_against_the_event(make):
    event = make.event(quota=50)
    make.registration(event, email="sudah@serangkota.go.id", nip="199001012015011001")
    rows = people(4)
    rows[1]["nip"] = rows[0]["nip"]  # row 3 repeats row 2's NIP
    rows[2]["email"] = "SUDAH@serangkota.go.id"  # row 4: already registered
    rows[3]["nip"] = "1990 0101 2015 01 1 001"  # row 5: already registered, typed with spaces
    assert refusal(event, xlsx(rows)) == [
        (3, "nip", "duplicate_in_file"), (4, "email", "duplicate_email"), (5, "nip", "duplicate_nip"),
    ]
    assert stored() == 1


def test_rows_beyond_the_quota_are_reported(make):
    event = make.event(quota=3)
    make.registration(event)
    # OPD1 has 3 places and 1 taken: rows 2 and 3 fit, rows 4 and 5 do not; one problem for the OPD, at row 4.
    assert refusal(event, xlsx(people(4))) == [(4, "organization", "quota_exceeded")]
    assert stored() == 1


def test_nip_stored_as_a_number_and_organization_by_full_name(make):
    event = make.event()
    rows = people(2, organization="dinas contoh 2")
    rows[0]["nip"] = 198001012005011001  # an Excel Number cell: too big to keep every digit as a float
    rows[1]["nip"] = None
    assert refusal(event, xlsx(rows)) == [(2, "nip", "nip_as_number")]
    rows[0]["nip"] = "198001012005011001"
    assert import_participants(event, read_participant_rows(xlsx(rows))) == 2


def test_import_participants_command(runner, make, tmp_path):
    event = make.event(quota=10)
    good = tmp_path / "baik.xlsx"
    good.write_bytes(xlsx(people(3)).getvalue())
    result = runner.invoke(args=["import-participants", event.slug, str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 participants" in result.output
    assert stored() == 3
    again = runner.invoke(args=["import-participants", event.slug, str(good)])
    assert again.exit_code == 1
    assert "row 2, nip: NIP ini sudah terdaftar di acara ini." in again.output
    assert stored() == 3
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan excel")
    assert "bukan .xlsx" in runner.invoke(args=["import-participants", event.slug, str(broken)]).output


def test_a_file_without_the_columns_is_refused_as_a_whole(make):
    from app.imports.reader import UnreadableFile

    event = make.event()
    try:
        read_participant_rows(xlsx(people(1), columns=("nama", "nip", "keterangan")))
    except UnreadableFile as error:
        assert error.code == "missing_columns"
        assert error.detail == {"row": 1, "missing": ["organization"], "seen": ["nama", "nip", "keterangan"]}
    else:
        raise AssertionError("accepted a file without the columns")
    assert event is not None


def test_template_has_the_columns_and_the_event_opds(make):
    from app.imports.reader import write_template

    make.event()
    stream = io.BytesIO()
    write_template(stream, [("OPD1", "Dinas Contoh 1")])
    stream.seek(0)
    workbook = load_workbook(stream)
    assert [cell.value for cell in workbook["Peserta"][1]] == [
        "Nama Lengkap (dengan gelar)", "NIP", "Jabatan", "Pangkat/Gol", "OPD", "No. HP (WhatsApp)", "E-mail",
    ]
    assert workbook["Peserta"].column_dimensions["B"].number_format == "@"
    assert workbook["Daftar OPD"]["A2"].value == "OPD1"
