"""The edit link: a second secret; correct, cancel, hand the seat over; locked when the event starts;
every change recorded for the committee."""
import json
from datetime import UTC, date, datetime, timedelta

from app.extensions import db
from app.messages.delivery import deliver_due
from app.models import Registration, RegistrationChange, utcnow
from tests.registration_support import edit_form
from tests.smtp_support import text_part

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


def fresh(registration_id):
    db.session.expire_all()
    return db.session.get(Registration, registration_id)


def changes():
    return db.session.execute(db.select(RegistrationChange).order_by(RegistrationChange.id)).scalars().all()


def test_the_edit_link_corrects_data_with_the_forms_rules_and_records_the_old_values(client, make):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, full_name="Budi Santos")
    old_phone = registration.phone
    url = f"/ubah/{registration.edit_token}"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Budi Santos"' in page
    bad = client.post(url, data=edit_form(registration, nip="123", phone="12"))
    assert bad.status_code == 422
    assert "NIP harus 18 angka" in bad.get_data(as_text=True)
    assert fresh(registration.id).full_name == "Budi Santos" and changes() == []
    good = client.post(url, data=edit_form(registration, full_name="Budi  Santoso, S.Kom.", phone="0812 9999 0000"))
    assert good.status_code == 303
    updated = fresh(registration.id)
    assert (updated.full_name, updated.phone) == ("Budi Santoso, S.Kom.", "+6281299990000")
    [change] = changes()
    assert change.action == "edit"
    assert json.loads(change.old_values) == {"full_name": "Budi Santos", "phone": old_phone}


def test_the_ticket_token_does_not_open_the_edit_page(client, make):
    event = make.event(dates=FUTURE)
    registration = make.registration(event)
    assert registration.edit_token != registration.ticket_token
    assert client.get(f"/ubah/{registration.ticket_token}").status_code == 404
    assert client.get("/ubah/" + "x" * 100).status_code == 404


def test_an_edit_into_a_full_opd_is_refused(client, make):
    event = make.event(dates=FUTURE, quota=1)
    first, second = make.event_organization_list(event)[:2]
    make.registration(event, second)
    registration = make.registration(event, first)
    response = client.post(f"/ubah/{registration.edit_token}", data=edit_form(registration,
                                                                               organization=str(second.id)))
    assert response.status_code == 422
    assert "Kuota peserta untuk OPD ini sudah penuh" in response.get_data(as_text=True)
    assert fresh(registration.id).organization_id == first.id


def test_cancelling_gives_the_seat_back_to_the_opd(client, make):
    event = make.event(dates=FUTURE, quota=1)
    organization = make.event_organization_list(event)[0]
    registration = make.registration(event, organization)
    # One tap asks first, on the participant's own (public) layout, and changes nothing.
    asked = client.post(f"/ubah/{registration.edit_token}/batal")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Batalkan pendaftaran Anda di Bimtek Uji Coba?" in page
    assert f"Tempat Anda di kuota {organization.name} dilepas untuk rekan lain." in page
    assert f'href="/ubah/{registration.edit_token}"' in page and "/admin/" not in page
    assert asked.headers["Cache-Control"].startswith("private") or "no-store" in asked.headers["Cache-Control"]
    assert fresh(registration.id).status == "registered" and changes() == []
    response = client.post(f"/ubah/{registration.edit_token}/batal", data={"confirmed": "yes"})
    assert response.status_code == 303
    assert fresh(registration.id).status == "cancelled"
    assert [c.action for c in changes()] == ["cancel"]
    make.registration(event, organization)  # the seat is free again
    # The ticket shows the cancellation; the edit page offers nothing more.
    page = client.get(f"/ubah/{registration.edit_token}").get_data(as_text=True)
    assert "sudah dibatalkan" in page and "Simpan perubahan" not in page
    assert client.post(f"/ubah/{registration.edit_token}/batal").status_code == 303
    assert len(changes()) == 1


def test_handing_the_seat_to_a_colleague_makes_a_new_registration_and_ends_the_old(client, make, smtp):
    event = make.event(dates=FUTURE, quota=1)
    organization = make.event_organization_list(event)[0]
    registration = make.registration(event, organization, full_name="Budi")
    old_ticket, old_edit = registration.ticket_token, registration.edit_token
    form = {"full_name": "Citra Lestari", "nip": "", "position": "Analis", "rank": "",
            "organization": str(organization.id), "phone": "0813 2222 3333", "email": "citra@example.go.id",
            "consent": "y"}
    response = client.post(f"/ubah/{old_edit}/ganti", data=form)
    assert response.status_code == 303
    old = fresh(registration.id)
    assert (old.full_name, old.status) == ("Budi", "transferred")
    seat = db.session.get(Registration, old.transferred_to_id)
    assert (seat.full_name, seat.email, seat.organization_id, seat.status) == (
        "Citra Lestari", "citra@example.go.id", organization.id, "registered")
    assert seat.ticket_token != old_ticket and seat.edit_token != old_edit
    # The device that handed over gets a confirmation, not the colleague's ticket.
    assert response.headers["Location"] == f"/ubah/{old_edit}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kursi Anda sudah diserahkan kepada Citra Lestari" in page
    assert seat.ticket_token not in page and seat.edit_token not in page
    assert client.get(f"/tiket/{old_ticket}").status_code == 410
    [change] = changes()
    assert change.registration_id == old.id and change.action == "transfer"
    assert json.loads(change.old_values) == {"transferred_to": seat.id}
    deliver_due()
    [mail] = smtp.to("citra@example.go.id")
    assert f"/tiket/{seat.ticket_token}" in text_part(mail) and f"/ubah/{seat.edit_token}" in text_part(mail)


def test_handing_over_to_someone_already_registered_is_refused(client, make):
    event = make.event(dates=FUTURE)
    other = make.registration(event, email="sudah@example.go.id")
    registration = make.registration(event)
    form = {"full_name": "Dua Kali", "nip": "", "position": "Analis", "organization": str(registration.organization_id),
            "phone": "0813 2222 3333", "email": other.email, "consent": "y"}
    response = client.post(f"/ubah/{registration.edit_token}/ganti", data=form)
    assert response.status_code == 422
    assert "E-mail ini sudah terdaftar" in response.get_data(as_text=True)
    assert fresh(registration.id).full_name == registration.full_name


def test_changes_stay_open_on_day_one_until_the_person_checks_in(client, make, desk, monkeypatch):
    """Issue 22: edits closed at 00.00 of day 1, exactly when a Kabid sends a substitute."""
    event, _operator, headers = desk  # 13 and 14 June 2022
    morning = datetime(2022, 6, 13, 1, 30, tzinfo=UTC)  # 08.30 WIB on day 1
    for where in ("app.messages.selfservice.utcnow", "app.checkin.services.utcnow", "app.timezones.utcnow",
                  "app.api.schemas.utcnow"):
        monkeypatch.setattr(where, lambda: morning, raising=False)
    budi = make.registration(event, full_name="Budi")
    page = client.get(f"/ubah/{budi.edit_token}").get_data(as_text=True)
    assert "Simpan perubahan" in page and "Ganti peserta" in page
    assert "sampai Anda check-in di meja registrasi, paling lambat Rabu, 15 Juni 2022 00.00 WIB" in page
    # The Kabid's substitute takes the seat on the morning of day 1.
    form = {"full_name": "Citra Lestari", "nip": "", "position": "Analis", "rank": "",
            "organization": str(budi.organization_id), "phone": "0813 2222 3333", "email": "citra@example.go.id",
            "consent": "y"}
    assert client.post(f"/ubah/{budi.edit_token}/ganti", data=form).status_code == 303
    seat = fresh(fresh(budi.id).transferred_to_id)
    assert seat.full_name == "Citra Lestari"
    # Once she has checked in, the seat is hers: no edits, no hand-over, no cancelling by the link.
    assert client.post("/api/v1/checkins", json={"token": seat.ticket_token}, headers=headers).status_code == 201
    page = client.get(f"/ubah/{seat.edit_token}").get_data(as_text=True)
    assert "Anda sudah tercatat hadir" in page and "Simpan perubahan" not in page and "Ganti peserta" not in page
    refused = client.post(f"/ubah/{seat.edit_token}", data=edit_form(seat, full_name="Lain"))
    assert refused.status_code == 422 and "Anda sudah tercatat hadir" in refused.get_data(as_text=True)
    handed = client.post(f"/ubah/{seat.edit_token}/ganti", data=dict(form, full_name="Dedi", email="d@example.go.id"))
    assert handed.status_code == 422 and "Anda sudah tercatat hadir" in handed.get_data(as_text=True)
    client.post(f"/ubah/{seat.edit_token}/batal", data={"confirmed": "yes"})
    assert (fresh(seat.id).full_name, fresh(seat.id).status) == ("Citra Lestari", "registered")
    # Someone who has not come yet still can, on day 2 as well.
    other = make.registration(event, full_name="Eka")
    monkeypatch.setattr("app.messages.selfservice.utcnow", lambda: morning + timedelta(days=1))
    assert client.post(f"/ubah/{other.edit_token}", data=edit_form(other, full_name="Eka Putri")).status_code == 303
    assert fresh(other.id).full_name == "Eka Putri"


def test_changes_close_at_the_committees_time_or_when_the_event_is_over(client, make):
    over = make.event(slug="selesai", dates=(date.today() - timedelta(days=3), date.today() - timedelta(days=2)))
    registration = make.registration(over)
    page = client.get(f"/ubah/{registration.edit_token}").get_data(as_text=True)
    assert "Perubahan data sudah ditutup" in page and "Simpan perubahan" not in page
    refused = client.post(f"/ubah/{registration.edit_token}", data=edit_form(registration, full_name="Lain"))
    assert refused.status_code == 422
    client.post(f"/ubah/{registration.edit_token}/batal", data={"confirmed": "yes"})
    assert fresh(registration.id).full_name != "Lain" and fresh(registration.id).status == "registered"

    later = make.event(slug="nanti", dates=FUTURE)
    later.edits_close_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    other = make.registration(later)
    assert "Perubahan data sudah ditutup. Hubungi panitia." in client.get(
        f"/ubah/{other.edit_token}").get_data(as_text=True)
    closed = client.get(f"/ubah/{other.edit_token}/ganti").get_data(as_text=True)
    assert "Perubahan data sudah ditutup" in closed and "Serahkan kursi" not in closed
    assert changes() == []


def test_the_committee_sees_the_change_history(client, make, auth):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, full_name="Budi Santos")
    client.post(f"/ubah/{registration.edit_token}", data=edit_form(registration, full_name="Budi Santoso"))
    make.user()
    auth.login("admin@example.go.id")
    page = client.get(f"/admin/acara/{event.slug}/peserta/{registration.id}").get_data(as_text=True)
    assert "Riwayat perubahan oleh peserta" in page and "Budi Santos;" not in page and "Budi Santos" in page


def test_the_edit_page_is_kept_out_of_caches_and_referers(client, make):
    registration = make.registration(make.event(dates=FUTURE))
    response = client.get(f"/ubah/{registration.edit_token}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "private, no-store"
