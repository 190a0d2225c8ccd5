"""The participant list and its actions, the import page, the workbook download, the dashboard figures."""
import io

from openpyxl import load_workbook

from app.checkin.services import check_in
from app.extensions import db
from app.models import STATUS_CANCELLED, Attendance, Registration, ScanLog
from tests.imports_support import people, xlsx

LIST = "/admin/acara/bimtek-uji/peserta"


def names(response):
    import re

    return re.findall(r"<strong>([^<]+)</strong></a><br>", response.get_data(as_text=True))


def test_search_and_filters(client, admin, make):
    event = make.event(quota=10)
    first, second, _ = make.event_organization_list(event)
    budi = make.registration(event, first, full_name="Budi Santoso", nip="198001012005011001")
    make.registration(event, second, full_name="Siti Aminah", email="siti@serangkota.go.id")
    gone = make.registration(event, second, full_name="Andi Batal")
    gone.status = STATUS_CANCELLED
    check_in(budi, event.days[0], method="manual")
    db.session.commit()
    page = client.get(LIST)
    assert names(page) == ["Andi Batal", "Budi Santoso", "Siti Aminah"]
    assert "198001012005011001" in page.get_data(as_text=True)  # admins see the full NIP
    assert names(client.get(LIST, query_string={"q": "siti"})) == ["Siti Aminah"]
    assert names(client.get(LIST, query_string={"q": "SITI@serang"})) == ["Siti Aminah"]
    assert names(client.get(LIST, query_string={"q": "2005 011 001"})) == ["Budi Santoso"]
    assert names(client.get(LIST, query_string={"opd": second.id})) == ["Andi Batal", "Siti Aminah"]
    assert names(client.get(LIST, query_string={"status": "cancelled"})) == ["Andi Batal"]
    day1 = event.days[0].id
    assert names(client.get(LIST, query_string={"kehadiran": f"{day1}:present"})) == ["Budi Santoso"]
    assert names(client.get(LIST, query_string={"kehadiran": f"{day1}:absent", "status": "registered"})) == [
        "Siti Aminah"]
    assert client.get(LIST, query_string={"page": "x", "opd": "y", "kehadiran": "z"}).status_code == 200


def test_pagination(client, admin, make):
    event = make.event(quota=60)
    organization = make.event_organization_list(event)[0]
    for n in range(55):
        make.registration(event, organization, full_name=f"Peserta {n:02d}")
    first = client.get(LIST).get_data(as_text=True)
    assert "55 peserta" in first and "halaman 1 dari 2" in first
    assert len(names(client.get(LIST))) == 50
    assert names(client.get(LIST, query_string={"page": 2})) == [f"Peserta {n}" for n in range(50, 55)]
    assert len(names(client.get(LIST, query_string={"page": 99}))) == 5


def test_editing_a_registration_uses_the_form_rules(client, admin, make):
    event = make.event(quota=1)
    first, second, _ = make.event_organization_list(event)
    registration = make.registration(event, first, full_name="Budi Santos")
    other = make.registration(event, second, email="lain@serangkota.go.id")
    url = f"{LIST}/{registration.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Budi Santos"' in page
    assert "Kosongkan jika peserta bukan ASN." in page and "jika Anda bukan ASN" not in page  # said to the committee
    data = {"full_name": "Budi Santoso", "nip": "", "position": "Kasi", "rank": "", "organization": first.id,
            "phone": "0812 1111 2222", "email": "budi@serangkota.go.id"}
    assert client.post(url, data=data).status_code == 303
    db.session.expire_all()
    stored = db.session.get(Registration, registration.id)
    assert (stored.full_name, stored.nip, stored.phone) == ("Budi Santoso", None, "+6281211112222")
    duplicate = client.post(url, data=dict(data, email="LAIN@serangkota.go.id"))
    assert duplicate.status_code == 422
    assert "E-mail ini sudah terdaftar di acara ini." in duplicate.get_data(as_text=True)
    full = client.post(url, data=dict(data, organization=second.id))  # OPD 2 has its one place taken
    assert "Kuota peserta untuk OPD ini sudah penuh." in full.get_data(as_text=True)
    assert other.id != registration.id


def test_cancel_restore_and_the_quota(client, admin, make):
    event = make.event(quota=1)
    organization = make.event_organization_list(event)[0]
    registration = make.registration(event, organization)
    asked = client.post(f"{LIST}/{registration.id}/batal", data={"next": LIST + "?status=registered"})
    assert asked.status_code == 200 and "Tempatnya di kuota Dinas Contoh 1 dilepas" in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == "registered"  # asked first, changed nothing
    done = client.post(f"{LIST}/{registration.id}/batal", data={"next": LIST + "?status=registered",
                                                                "confirmed": "yes"})
    assert done.headers["Location"] == LIST + "?status=registered"
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == STATUS_CANCELLED
    make.registration(event, organization)  # the freed place is taken
    refused = client.post(f"{LIST}/{registration.id}/pulihkan", follow_redirects=True)
    assert "Kuota peserta untuk OPD ini sudah penuh." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == STATUS_CANCELLED


def test_check_in_and_undo_by_hand_are_in_the_scan_log(client, admin, make):
    event = make.event()
    registration = make.registration(event)
    day = event.days[1]
    response = client.post(f"{LIST}/{registration.id}/hadir", data={"day": day.id, "next": LIST})
    assert response.status_code == 303 and response.headers["Location"] == LIST
    attendance = db.session.execute(db.select(Attendance)).scalar_one()
    assert (attendance.event_day_id, attendance.method, attendance.operator_id) == (day.id, "manual", admin.id)
    assert "urungkan" in client.get(LIST).get_data(as_text=True)
    asked = client.post(f"{LIST}/{registration.id}/batal-hadir", data={"day": day.id})
    assert asked.status_code == 200 and "pada Hari 2" in asked.get_data(as_text=True)
    assert db.session.execute(db.select(Attendance)).first() is not None
    client.post(f"{LIST}/{registration.id}/batal-hadir", data={"day": day.id, "confirmed": "yes"})
    assert db.session.execute(db.select(Attendance)).first() is None
    log = db.session.execute(db.select(ScanLog.result, ScanLog.operator_id).order_by(ScanLog.id)).all()
    assert log == [("checked_in", admin.id), ("undone", admin.id)]
    assert client.post(f"{LIST}/{registration.id}/hadir", data={"day": "999"}).status_code == 400
    assert client.post(f"{LIST}/999/hadir", data={"day": day.id}).status_code == 404


def test_import_page_reports_every_bad_row_and_stores_nothing(client, admin, make):
    make.event(quota=50)
    rows = people(50)
    rows[9]["phone"] = "12345"
    rows[20]["email"] = rows[3]["email"]
    response = client.post("/admin/acara/bimtek-uji/impor", data={"file": (xlsx(rows), "peserta.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 masalah" in page
    assert "<td class=\"num\">11</td><td>Nomor HP</td>" in page
    assert "Sama dengan baris 5 di berkas ini." in page
    assert db.session.execute(db.select(Registration)).first() is None
    good = client.post("/admin/acara/bimtek-uji/impor", data={"file": (xlsx(people(50)), "peserta.xlsx")})
    assert good.status_code == 303
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar() == 50
    junk = client.post("/admin/acara/bimtek-uji/impor", data={"file": (io.BytesIO(b"PK junk"), "x.xlsx")})
    assert junk.status_code == 422 and "bukan .xlsx" in junk.get_data(as_text=True)
    empty = client.post("/admin/acara/bimtek-uji/impor", data={})
    assert empty.status_code == 422


def test_template_and_workbook_downloads(client, admin, make):
    event = make.event()
    make.registration(event, full_name="Budi Santoso")
    template = client.get("/admin/acara/bimtek-uji/impor/templat.xlsx")
    assert template.headers["Content-Disposition"].startswith("attachment")
    assert load_workbook(io.BytesIO(template.data))["Daftar OPD"]["A2"].value == "OPD1"
    download = client.get("/admin/acara/bimtek-uji/daftar-hadir.xlsx")
    assert download.status_code == 200
    assert "daftar-hadir-bimtek-uji.xlsx" in download.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(download.data))
    assert workbook["Daftar Hadir Hari 1"]["B7"].value == "Budi Santoso"


def test_dashboard_figures(client, admin, make):
    event = make.event(quota=4)
    first, second, third = make.event_organization_list(event)
    a = make.registration(event, first)
    b = make.registration(event, first)
    make.registration(event, second)
    check_in(a, event.days[0], method="manual")
    check_in(a, event.days[1], method="manual")
    check_in(b, event.days[0], method="manual")
    db.session.commit()
    figures = client.get("/admin/acara/bimtek-uji/dasbor.json").get_json()
    assert figures["registered"] == 3
    assert [day["present"] for day in figures["days"]] == [2, 1]
    assert figures["present_all_days"] == 1
    assert figures["organizations_without_participants"] == [third.name]
    assert figures["organizations"][0] == {
        "short_name": "OPD1", "name": first.name, "quota": 4, "registered": 2, "present": [2, 1],
        "present_all_days": 1,
    }
    page = client.get("/admin/acara/bimtek-uji").get_data(as_text=True)
    assert 'id="present-day-1">2<' in page and "<svg" in page and third.name in page
    live = client.get("/admin/acara/bimtek-uji/dasbor/langsung").get_data(as_text=True)
    assert 'id="count-registered">3<' in live and "<html" not in live
