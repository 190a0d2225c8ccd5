"""Names and numbers that mean something (issue 9, item 7), through the registration form, the
committee's corrections and the import: NFC, trimmed, no invisible-only names or bidi controls,
a NIP checked part by part, Indonesian phone numbers unless the event allows others."""
import re
import unicodedata
from datetime import date

import pytest

from app.extensions import db
from app.models import Event, Registration
from app.values import InvalidValue, clean_nip, clean_participant
from tests.events_support import event_form
from tests.imports_support import people, xlsx
from tests.registration_support import URL, errors_on, form_data

NIP_MESSAGES = {
    "nip_birth_date": "8 angka pertama NIP (tanggal lahir, TTTTBBHH) bukan tanggal yang benar.",
    "nip_tmt": "Angka ke-9 sampai ke-14 NIP (TMT CPNS, TTTTBB) bukan bulan yang benar.",
    "nip_tmt_before_birth": "TMT CPNS pada NIP (angka ke-9 sampai ke-14) harus sesudah tanggal lahir "
                            "(8 angka pertama).",
    "nip_sex": "Angka ke-15 NIP (jenis kelamin) harus 1 atau 2.",
    "nip_serial": "3 angka terakhir NIP (nomor urut) tidak boleh 000.",
}
BAD_NIPS = [
    ("198002302005011001", "nip_birth_date"),   # 30 February
    ("198013012005011001", "nip_birth_date"),   # month 13
    ("189912312005011001", "nip_birth_date"),   # before 1900
    ("299901012005011001", "nip_birth_date"),   # not born yet
    ("198001012005131001", "nip_tmt"),          # month 13
    ("198001012005001001", "nip_tmt"),          # month 00
    ("198001019999011001", "nip_tmt"),          # appointed in 9999
    ("198506151980011001", "nip_tmt_before_birth"),
    ("198506151985061001", "nip_tmt_before_birth"),  # the month of birth itself
    ("198001012005013001", "nip_sex"),
    ("198001012005010001", "nip_sex"),
    ("198001012005011000", "nip_serial"),
]
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff \u2060", "\u3164", "\u00ad\u00ad", " \u2800 "]
BIDI = ["Budi\u202eoknaS", "\u2067Siti\u2069", "Siti\u200fAminah"]
ADMIN_LIST = "/admin/acara/bimtek-uji/peserta"


@pytest.fixture
def opd(make):
    event = make.event()
    return make.event_organization_list(event)[0]


def stored():
    return db.session.execute(db.select(Registration)).scalars().all()


@pytest.mark.parametrize(("nip", "code"), BAD_NIPS)
def test_the_registration_form_says_which_part_of_the_nip_is_wrong(client, opd, nip, code):
    response = client.post(URL, data=form_data(opd, nip=nip))
    assert response.status_code == 422
    assert errors_on(response) == [NIP_MESSAGES[code]]
    assert stored() == []


@pytest.mark.parametrize("nip", ["198001012005011001", "198505052010012003", "200002292024121999"])
def test_a_well_formed_nip_is_accepted(client, opd, nip):
    assert client.post(URL, data=form_data(opd, nip=nip)).status_code == 303
    assert stored()[0].nip == nip


def test_the_nip_is_judged_against_today():
    assert clean_nip("202401012025011001", today=date(2025, 6, 1)) == "202401012025011001"
    with pytest.raises(InvalidValue) as error:
        clean_nip("202401012025011001", today=date(2023, 6, 1))
    assert error.value.code == "nip_birth_date"


def test_names_are_nfc_and_trimmed_and_the_same_name_whichever_way_it_was_typed(client, opd):
    decomposed = unicodedata.normalize("NFD", "Désirée Ñurul")
    assert decomposed != "Désirée Ñurul"
    typed = form_data(opd, full_name=f" \u200b {decomposed}\u00a0\t", position="  Analis\u200b ")
    response = client.post(URL, data=typed)
    assert response.status_code == 303
    registration = stored()[0]
    assert registration.full_name == "Désirée Ñurul"
    assert unicodedata.is_normalized("NFC", registration.full_name)
    assert registration.position == "Analis"


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_name_of_invisible_characters_only_is_refused(client, opd, name):
    response = client.post(URL, data=form_data(opd, full_name=name))
    assert response.status_code == 422
    assert errors_on(response) == ["Isian ini hanya berisi karakter yang tidak terlihat."]
    assert stored() == []


@pytest.mark.parametrize("name", BIDI)
def test_a_name_with_bidi_controls_is_refused(client, opd, name):
    response = client.post(URL, data=form_data(opd, full_name=name))
    assert response.status_code == 422
    assert errors_on(response) == ["Tidak boleh berisi karakter pengatur arah tulisan (bidi)."]


@pytest.mark.parametrize("phone", ["+44 20 7946 0958", "+1 202 555 0143", "+65 8123 4567"])
def test_a_foreign_phone_is_refused_unless_the_event_allows_it(client, make, phone):
    event = make.event()
    opd = make.event_organization_list(event)[0]
    refused = client.post(URL, data=form_data(opd, phone=phone))
    assert refused.status_code == 422
    assert errors_on(refused) == ["Gunakan nomor HP Indonesia (+62). Contoh: 0812 3456 7890."]
    event.foreign_phones_allowed = True
    db.session.commit()
    assert client.post(URL, data=form_data(opd, phone=phone)).status_code == 303
    assert stored()[0].phone.startswith("+") and not stored()[0].phone.startswith("+62")


def test_indonesian_numbers_in_any_usual_shape_still_pass(client, opd):
    assert client.post(URL, data=form_data(opd, phone="\u200b０８１２-３４５６-７８９０ ")).status_code == 303
    assert stored()[0].phone == "+6281234567890"


def test_the_committees_correction_uses_the_same_rules(client, admin, make):
    event = make.event()
    registration = make.registration(event)
    url = f"{ADMIN_LIST}/{registration.id}"
    data = {"full_name": "\u200b", "nip": "198001012005013001", "position": "Kasi", "rank": "\u202eX",
            "organization": make.event_organization_list(event)[0].id, "phone": "+44 20 7946 0958",
            "email": "budi@serangkota.go.id"}
    response = client.post(url, data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for message in ("Isian ini hanya berisi karakter yang tidak terlihat.", NIP_MESSAGES["nip_sex"],
                    "Tidak boleh berisi karakter pengatur arah tulisan (bidi).",
                    "Gunakan nomor HP Indonesia (+62). Contoh: 0812 3456 7890."):
        assert message in page
    fixed = dict(data, full_name=unicodedata.normalize("NFD", " Budi Séntoso "), nip="198001012005011001",
                 rank="", phone="0812 1111 2222")
    assert client.post(url, data=fixed).status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).full_name == "Budi Séntoso"


def test_the_event_setting_for_foreign_phones_is_on_the_event_form(client, admin, make):
    make.event()
    page = client.get("/admin/acara/bimtek-uji/ubah").get_data(as_text=True)
    assert "Terima nomor HP luar negeri" in page
    assert "checked" not in re.search(r'<input[^>]*name="foreign_phones_allowed"[^>]*>', page).group(0)
    data = event_form(slug="bimtek-uji", foreign_phones_allowed="y")
    assert client.post("/admin/acara/bimtek-uji/ubah", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.execute(db.select(Event.foreign_phones_allowed)).scalar_one() is True
    page = client.get("/admin/acara/bimtek-uji/ubah").get_data(as_text=True)
    assert "checked" in re.search(r'<input[^>]*name="foreign_phones_allowed"[^>]*>', page).group(0)
    data.pop("foreign_phones_allowed")
    assert client.post("/admin/acara/bimtek-uji/ubah", data=data).status_code == 303
    db.session.expire_all()
    assert db.session.execute(db.select(Event.foreign_phones_allowed)).scalar_one() is False


def test_import_rows_meet_the_same_rules_and_name_the_part(runner, make, tmp_path):
    make.event(quota=10)
    rows = people(5)
    rows[0]["nip"] = "198002302005011001"
    rows[1]["full_name"] = "\u200b\u200b"
    rows[2]["phone"] = "+44 20 7946 0958"
    rows[3]["position"] = "Kasi\u202e"
    rows[4]["full_name"] = unicodedata.normalize("NFD", "  Désirée  ")
    path = tmp_path / "peserta.xlsx"
    path.write_bytes(xlsx(rows).getvalue())
    result = runner.invoke(args=["import-participants", "bimtek-uji", str(path)])
    assert result.exit_code != 0
    assert f"row 2, nip: {NIP_MESSAGES['nip_birth_date']}" in result.output
    assert "row 3, full_name: Isian ini hanya berisi karakter yang tidak terlihat." in result.output
    assert "row 4, phone: Gunakan nomor HP Indonesia (+62)." in result.output
    assert "row 5, position: Tidak boleh berisi karakter pengatur arah tulisan (bidi)." in result.output
    assert "row 6" not in result.output
    assert stored() == []
    rows = people(5)
    rows[4]["full_name"] = unicodedata.normalize("NFD", "  Désirée  ")
    path.write_bytes(xlsx(rows).getvalue())
    assert runner.invoke(args=["import-participants", "bimtek-uji", str(path)]).exit_code == 0
    assert "Désirée" in {registration.full_name for registration in stored()}


def test_one_list_of_rules_for_form_and_import():
    cleaned, errors = clean_participant({"full_name": " A\u0301de ", "nip": "198001012005011001", "position": "X",
                                         "phone": "+6581234567", "email": "a@b.go.id"}, foreign_phones_allowed=True)
    assert errors == {} and cleaned["full_name"] == "Áde" and cleaned["phone"] == "+6581234567"
