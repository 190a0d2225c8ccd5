"""Narasumber, moderators and panitia (issue 24): people of the event with a role that the committee adds,
outside the OPD quotas, linked to the sessions they give, on a daftar hadir of their own with the signature
block, and with a certificate that says their role."""
import io
from datetime import date

from openpyxl import load_workbook

from app.certificates.documents import ROLE_LABELS
from app.certificates.issuing import issue_certificates
from app.exports.paperwork import save_paperwork
from app.extensions import db
from app.models import AgendaItem, Registration
from tests.certificates_support import attend
from tests.factories import event_organization_list, participant
from tests.materials_support import session

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


def staff_form(event, item=None, **overrides):
    data = {"role": "narasumber", "full_name": "Dr. Ir. Budi Rahardjo", "nip": "", "position": "Tenaga Ahli",
            "rank": "", "organization": str(event_organization_list(event)[0].id), "phone": "0812-3456-7020",
            "email": "budi.rahardjo@example.go.id"}
    if item is not None:
        data["sessions"] = [str(item.id)]
    data.update(overrides)
    return data


def test_a_narasumber_is_added_outside_the_quota_and_linked_to_the_session(client, admin_with_tenant, make):
    event = make.event(dates=FUTURE, quota=1)
    item = session(event, title="Arsitektur Kota Cerdas", speaker="")
    make.registration(event)  # OPD1 full
    page = client.post(f"/admin/acara/{event.slug}/narasumber-panitia", data=staff_form(event, item))
    assert page.status_code == 303
    speaker = db.session.execute(db.select(Registration).filter_by(role="narasumber")).scalar_one()
    assert (speaker.source, speaker.legal_basis) == ("committee", "public_task")
    db.session.expire_all()
    linked = db.session.get(AgendaItem, item.id)
    assert (linked.speaker_registration_id, linked.speaker) == (speaker.id, "Dr. Ir. Budi Rahardjo")
    listed = client.get(f"/admin/acara/{event.slug}/narasumber-panitia").get_data(as_text=True)
    assert "Dr. Ir. Budi Rahardjo" in listed and "Arsitektur Kota Cerdas" in listed
    # A moderator too; the OPD's one seat is still taken only by its participant.
    client.post(f"/admin/acara/{event.slug}/narasumber-panitia",
                data=staff_form(event, role="moderator", full_name="Sari", email="sari@example.go.id",
                                phone="0812-3456-7021"))
    assert db.session.execute(db.select(Registration).filter_by(role="moderator")).scalar_one().full_name == "Sari"
    refused = client.post(f"/e/{event.slug}/daftar", data={**participant(), "organization": staff_form(event)[
        "organization"], "consent": "y"})
    assert refused.status_code == 422 and "Kuota peserta" in refused.get_data(as_text=True)


def test_a_bad_staff_form_keeps_what_was_typed_and_stores_nothing(client, admin_with_tenant, make):
    event = make.event(dates=FUTURE)
    bad = client.post(f"/admin/acara/{event.slug}/narasumber-panitia",
                      data=staff_form(event, role="raja", nip="123", sessions=["999"]))
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "error-summary" in text and "Dr. Ir. Budi Rahardjo" in text
    assert db.session.execute(db.select(Registration)).scalars().all() == []


def test_the_workbook_has_a_daftar_hadir_of_the_narasumber_and_panitia_with_the_signature(client, admin_with_tenant,
                                                                                          make):
    event = make.event(dates=FUTURE)
    participant_ = make.registration(event, full_name="Peserta Satu")
    client.post(f"/admin/acara/{event.slug}/narasumber-panitia", data=staff_form(event))
    client.post(f"/admin/acara/{event.slug}/narasumber-panitia",
                data=staff_form(event, role="panitia", full_name="Rina Panitia", email="rina.p@example.go.id",
                                phone="0812-3456-7022"))
    speaker = db.session.execute(db.select(Registration).filter_by(role="narasumber")).scalar_one()
    attend(speaker, event.days[0])
    attend(participant_, event.days[0])
    save_paperwork(event, signature_place_date="Serang, 14 Juni 2030", signature_role="Ketua Panitia",
                   signature_name="Ahmad", signature_nip=None, phone_on_daftar_hadir=False, transport_rate=None)
    db.session.commit()
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert "DH Narasumber & Panitia H1" in workbook.sheetnames and "DH Narasumber & Panitia H2" in workbook.sheetnames
    staff_values = [str(cell.value) for row in workbook["DH Narasumber & Panitia H1"].iter_rows() for cell in row
                    if cell.value is not None]
    assert "DAFTAR HADIR NARASUMBER DAN PANITIA" in staff_values
    assert {"Dr. Ir. Budi Rahardjo", "Narasumber", "Rina Panitia", "Panitia", "Ahmad"} <= set(staff_values)
    assert "Peserta Satu" not in staff_values
    day_values = [str(cell.value) for row in workbook["Daftar Hadir Hari 1"].iter_rows() for cell in row]
    assert "Peserta Satu" in day_values and "Dr. Ir. Budi Rahardjo" not in day_values
    rekap = [[cell.value for cell in row] for row in workbook["Rekap per OPD"].iter_rows()]
    opd1 = next(row for row in rekap if row[1] == event_organization_list(event)[0].name)
    assert opd1[3] == 1  # registered: the participant only


def test_without_narasumber_or_panitia_the_workbook_has_no_such_sheet(client, admin_with_tenant, make):
    event = make.event(dates=FUTURE)
    make.registration(event)
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert not any(name.startswith("DH Narasumber") for name in workbook.sheetnames)


def test_a_moderators_certificate_says_so(make):
    event = make.event(dates=FUTURE)
    person = make.registration(event)
    person.role = "moderator"
    db.session.commit()
    attend(person, *event.days)
    [certificate] = issue_certificates(event)
    db.session.commit()
    assert ROLE_LABELS[certificate.role] == "Moderator"
