"""In Chromium on a phone: the OPD search by alias, a full OPD marked, the edit link's page."""
from datetime import date

from playwright.sync_api import expect

from app.events.services import add_organizations_to_event, upsert_organizations
from app.extensions import db
from app.models import Registration

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


def _kota_opds(event):
    found = upsert_organizations([
        {"short_name": "Diskominfo", "name": "Dinas Komunikasi dan Informatika", "kind": "dinas"},
        {"short_name": "Dinkes", "name": "Dinas Kesehatan", "kind": "dinas"},
        {"short_name": "BPBD", "name": "Badan Penanggulangan Bencana Daerah", "kind": "badan"},
    ], event.tenant)
    add_organizations_to_event(event, found)
    db.session.commit()
    return found


def test_diskominfo_finds_dinas_komunikasi_dan_informatika(phone_page, make):
    event = make.event(opds=0)
    kominfo, _dinkes, _bpbd = _kota_opds(event)
    phone_page.goto("/e/bimtek-uji/daftar")
    phone_page.get_by_placeholder("Ketik untuk mencari OPD…").fill("diskominfo")
    assert phone_page.locator("#organization").input_value() == str(kominfo.id)
    shown = phone_page.locator("#organization option:not([hidden])").all_inner_texts()
    assert [text.strip().split(" · ")[0] for text in shown[1:]] == ["Dinas Komunikasi dan Informatika (Diskominfo)"]
    phone_page.get_by_placeholder("Ketik untuk mencari OPD…").fill("bencana")
    assert phone_page.locator("#organization").input_value() == str(_bpbd.id)


def test_a_full_opd_is_marked_and_cannot_be_chosen(phone_page, make):
    event = make.event(opds=0, quota=1)
    kominfo, dinkes, _bpbd = _kota_opds(event)
    make.registration(event, kominfo)
    phone_page.goto("/e/bimtek-uji/daftar")
    option = phone_page.locator(f'#organization option[value="{kominfo.id}"]')
    assert "penuh" in option.inner_text()
    assert option.evaluate("o => o.disabled")
    # Typing its alias leaves it shown, marked and still not chosen.
    phone_page.get_by_placeholder("Ketik untuk mencari OPD…").fill("kominfo")
    assert option.evaluate("o => !o.hidden && o.disabled")
    assert phone_page.locator("#organization").input_value() == ""
    assert "sisa 1 tempat" in phone_page.locator(f'#organization option[value="{dinkes.id}"]').inner_text()


def test_the_edit_page_corrects_a_name_and_hands_over_the_seat(phone_page, make, live_server):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, full_name="Budi Santos")
    phone_page.goto(f"/ubah/{registration.edit_token}")
    assert phone_page.get_by_label("Nama lengkap").input_value() == "Budi Santos"
    phone_page.get_by_label("Nama lengkap").fill("Budi Santoso, S.Kom.")
    phone_page.get_by_role("button", name="Simpan perubahan").click()
    saved = phone_page.get_by_text("Data Anda disimpan.")
    saved.wait_for()  # the page after the POST: is_visible() alone does not wait for it
    expect(saved).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).full_name == "Budi Santoso, S.Kom."

    phone_page.get_by_role("link", name="Ganti peserta").click()
    phone_page.wait_for_url("**/ganti")  # the edit page left behind has the same fields
    phone_page.get_by_label("Nama lengkap").fill("Citra Lestari")
    phone_page.get_by_label("Jabatan").fill("Analis")
    phone_page.get_by_label("Nomor HP (WhatsApp)").fill("0813 2222 3333")
    phone_page.get_by_label("E-mail").fill("citra@example.go.id")
    phone_page.get_by_label("Saya setuju").check()
    phone_page.get_by_role("button", name="Serahkan kursi dan buat tiket baru").click()
    # A seat handed over is a new person (issue 20): the device that handed it over sees a confirmation on
    # its own edit page, never the colleague's ticket; Citra gets hers at her own e-mail.
    phone_page.get_by_text("Kursi Anda sudah diserahkan kepada Citra Lestari").wait_for()
    assert "/tiket/" not in phone_page.url
    db.session.expire_all()
    old = db.session.get(Registration, registration.id)
    citra = db.session.get(Registration, old.transferred_to_id)
    assert (old.status, old.full_name, citra.full_name) == ("transferred", "Budi Santoso, S.Kom.", "Citra Lestari")
    assert citra.ticket_token not in phone_page.content()


def test_opening_a_whatsapp_message_marks_it_sent(browser, live_server, make):
    from playwright.sync_api import expect

    from app.models import OutboxMessage
    from tests.factories import PASSWORD

    event = make.event()
    registration = make.registration(event, full_name="Budi Santoso", phone="+6281211112222")
    make.user()
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    # wa.me is out of reach here: the new tab goes there through the app's redirect (the message built at
    # the click), and the request it makes is what counts, with the marking.
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/masuk/?next=/admin/acara/bimtek-uji/peserta")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/admin/acara/bimtek-uji/peserta")
        page.get_by_role("button", name="Kirim tiket (WhatsApp)").click()
        page.wait_for_url("**/admin/acara/bimtek-uji/pesan#pesan-*")
        row = page.locator("[data-message]").first
        expect(row).to_contain_text("Budi Santoso")
        with context.expect_page() as opened:
            row.get_by_role("link", name="Buka WhatsApp").click()
        opened.value.wait_for_load_state()
        assert any(url.startswith("https://wa.me/6281211112222?text=") for url in requested)
        expect(row.locator(".state")).to_have_text("terkirim")
        db.session.expire_all()
        message = db.session.execute(db.select(OutboxMessage)).scalar_one()
        assert message.status == "sent" and message.registration_id == registration.id
    finally:
        context.close()


def test_a_seat_handed_over_after_the_page_was_opened_is_never_opened_with_the_old_data(browser, live_server, make):
    """Issue 22: the list was written, then the seat changed hands; the button opened the old number with a
    ticket link that was now 404. The message is built at the click."""

    from playwright.sync_api import expect

    from app.messages.selfservice import replace
    from tests.factories import PASSWORD

    event = make.event(dates=FUTURE)
    registration = make.registration(event, full_name="Budi Santoso", phone="+6281211112222")
    old_ticket = registration.ticket_token
    make.user()
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/masuk/?next=/admin/acara/bimtek-uji/peserta")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/admin/acara/bimtek-uji/peserta")
        page.get_by_role("button", name="Kirim tiket (WhatsApp)").click()
        page.wait_for_url("**/admin/acara/bimtek-uji/pesan#pesan-*")
        row = page.locator("[data-message]").first
        expect(row).to_contain_text("Budi Santoso")
        # While the page is open, Budi hands his seat to Citra (through his edit link, elsewhere).
        replace(db.session.get(Registration, registration.id),
                {"full_name": "Citra Lestari", "nip": None, "position": "Analis", "rank": None,
                 "phone": "+6281322223333", "email": "citra@example.go.id"})
        db.session.commit()
        # Citra is a new person with her own registration (issue 20): Budi's message is never opened with his
        # old number and dead ticket; the page says why instead.
        with context.expect_page() as opened:
            row.get_by_role("link", name="Buka WhatsApp").click()
        opened.value.wait_for_load_state()
        assert not [url for url in requested if url.startswith("https://wa.me/")]
        expect(opened.value.get_by_role("alert")).to_contain_text("Kursi ini sudah dialihkan ke rekan")
        assert old_ticket not in opened.value.content()
    finally:
        context.close()
