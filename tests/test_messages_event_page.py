"""The registration form and event page: OPD search and places left, map, calendar, link preview,
favicon, registration closing by itself; the ticket page's downloads and a cancelled ticket."""
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from app.events.opd_search import search_text
from app.events.services import add_agenda_item, upsert_organizations
from app.extensions import db
from app.models import Event
from tests.registration_support import URL, form_data

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


def test_the_opd_search_knows_short_names_and_common_aliases():
    assert "diskominfo" in search_text("Diskominfo", "Dinas Komunikasi dan Informatika")
    assert "kominfo" in search_text(None, "Dinas Komunikasi dan Informatika Kota Serang")
    assert "bappeda" in search_text("Bappeda", "Badan Perencanaan Pembangunan Daerah")
    assert "bpbd" in search_text(None, "Badan Penanggulangan Bencana Daerah")
    assert "satpol pp" in search_text(None, "Satuan Polisi Pamong Praja")
    assert "disdukcapil" in search_text(None, "Dinas Kependudukan dan Pencatatan Sipil")
    assert "kecserang" in search_text("Kec. Serang", "Kecamatan Serang")
    assert "diskominfo" not in search_text("Dinkes", "Dinas Kesehatan")


def test_each_opd_shows_places_left_and_a_full_one_cannot_be_chosen(client, make):
    event = make.event(quota=1)
    first, second = make.event_organization_list(event)[:2]
    make.registration(event, first)
    page = client.get(URL).get_data(as_text=True)
    full_option = page.split(f'<option value="{first.id}"')[1].split("</option>")[0]
    open_option = page.split(f'<option value="{second.id}"')[1].split("</option>")[0]
    assert "disabled" in full_option and 'data-full="1"' in full_option and "penuh" in full_option
    assert "disabled" not in open_option and "sisa 1 tempat" in open_option
    # Chosen anyway (a stale page): the database still refuses it.
    response = client.post(URL, data=form_data(first))
    assert response.status_code == 422 and "sudah penuh" in response.get_data(as_text=True)


def test_the_option_carries_its_aliases(client, make):
    event = make.event()
    [kominfo] = upsert_organizations([{"short_name": "Diskominfo", "name": "Dinas Komunikasi dan Informatika",
                                       "kind": "dinas"}], event.tenant)
    from app.events.services import add_organizations_to_event

    add_organizations_to_event(event, [kominfo])
    db.session.commit()
    page = client.get(URL).get_data(as_text=True)
    option = page.split(f'<option value="{kominfo.id}"')[1].split("</option>")[0]
    assert "kominfo" in option and "diskominfo" in option


def test_the_event_page_has_paragraphs_map_calendar_preview_meta_and_contact(client, make):
    event = make.event(description="Paragraf satu.\n\nParagraf dua\nbaris dua.", contact_name="Rina",
                       contact_phone="+6281277778888")
    page = client.get("/e/bimtek-uji").get_data(as_text=True)
    assert "<p>Paragraf satu.</p><p>Paragraf dua\nbaris dua.</p>" in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=Hotel%20Uji%2C%20Serang" in page
    assert 'href="/e/bimtek-uji/kalender.ics"' in page
    assert '<meta property="og:title" content="Bimtek Uji Coba">' in page
    summary = "13–14 Juni 2022 · Hotel Uji, Serang · Diskominfo Kota Uji"
    assert f'<meta property="og:description" content="{summary}">' in page
    assert 'rel="icon"' in page
    assert "https://wa.me/6281277778888" in page and "Rina" in page
    assert event.contact_name == "Rina"


def test_the_calendar_file_has_both_days(client, make):
    event = make.event()
    add_agenda_item(event, event.days[0], "07:30", "16:30", "Hari pertama")
    db.session.commit()
    response = client.get("/e/bimtek-uji/kalender.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.count("BEGIN:VEVENT") == 2 and "\r\n" in text
    assert "DTSTART:20220613T003000Z" in text and "DTEND:20220613T093000Z" in text  # 07.30–16.30 WIB
    assert "DTSTART:20220614T010000Z" in text  # no agenda: 08.00 WIB
    assert "SUMMARY:Bimtek Uji Coba (Hari 2)" in text and "LOCATION:Hotel Uji\\, Serang" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert client.get("/e/tidak-ada/kalender.ics").status_code == 404


def test_the_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")


def test_registration_closes_by_itself_when_the_last_day_ends(client, make):
    event = make.event(registration_closes_at=None)
    organization = make.event_organization_list(event)[0]
    assert event.last_day_ends_at == datetime(2022, 6, 14, 17, 0, tzinfo=UTC)  # 15 June 00.00 WIB
    assert "Pendaftaran sudah ditutup" in client.get("/e/bimtek-uji").get_data(as_text=True)
    assert client.post(URL, data=form_data(organization)).status_code == 422
    # Unless the committee set another time.
    event.registration_closes_at = datetime.now(UTC) + timedelta(days=1)
    db.session.commit()
    assert client.post(URL, data=form_data(organization)).status_code == 303


def test_an_upcoming_event_shows_when_registration_closes(client, make):
    make.event(dates=FUTURE, registration_closes_at=None)
    page = client.get("/e/bimtek-uji").get_data(as_text=True)
    assert "Pendaftaran dibuka" in page and "ditutup Sabtu, 15 Juni 2030 00.00 WIB" in page


def test_the_demo_s_live_event_is_seeded_open_and_the_finished_one_closed(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    states = {event.slug: event.registration_state(datetime.now(UTC))
              for event in db.session.execute(db.select(Event)).scalars()}
    assert states == {"bimtek-smart-city-serang-tahap-2": "open", "bimtek-smart-city-serang-2022": "closed"}


def test_a_cancelled_ticket_shows_no_qr_and_no_share_buttons(client, make):
    registration = make.registration(make.event())
    token = registration.ticket_token
    active = client.get(f"/tiket/{token}").get_data(as_text=True)
    assert "Simpan gambar tiket (PNG)" in active and f"/tiket/{token}/qr.png" in active
    registration.status = "cancelled"
    db.session.commit()
    page = client.get(f"/tiket/{token}").get_data(as_text=True)
    assert "Pendaftaran ini dibatalkan" in page
    assert "qr.png" not in page and "tiket.png" not in page and "/whatsapp" not in page and "Salin" not in page
    for path in ("qr.png", "qr.svg", "tiket.png", "whatsapp"):
        assert client.get(f"/tiket/{token}/{path}").status_code == 404


def test_the_whatsapp_button_goes_to_the_participants_own_number(client, make):
    registration = make.registration(make.event(), phone="+6281399990000")
    response = client.get(f"/tiket/{registration.ticket_token}/whatsapp")
    assert response.status_code == 302
    parts = urlsplit(response.headers["Location"])
    assert (parts.netloc, parts.path) == ("wa.me", "/6281399990000")
    assert f"http://localhost/tiket/{registration.ticket_token}" in parse_qs(parts.query)["text"][0]
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Kirim ke nomor WhatsApp saya sendiri" in page and "6281399990000" not in page
