"""An OPD's own link (issue 24): the committee makes, re-issues and revokes it; the OPD's secretariat
names its people up to the quota, one at a time or pasted, corrects, swaps and takes them off until the
deadline; every change is recorded with the link; the committee sees who has sent whom."""
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import pytest

from app.delegates import services
from app.extensions import db
from app.models import STATUS_CANCELLED, STATUS_REGISTERED, OutboxMessage, Registration
from app.models.delegate import DelegateChange, DelegateLink
from app.registration.services import register_participant
from tests import factories

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


@pytest.fixture
def event(make):
    return make.event(dates=FUTURE, quota=2)


def opd_of(event, index=0):
    return factories.event_organization_list(event)[index]


def link_for(event, index=0):
    link = services.issue_link(event, opd_of(event, index).id)
    db.session.commit()
    return link


def person(**overrides):
    data = {"full_name": "Rina Marlina, S.T.", "nip": "19800101 200501 2 003", "position": "Analis Kebijakan",
            "rank": "Penata (III/c)", "phone": "0812-3456-7001", "email": "rina@example.go.id"}
    data.update(overrides)
    return data


def active_of(event, organization):
    return db.session.execute(
        db.select(Registration).filter_by(event_id=event.id, organization_id=organization.id,
                                          status=STATUS_REGISTERED).order_by(Registration.id)
    ).scalars().all()


def test_the_committee_makes_a_link_for_every_opd_and_sees_it_on_the_page(client, admin_with_tenant, event):
    page = client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)
    assert "3 OPD belum mengirim peserta" in page and page.count("belum dibuat") == 3
    assert client.post(f"/admin/acara/{event.slug}/opd/tautan/buat").status_code == 303
    links = db.session.execute(db.select(DelegateLink).filter_by(event_id=event.id)).scalars().all()
    assert len(links) == 3 and len({link.token for link in links}) == 3
    assert all(len(link.token) >= 43 for link in links)
    page = client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)
    for link in links:
        assert f"/opd/{link.token}" in page
    client.post(f"/admin/acara/{event.slug}/opd/tautan/buat")  # again: nothing new
    assert db.session.execute(db.select(db.func.count()).select_from(DelegateLink)).scalar_one() == 3


def test_an_opd_names_its_people_through_its_link_with_the_forms_rules(client, event):
    link = link_for(event)
    organization = opd_of(event)
    page = client.get(f"/opd/{link.token}")
    assert page.status_code == 200
    assert f"Peserta dari {organization.name}" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DelegateLink, link.id).first_opened_at is not None

    bad = client.post(f"/opd/{link.token}", data=person(nip="123", phone="12"))
    assert bad.status_code == 422
    assert "NIP harus 18 angka" in bad.get_data(as_text=True)
    assert active_of(event, organization) == []

    assert client.post(f"/opd/{link.token}", data=person()).status_code == 303
    [rina] = active_of(event, organization)
    assert (rina.full_name, rina.nip, rina.phone) == ("Rina Marlina, S.T.", "198001012005012003", "+6281234567001")
    assert (rina.source, rina.legal_basis, rina.consented_at) == ("opd", "public_task", None)
    [change] = db.session.execute(db.select(DelegateChange)).scalars().all()
    assert (change.link_id, change.generation, change.registration_id, change.action) == (link.id, 1, rina.id, "add")
    # Her ticket goes to her own e-mail, through the outbox.
    assert db.session.execute(
        db.select(OutboxMessage).filter_by(registration_id=rina.id, recipient="rina@example.go.id")
    ).scalar_one().kind == "confirmation"
    listed = client.get(f"/opd/{link.token}").get_data(as_text=True)
    assert "Rina Marlina, S.T." in listed and "1 dari 2 kursi terisi" in listed


def test_the_quota_holds_and_a_full_opd_is_told_how_to_send_someone_else(client, event):
    link = link_for(event)
    organization = opd_of(event)
    client.post(f"/opd/{link.token}", data=person())
    client.post(f"/opd/{link.token}", data=person(full_name="Dedi", nip="", email="dedi@example.go.id",
                                                  phone="081234567002"))
    third = client.post(f"/opd/{link.token}", data=person(full_name="Eka", nip="", email="eka@example.go.id",
                                                          phone="081234567003"))
    assert third.status_code == 422
    assert "Kuota peserta untuk OPD ini sudah penuh" in third.get_data(as_text=True)
    assert len(active_of(event, organization)) == 2
    assert "Ganti orang" in client.get(f"/opd/{link.token}").get_data(as_text=True)


def test_a_pasted_list_registers_everybody_or_nobody(client, event):
    link = link_for(event)
    organization = opd_of(event)
    bad = client.post(f"/opd/{link.token}/tempel", data={"paste-rows": (
        "Andi Wijaya\t19800101 200501 1 004\tKepala Seksi\t\t0812-3456-7004\tandi@example.go.id\n"
        "Sari\t123\tStaf\t\t0812\tsari@example.go.id\n")})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Baris 2 (NIP)" in text and "Baris 2 (Nomor HP)" in text
    assert active_of(event, organization) == []

    good = client.post(f"/opd/{link.token}/tempel", data={"paste-rows": (
        "\nAndi Wijaya;19800101 200501 1 004;Kepala Seksi;;0812-3456-7004;andi@example.go.id\n"
        "Sari Dewi;;Staf;;0812-3456-7005;sari@example.go.id\n")})
    assert good.status_code == 303
    assert [r.full_name for r in active_of(event, organization)] == ["Andi Wijaya", "Sari Dewi"]

    over = client.post(f"/opd/{link.token}/tempel", data={"paste-rows": (
        "Tono;;Staf;;0812-3456-7006;tono@example.go.id\n")})
    assert over.status_code == 422 and "Kuota peserta" in over.get_data(as_text=True)
    assert len(active_of(event, organization)) == 2


def test_the_opd_corrects_swaps_and_takes_off_its_people_and_each_change_is_recorded(client, event):
    link = link_for(event)
    organization = opd_of(event)
    client.post(f"/opd/{link.token}", data=person())
    [rina] = active_of(event, organization)
    old_ticket = rina.ticket_token

    edited = client.post(f"/opd/{link.token}/{rina.id}/ubah", data=person(position="Kepala Bidang"))
    assert edited.status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, rina.id).position == "Kepala Bidang"

    swapped = client.post(f"/opd/{link.token}/{rina.id}/ganti",
                          data=person(full_name="Yudi Pratama", nip="", email="yudi@example.go.id",
                                      phone="0812-3456-7010"))
    assert swapped.status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, rina.id).status == STATUS_CANCELLED
    [yudi] = active_of(event, organization)
    assert yudi.full_name == "Yudi Pratama" and yudi.id != rina.id and yudi.ticket_token != old_ticket
    assert client.get(f"/tiket/{old_ticket}/qr.png").status_code == 404  # the old ticket stops working

    asked = client.post(f"/opd/{link.token}/{yudi.id}/batal")
    assert asked.status_code == 200 and "Ya, batalkan" in asked.get_data(as_text=True)
    assert client.post(f"/opd/{link.token}/{yudi.id}/batal", data={"confirmed": "yes"}).status_code == 303
    assert active_of(event, organization) == []
    actions = db.session.execute(
        db.select(DelegateChange.registration_id, DelegateChange.action).order_by(DelegateChange.id)
    ).all()
    assert actions == [(rina.id, "add"), (rina.id, "edit"), (rina.id, "cancel"), (yudi.id, "add"),
                       (yudi.id, "cancel")]


def test_a_swap_that_the_database_refuses_keeps_the_first_person(client, event):
    link = link_for(event)
    organization = opd_of(event)
    client.post(f"/opd/{link.token}", data=person())
    other = factories.registration(event, opd_of(event, 1), email="taken@example.go.id")
    [rina] = active_of(event, organization)
    refused = client.post(f"/opd/{link.token}/{rina.id}/ganti",
                          data=person(full_name="Yudi", nip="", email=other.email, phone="0812-3456-7010"))
    assert refused.status_code == 422
    assert "E-mail ini sudah terdaftar" in refused.get_data(as_text=True)
    assert [r.id for r in active_of(event, organization)] == [rina.id]


def test_a_link_reaches_only_its_own_opds_people_entered_through_it(client, event):
    link = link_for(event)
    own_self_registered = factories.registration(event, opd_of(event))
    other_opd = factories.registration(event, opd_of(event, 1))
    page = client.get(f"/opd/{link.token}").get_data(as_text=True)
    assert own_self_registered.full_name in page and "mendaftar sendiri" in page
    assert own_self_registered.email not in page
    assert other_opd.full_name not in page
    for registration in (own_self_registered, other_opd):
        assert client.get(f"/opd/{link.token}/{registration.id}/ubah").status_code == 404
        assert client.post(f"/opd/{link.token}/{registration.id}/batal",
                           data={"confirmed": "yes"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, other_opd.id).status == STATUS_REGISTERED


def test_a_reissued_or_revoked_link_stops_working_at_once(client, admin_with_tenant, event):
    link = link_for(event)
    old = link.token
    organization = opd_of(event)
    asked = client.post(f"/admin/acara/{event.slug}/opd/{organization.id}/tautan")
    assert asked.status_code == 200 and "tidak berlaku lagi" in asked.get_data(as_text=True)
    client.post(f"/admin/acara/{event.slug}/opd/{organization.id}/tautan", data={"confirmed": "yes"})
    db.session.expire_all()
    renewed = db.session.get(DelegateLink, link.id)
    assert renewed.token != old and renewed.generation == 2
    assert client.get(f"/opd/{old}").status_code == 404
    assert client.get(f"/opd/{renewed.token}").status_code == 200

    client.post(f"/admin/acara/{event.slug}/opd/{organization.id}/tautan/cabut", data={"confirmed": "yes"})
    db.session.expire_all()
    assert db.session.get(DelegateLink, link.id).token is None
    assert client.get(f"/opd/{renewed.token}").status_code == 404
    assert client.get("/opd/" + "x" * 100).status_code == 404


def test_after_the_deadline_the_opd_sees_its_list_but_changes_nothing(client, admin_with_tenant, event):
    link = link_for(event)
    organization = opd_of(event)
    client.post(f"/opd/{link.token}", data=person())
    yesterday = (datetime.now(UTC) - timedelta(days=1)).astimezone(event.tz)
    assert client.post(f"/admin/acara/{event.slug}/opd/tautan/batas",
                       data={"deadline": yesterday.strftime("%Y-%m-%dT%H:%M")}).status_code == 303
    page = client.get(f"/opd/{link.token}").get_data(as_text=True)
    assert "Rina Marlina" in page and "sudah lewat" in page and "Tambah peserta" not in page
    late = client.post(f"/opd/{link.token}", data=person(full_name="Eka", nip="", email="eka@example.go.id"))
    assert late.status_code == 422 and "sudah lewat" in late.get_data(as_text=True)
    [rina] = active_of(event, organization)
    client.post(f"/opd/{link.token}/{rina.id}/batal", data={"confirmed": "yes"})
    assert [r.id for r in active_of(event, organization)] == [rina.id]
    bad = client.post(f"/admin/acara/{event.slug}/opd/tautan/batas", data={"deadline": "besok"})
    assert bad.status_code == 303
    assert "Tulis batas waktu" in client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)


def test_the_whatsapp_button_sends_the_ticket_only_to_the_delegates_own_number(client, event):
    link = link_for(event)
    client.post(f"/opd/{link.token}", data=person())
    [rina] = active_of(event, opd_of(event))
    answer = client.get(f"/opd/{link.token}/{rina.id}/whatsapp")
    assert answer.status_code == 302
    target = unquote(answer.headers["Location"])
    assert target.startswith("https://wa.me/6281234567001?text=")
    assert f"/tiket/{rina.ticket_token}" in target
    assert "/ubah/" not in target and rina.edit_token not in target


def test_the_committee_sees_who_has_sent_whom(client, admin_with_tenant, event):
    link = link_for(event)
    client.get(f"/opd/{link.token}")
    client.post(f"/opd/{link.token}", data=person())
    register_participant(event, opd_of(event, 1).id, factories.participant())
    db.session.commit()
    page = client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)
    assert "1 OPD belum mengirim peserta" in page
    assert page.count("1 dari 2") == 2 and "0 dari 2" in page


def test_another_tenants_admin_cannot_reach_the_links(client, auth, make, event):
    other = make.tenant("kota-lain", "Kota Lain")
    make.user("lain@example.go.id", tenant=other)
    auth.login("lain@example.go.id")
    assert client.get(f"/admin/acara/{event.slug}/opd/tautan").status_code == 404
    assert client.post(f"/admin/acara/{event.slug}/opd/tautan/buat").status_code == 404


def test_the_opd_contact_is_kept_with_the_opd_and_checked_like_the_form(client, admin_with_tenant, event):
    organization = opd_of(event)
    url = f"/admin/acara/{event.slug}/opd/{organization.id}/kontak"
    bad = client.post(url, data={"contact_email": "bukan-email", "contact_phone": "12"})
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    assert client.post(url, data={"contact_email": "Sekretariat@Dinas1.example.go.id",
                                  "contact_phone": "0812-3456-7099"}).status_code == 303
    db.session.expire_all()
    saved = db.session.get(type(organization), organization.id)
    assert (saved.contact_email, saved.contact_phone) == ("sekretariat@dinas1.example.go.id", "+6281234567099")
    assert client.post(url, data={"contact_email": "", "contact_phone": ""}).status_code == 303
    db.session.expire_all()
    assert db.session.get(type(organization), organization.id).contact_email is None
    other_tenant_opd = factories.organizations(1, tenant=factories.tenant("kota-lain", "Kota Lain"))[0]
    assert client.get(f"/admin/acara/{event.slug}/opd/{other_tenant_opd.id}/kontak").status_code == 404


def test_opds_that_sent_nobody_are_reminded_once_a_day_by_email_or_whatsapp(client, admin_with_tenant, event):
    opds = factories.event_organization_list(event)
    for index, organization in enumerate(opds):
        organization.contact_email = f"sekretariat{index}@example.go.id"
    opds[2].contact_email, opds[2].contact_phone = None, "+6281234567088"
    db.session.commit()
    client.post(f"/admin/acara/{event.slug}/opd/tautan/buat")
    sender = services.links_of(event)[opds[0].id]
    client.post(f"/opd/{sender.token}", data=person())  # OPD1 has sent someone

    assert client.post(f"/admin/acara/{event.slug}/opd/tautan/ingatkan").status_code == 303
    client.post(f"/admin/acara/{event.slug}/opd/tautan/ingatkan")  # a second click the same day: nothing more
    reminders = db.session.execute(db.select(OutboxMessage).filter_by(kind="opd_reminder")).scalars().all()
    assert [message.recipient for message in reminders] == ["sekretariat1@example.go.id"]
    link = services.links_of(event)[opds[1].id]
    assert f"/opd/{link.token}" in reminders[0].body_text and opds[1].name in reminders[0].body_text
    page = client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)
    assert "tidak punya e-mail kontak" in page

    whatsapp = client.get(f"/admin/acara/{event.slug}/opd/{opds[2].id}/ingatkan-whatsapp")
    assert whatsapp.status_code == 302
    target = unquote(whatsapp.headers["Location"])
    assert target.startswith("https://wa.me/6281234567088?text=")
    assert f"/opd/{services.links_of(event)[opds[2].id].token}" in target
    assert client.get(f"/admin/acara/{event.slug}/opd/{opds[0].id}/ingatkan-whatsapp").status_code == 404
