from pathlib import Path

from playwright.sync_api import expect

from app.extensions import db
from app.models import Material
from tests import materials_support as samples

ADMIN = "admin@example.go.id"


def test_an_admin_uploads_a_pdf_and_a_participant_downloads_it_from_the_ticket(browser, live_server, phone_page,
                                                                               make, tmp_path):
    event = make.event()
    item = samples.session(event, "Paparan Masterplan Smart City")
    make.user(ADMIN, "admin")
    registration = make.registration(event, full_name="Siti Aminah")
    pdf = samples.pdf(b"Paparan sesi 1")

    laptop = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = laptop.new_page()
    page.set_default_timeout(10_000)
    page.goto("/masuk/?next=/admin/acara/bimtek-uji/materi")
    page.get_by_label("E-mail").fill(ADMIN)
    page.get_by_label("Kata sandi").fill(make.PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/admin/acara/bimtek-uji/materi")

    page.get_by_label("Berkas", exact=True).set_input_files(
        [{"name": "Paparan Kadis.pdf", "mimeType": "application/pdf", "buffer": pdf}])
    title = page.get_by_label("Judul: Paparan Kadis.pdf")
    assert title.input_value() == "Paparan Kadis"  # the title defaults to the file name
    title.fill("Paparan Kepala Dinas Kominfo")
    page.get_by_label("Sesi", exact=True).select_option(label="08.00 · Paparan Masterplan Smart City")
    page.get_by_role("button", name="Unggah", exact=True).click()
    expect(page.get_by_text("1 berkas diunggah.")).to_be_visible()
    expect(page.locator(f"#grup-{item.id}").get_by_text("Paparan Kepala Dinas Kominfo")).to_be_visible()
    laptop.close()

    material = db.session.execute(db.select(Material)).scalar_one()
    assert material.visibility == "participants"

    phone_page.goto(f"/tiket/{registration.ticket_token}")
    link = phone_page.get_by_role("link", name="Paparan Kepala Dinas Kominfo")
    expect(link).to_be_visible()
    expect(phone_page.get_by_text("PDF · ").first).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    with phone_page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Paparan Kadis.pdf"
    saved = tmp_path / "unduhan.pdf"
    download.save_as(saved)
    assert Path(saved).read_bytes() == pdf
