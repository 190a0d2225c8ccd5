"""On a phone: from the ticket to "Data saya", its JSON download, and "Minta hapus"."""
from playwright.sync_api import expect

from app.extensions import db
from app.models import DeletionRequest


def test_a_participant_sees_their_data_and_asks_for_deletion(phone_page, make):
    event = make.event()
    person = make.registration(event, full_name="Siti Aminah", nip="198505052010012003")
    # Data saya needs the edit link, the participant's own key (issue 20), not the ticket.
    phone_page.goto(f"/ubah/{person.edit_token}")
    phone_page.get_by_role("link", name="Data saya").click()
    phone_page.wait_for_url("**/data-saya")
    expect(phone_page.get_by_text("198505052010012003")).to_be_visible()
    expect(phone_page.get_by_text(person.email)).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    with phone_page.expect_download() as download:
        phone_page.get_by_role("link", name="Unduh sebagai JSON").click()
    assert download.value.suggested_filename == f"data-saya-{event.slug}.json"

    phone_page.get_by_role("link", name="Minta hapus").click()
    phone_page.get_by_label("Alasan (boleh dikosongkan)").fill("Saya sudah pindah tugas")
    phone_page.get_by_role("button", name="Kirim permintaan hapus").click()
    phone_page.wait_for_url("**/data-saya")
    expect(phone_page.get_by_text("Menunggu tanggapan panitia.")).to_be_visible()
    assert db.session.execute(db.select(DeletionRequest.reason)).scalar_one() == "Saya sudah pindah tugas"

    phone_page.get_by_role("link", name="Pemberitahuan privasi").click()
    expect(phone_page.get_by_text("Pemerintah Kota Uji").first).to_be_visible()
