import re
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import Registration
from tests.registration_support import URL, errors_on, form_data


def registrations():
    return db.session.execute(db.select(Registration)).scalars().all()


def test_event_page_shows_the_event_in_indonesian(client, make):
    make.event()
    page = client.get("/e/bimtek-uji").get_data(as_text=True)
    assert "Bimtek Uji Coba" in page
    assert "13–14 Juni 2022" in page
    assert "Senin, 13 Juni 2022" in page
    assert "Pendaftaran dibuka" in page


def test_registering_stores_clean_data_and_leads_to_the_ticket(client, make):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    response = client.post(URL, data=form_data(organization))
    assert response.status_code == 303
    [registration] = registrations()
    assert response.headers["Location"].startswith(f"/tiket/{registration.ticket_token}")
    assert registration.nip == "198001012005011001"
    assert registration.phone == "+6281234567890"
    assert registration.email == "budi@serangkota.go.id"
    assert registration.organization_id == organization.id
    ticket = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Budi Santoso, S.Kom." in ticket and organization.name in ticket


def test_bad_input_keeps_the_form_as_typed_and_stores_nothing(client, make):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    response = client.post(URL, data=form_data(organization, nip="12345", phone="12", email="budi@", consent=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Budi Santoso, S.Kom."' in page and 'value="12345"' in page
    assert len(errors_on(response)) == 4
    # The summary names each field, but a checkbox's label is a sentence: its error stands alone.
    assert '<a href="#consent">Persetujuan diperlukan untuk mendaftar.</a>' in page
    assert '<a href="#nip">NIP: ' in page
    assert registrations() == []


def test_duplicate_nip_and_email_are_refused_with_a_message(client, make):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    assert client.post(URL, data=form_data(organization)).status_code == 303
    same_email = client.post(URL, data=form_data(organization, nip="", email="budi@serangkota.go.id"))
    assert errors_on(same_email) == ["E-mail ini sudah terdaftar di acara ini."]
    same_nip = client.post(URL, data=form_data(organization, email="lain@serangkota.go.id"))
    assert errors_on(same_nip) == ["NIP ini sudah terdaftar di acara ini."]
    assert len(registrations()) == 1


def test_the_same_person_may_register_for_another_event(client, make):
    first = make.event()
    make.event(slug="bimtek-lain")
    organization = make.event_organization_list(first)[0]
    assert client.post(URL, data=form_data(organization)).status_code == 303
    assert client.post("/e/bimtek-lain/daftar", data=form_data(organization)).status_code == 303
    assert len(registrations()) == 2


def test_a_full_quota_is_refused(client, make):
    event = make.event(quota=1)
    organization = make.event_organization_list(event)[0]
    make.registration(event, organization)
    response = client.post(URL, data=form_data(organization))
    assert response.status_code == 422
    assert errors_on(response) == ["Kuota peserta untuk OPD ini sudah penuh. Hubungi panitia."]
    assert len(registrations()) == 1


def test_an_organization_outside_the_event_is_refused(client, make):
    make.event(opds=1)
    outsider = make.organizations(2)[1]
    response = client.post(URL, data=form_data(outsider))
    assert errors_on(response) == ["Pilih OPD dari daftar."]
    assert registrations() == []


def test_registration_not_yet_open_or_closed(client, make):
    now = datetime.now(UTC)
    event = make.event(registration_opens_at=now + timedelta(days=1))
    organization = make.event_organization_list(event)[0]
    response = client.post(URL, data=form_data(organization))
    assert "Pendaftaran belum dibuka." in response.get_data(as_text=True)
    event.registration_opens_at = None
    event.registration_closes_at = now - timedelta(minutes=1)
    db.session.commit()
    response = client.post(URL, data=form_data(organization))
    assert "Pendaftaran sudah ditutup." in response.get_data(as_text=True)
    assert "Pendaftaran sudah ditutup." in client.get("/e/bimtek-uji").get_data(as_text=True)
    assert registrations() == []


def test_unknown_event_is_404(client):
    assert client.get("/e/tidak-ada").status_code == 404
    assert client.get("/e/tidak-ada/daftar").status_code == 404


def test_csrf_is_required_when_enabled(app, client, make):
    app.config["WTF_CSRF_ENABLED"] = True
    event = make.event()
    organization = make.event_organization_list(event)[0]
    refused = client.post(URL, data=form_data(organization))
    assert refused.status_code == 400
    page = client.get(URL).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(URL, data=form_data(organization, csrf_token=token))
    assert accepted.status_code == 303


def test_english_on_request(client, make):
    make.event()
    page = client.get(URL + "?lang=en").get_data(as_text=True)
    assert "Participant registration form" in page and "Full name" in page
    client.get("/bahasa/en")
    assert "Register now" in client.get("/e/bimtek-uji").get_data(as_text=True)
    client.get("/bahasa/id")
    assert "Daftar sekarang" in client.get("/e/bimtek-uji").get_data(as_text=True)


def test_the_same_nip_in_full_width_digits_is_a_duplicate(client, make):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    make.registration(event, nip="198505052010012003")
    response = client.post(URL, data=form_data(organization, nip="１９８５０５０５２０１００１２００３"))
    assert response.status_code == 422
    assert "NIP ini sudah terdaftar di acara ini." in response.get_data(as_text=True)
