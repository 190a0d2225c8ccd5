"""An event opens when it is ready: a new event is a draft that takes no registration, and the
committee opens it from its checklist."""
import re

import pytest

from app.events.services import upsert_organizations
from app.extensions import db
from app.models import Event, EventOrganization, EventStatus, Registration
from app.registration.services import RegistrationRefused, event_organizations, register_participant
from tests.events_support import event_form
from tests.registration_support import form_data


def test_an_event_made_in_the_console_is_a_draft_that_takes_no_registration(client, admin_with_tenant, make):
    assert client.post("/admin/acara/baru", data=event_form(registration_opens_at="",
                                                           registration_closes_at="")).status_code == 303
    event = db.session.execute(db.select(Event)).scalar_one()
    assert event.status == EventStatus.DRAFT
    page = client.get("/e/bimtek-satu-data").get_data(as_text=True)
    assert "Pendaftaran belum dibuka" in page and "Daftar sekarang" not in page


def test_a_draft_refuses_registration_by_form_and_by_service(client, make):
    event = make.event(status=EventStatus.DRAFT)
    organization = event_organizations(event)[0][1]
    response = client.post("/e/bimtek-uji/daftar", data=form_data(organization))
    assert response.status_code == 422
    assert "Pendaftaran belum dibuka" in response.get_data(as_text=True)
    with pytest.raises(RegistrationRefused) as refused:
        register_participant(event, organization.id, make.participant())
    assert refused.value.code == "draft"
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar() == 0


def test_the_demo_event_is_open(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # The finished event (its registration window long closed) and its live Tahap 2.
    assert set(db.session.execute(db.select(Event.status)).scalars()) == {EventStatus.OPEN}


def dashboard(client):
    return client.get("/admin/acara/bimtek-uji").get_data(as_text=True)


def test_buka_pendaftaran_refuses_with_what_is_missing_then_opens(client, admin_with_tenant, make):
    event = make.event(status=EventStatus.DRAFT, opds=0, quota=None)
    page = dashboard(client)
    assert "Buka pendaftaran" in page and 'data-item="organizations" data-done="no"' in page
    assert 'data-item="dates" data-done="yes"' in page

    response = client.post("/admin/acara/bimtek-uji/pendaftaran", data={"action": "open"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Pendaftaran belum dapat dibuka. Yang belum lengkap: OPD yang ikut, masing-masing dengan kuota; " \
           "Kontak panitia (nama dan nomor WhatsApp)." in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.DRAFT

    organizations = make.organizations(2)
    client.post("/admin/acara/bimtek-uji/opd", data={
        "take_part": [str(organization.id) for organization in organizations],
        **{f"quota-{organization.id}": "4" for organization in organizations}})
    client.post("/admin/acara/bimtek-uji/kontak", data={"contact_name": "Rina", "contact_phone": "0812-1111-2222"})
    response = client.post("/admin/acara/bimtek-uji/pendaftaran", data={"action": "open"}, follow_redirects=True)
    assert "Pendaftaran dibuka." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.OPEN
    assert "Daftar sekarang" in client.get("/e/bimtek-uji").get_data(as_text=True)


def test_a_draft_whose_window_has_passed_is_not_ready(client, admin_with_tenant, make):
    make.event(status=EventStatus.DRAFT, registration_closes_at=None, contact_name="Rina",
               contact_phone="+6281211112222")
    page = dashboard(client)
    assert 'data-item="window" data-done="no"' in page and 'data-item="contact" data-done="yes"' in page


def test_the_dashboard_of_an_event_without_opds_does_not_say_every_opd_sent_people(client, admin_with_tenant, make):
    make.event(status=EventStatus.DRAFT, opds=0)
    page = dashboard(client)
    assert "Semua OPD sudah mengirim peserta" not in page
    assert "Belum ada OPD yang ikut acara ini." in page


def test_pilih_semua_and_pilih_by_kind_tick_the_opds_to_save(client, admin_with_tenant, make):
    make.event(status=EventStatus.DRAFT, opds=0)
    dinas = make.organizations(3, kind="dinas")
    kecamatan = upsert_organizations([{"short_name": f"Kec{i}", "name": f"Kecamatan {i}", "kind": "kecamatan"}
                                      for i in (1, 2)], make.tenant())
    db.session.commit()
    page = client.get("/admin/acara/bimtek-uji/opd").get_data(as_text=True)
    assert "Pilih semua</button>" in page and "Pilih semua kecamatan" in page

    page = client.post("/admin/acara/bimtek-uji/opd", data={"pick": "kecamatan"}).get_data(as_text=True)
    ticked = set(re.findall(r'value="(\d+)" id="opd-\d+" checked', page))
    assert ticked == {str(organization.id) for organization in kecamatan}
    assert db.session.execute(db.select(db.func.count()).select_from(EventOrganization)).scalar() == 0

    page = client.post("/admin/acara/bimtek-uji/opd", data={"pick": "all"}).get_data(as_text=True)
    ticked = set(re.findall(r'value="(\d+)" id="opd-\d+" checked', page))
    assert ticked == {str(organization.id) for organization in dinas + kecamatan}


def test_opening_a_closed_registration_form_is_a_notice_with_the_way_back(client, make):
    """No mistake of the visitor's: the form answers 200 with a notice and a link to the event page
    (which has the committee's contact), not an error summary; a POST is still refused."""
    make.event(status=EventStatus.DRAFT)
    response = client.get("/e/bimtek-uji/daftar")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Pendaftaran belum dibuka" in page
    assert "Periksa isian berikut" not in page and 'href="/e/bimtek-uji"' in page
