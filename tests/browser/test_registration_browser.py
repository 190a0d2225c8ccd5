from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration


def test_a_participant_registers_on_a_phone_and_gets_a_qr_ticket(phone_page, make, live_server):
    event = make.event()
    phone_page.goto("/e/bimtek-uji")
    expect(phone_page.get_by_text("Pendaftaran dibuka")).to_be_visible()
    phone_page.get_by_role("link", name="Daftar sekarang").click()

    phone_page.get_by_label("Nama lengkap").fill("Siti Aminah, S.T.")
    phone_page.get_by_label("NIP").fill("19850505 201001 2 003")
    phone_page.get_by_label("Jabatan").fill("Kepala Seksi Aplikasi Informatika")
    phone_page.get_by_placeholder("Ketik untuk mencari OPD…").fill("contoh 2")
    assert phone_page.locator("#organization").input_value() == str(make.event_organization_list(event)[1].id)
    phone_page.get_by_label("Nomor HP (WhatsApp)").fill("0813 1111 2222")
    phone_page.get_by_label("E-mail").fill("siti@serangkota.go.id")
    phone_page.get_by_label("Saya setuju").check()
    phone_page.get_by_role("button", name="Daftar dan ambil tiket").click()

    phone_page.wait_for_url("**/tiket/**")
    expect(phone_page.get_by_text("Pendaftaran berhasil")).to_be_visible()
    expect(phone_page.get_by_text("Siti Aminah, S.T.")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Simpan gambar tiket (PNG)")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Kirim ke nomor WhatsApp saya sendiri")).to_be_visible()
    qr = phone_page.get_by_alt_text("Kode QR tiket")
    expect(qr).to_be_visible()
    # The image really loaded (a broken image has no natural width).
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    # Nothing overflows the phone's width.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    registration = db.session.execute(db.select(Registration)).scalar_one()
    assert registration.phone == "+6281311112222"
    assert phone_page.url.startswith(f"{live_server}/tiket/{registration.ticket_token}")


def test_a_mistake_is_shown_in_indonesian_and_the_form_keeps_what_was_typed(phone_page, make):
    make.event()
    phone_page.goto("/e/bimtek-uji/daftar")
    phone_page.get_by_label("Nama lengkap").fill("Ahmad Fauzi")
    phone_page.get_by_label("NIP").fill("123")
    phone_page.get_by_role("button", name="Daftar dan ambil tiket").click()
    expect(phone_page.locator("#nip-error").get_by_text("NIP harus 18 angka")).to_be_visible()  # and in the summary
    assert phone_page.get_by_label("Nama lengkap").input_value() == "Ahmad Fauzi"
    expect(phone_page.locator("#consent-error").get_by_text("Persetujuan diperlukan untuk mendaftar.")).to_be_visible()


def test_a_name_with_no_space_in_it_wraps_on_the_ticket(phone_page, make):
    """A name typed as one long word (a paste gone wrong, a URL) wraps on a phone instead of running off
    the ticket card."""
    event = make.event()
    registration = make.registration(event, full_name="Siti" + "Rahmawati" * 6)
    phone_page.goto(f"/tiket/{registration.ticket_token}")
    name = phone_page.locator(".ticket-name")
    expect(name).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert name.evaluate("el => el.scrollWidth <= el.clientWidth")
