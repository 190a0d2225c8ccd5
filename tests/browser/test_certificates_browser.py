"""The certificate page in Chromium: the preview is laid out like the PDF and follows the settings as typed."""
from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_the_preview_shows_a_real_participant_and_follows_the_form(browser, live_server, make, tmp_path):
    event = make.event()
    make.user()
    make.registration(event, full_name="Dr. Siti Rahmawati, S.Kom.")
    page = browser.new_page(base_url=live_server, viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    errors = []
    try:
        page.goto(f"/admin/acara/{event.slug}/sertifikat")
        page.wait_for_url("**/masuk/**")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"**/admin/acara/{event.slug}/sertifikat")
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.reload()
        preview = page.locator("#cert-preview")
        expect(preview).to_have_attribute("data-ready", "1")
        expect(preview).to_contain_text("Dr. Siti Rahmawati, S.Kom.")
        expect(preview).to_contain_text("SERTIFIKAT")

        page.get_by_label("Pola nomor").fill("800/{seq:03d}/Diskominfo/{year}")
        page.get_by_label("Nama penanda tangan").fill("H. Ahmad Suhendar")
        page.get_by_label("JP (isi untuk mengganti hitungan agenda)").fill("32")
        number = preview.locator('[data-line="number"]')
        expect(number).to_have_text("Nomor: 800/001/Diskominfo/" + number.inner_text().rsplit("/", 1)[-1])
        assert number.inner_text().startswith("Nomor: 800/001/Diskominfo/20")
        expect(preview.locator('[data-line="signer_name"]')).to_have_text("H. Ahmad Suhendar")
        expect(preview.locator('[data-line="details"]')).to_contain_text("sejumlah 32 JP")

        # Laid out like the page: A4 landscape, the name above the body, the signer right of the QR.
        box = preview.bounding_box()
        assert abs(box["width"] / box["height"] - 297 / 210) < 0.02
        name = page.locator(".cp-name").bounding_box()
        body = page.locator(".cp-body").bounding_box()
        signer = page.locator(".cp-signer").bounding_box()
        qr = page.locator(".cp-qr").bounding_box()
        assert name["y"] + name["height"] <= body["y"] + 1
        assert qr["x"] + qr["width"] < signer["x"]
        for part in (name, body, signer, qr):
            assert box["x"] <= part["x"] and part["x"] + part["width"] <= box["x"] + box["width"] + 1
            assert part["y"] + part["height"] <= box["y"] + box["height"] + 1

        # Moving a block in the form moves it in the preview: the QR to the top right.
        page.locator("details.positions summary").click()
        page.get_by_label("Kode QR: X (mm)").fill("250")
        page.get_by_label("Kode QR: Y (mm)").fill("150")
        expect(page.locator(".cp-qr")).to_have_attribute("data-x", "250")
        qr = page.locator(".cp-qr").bounding_box()
        assert abs((qr["x"] + qr["width"] / 2 - box["x"]) / box["width"] - 250 / 297) < 0.03
        assert qr["y"] + qr["height"] < box["y"] + box["height"] / 2
        page.screenshot(path=str(tmp_path / "certificate-preview.png"), full_page=True)
        assert errors == []
    finally:
        page.close()


def test_issuing_and_the_zip_show_progress_and_download(browser, live_server, make, tmp_path):
    import zipfile

    from app.extensions import db
    from tests.certificates_support import attend

    event = make.event()
    make.user()
    for organization in make.event_organization_list(event):
        attend(make.registration(event, organization), *event.days)
    db.session.commit()
    page = browser.new_page(base_url=live_server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.set_default_timeout(15_000)
    try:
        page.goto(f"/admin/acara/{event.slug}/sertifikat")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.get_by_role("button", name="Terbitkan sertifikat (3 baru)").click()
        expect(page.locator("#count-active")).to_have_text("3")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Unduh semua (ZIP)").click()
        expect(page.locator("#bulk-progress")).to_have_text("ZIP selesai dan diunduh.")
        path = tmp_path / "sertifikat.zip"
        download_info.value.save_as(path)
        assert download_info.value.suggested_filename == f"sertifikat-{event.slug}.zip"
        with zipfile.ZipFile(path) as archive:
            assert len(archive.namelist()) == 3
    finally:
        page.close()


def test_a_refused_save_takes_the_focus_to_what_is_wrong_and_keeps_the_signature(browser, live_server, make, tmp_path):
    """Issue 22: the settings form failed silently, the focus at the top, the signature to be chosen again."""
    from app.certificates.settings import certificate_settings
    from app.extensions import db
    from tests.certificates_support import png_bytes

    event = make.event()
    make.user()
    signature = tmp_path / "ttd.png"
    signature.write_bytes(png_bytes())
    page = browser.new_page(base_url=live_server, viewport={"width": 390, "height": 844})
    page.set_default_timeout(10_000)
    try:
        page.goto(f"/admin/acara/{event.slug}/sertifikat")
        page.wait_for_url("**/masuk/**")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"**/admin/acara/{event.slug}/sertifikat")
        page.get_by_label("Nama penanda tangan").fill("H. Ahmad Suhendar")
        page.get_by_label("NIP penanda tangan").fill("19780312 199703 3 002")  # the 15th digit is wrong
        page.get_by_label("Tanda tangan/cap (PNG)").set_input_files(str(signature))
        page.get_by_role("button", name="Simpan pengaturan").click()
        summary = page.locator("#error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("NIP penanda tangan: Angka ke-15 NIP (jenis kelamin) harus 1 atau 2.")
        expect(summary).to_be_focused()
        expect(page.locator("#ttd-tersimpan")).to_be_visible()
        # Corrected as a person types it, with spaces; the signature is not chosen again.
        page.get_by_label("NIP penanda tangan").fill("19780312 199703 1 002")
        page.get_by_role("button", name="Simpan pengaturan").click()
        expect(page.get_by_text("Pengaturan sertifikat disimpan.")).to_be_visible()
        db.session.expire_all()
        settings = certificate_settings(event)
        assert settings.signer_nip == "197803121997031002" and settings.signer_image
    finally:
        page.close()


def test_issuing_before_the_end_asks_on_a_phone_and_back_changes_nothing(axe_context, make):
    """Issue 22: certificates were issued on day 1 without a word. The question fits a phone and passes axe."""
    from datetime import date, timedelta

    from app.extensions import db
    from app.models import Certificate, CertificateSettings
    from tests.browser.axe_walk import violations
    from tests.certificates_support import attend

    event = make.event(slug="berjalan", dates=(date.today(), date.today() + timedelta(days=1)))
    db.session.add(CertificateSettings(event_id=event.id, min_days=1, jp_rounding="down", require_evaluation=False,
                                       number_pattern="800/{seq:03d}/Diskominfo/{year}", signer_name="",
                                       signer_nip="", signer_position="", layout="", issue_place="", seq_start=1))
    db.session.commit()
    attend(make.registration(event, full_name="Dr. Siti Rahmawati, S.Kom."), event.days[0])
    make.user()
    page = axe_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"/masuk/?next=/admin/acara/{event.slug}/sertifikat")
    page.get_by_label("E-mail").fill("admin@example.go.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/admin/acara/{event.slug}/sertifikat")
    page.get_by_role("button", name="Terbitkan sertifikat (1 baru)").click()
    expect(page.get_by_role("heading", name="Terbitkan sertifikat sebelum acara selesai?")).to_be_visible()
    expect(page.locator("#akan-terbit")).to_contain_text("Dr. Siti Rahmawati, S.Kom.")
    expect(page.locator("#akan-terbit")).to_contain_text("1 dari 2 hari")
    expect(page.locator("#nomor-tetap")).to_contain_text("Nomor sertifikat bersifat tetap.")
    assert violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="Kembali, tunggu sampai acara selesai").click()
    page.wait_for_url(f"**/admin/acara/{event.slug}/sertifikat")
    assert db.session.execute(db.select(Certificate)).first() is None
    page.get_by_role("button", name="Terbitkan sertifikat (1 baru)").click()
    page.get_by_role("button", name="Ya, terbitkan 1 sertifikat sekarang").click()
    expect(page.get_by_text("1 sertifikat baru diterbitkan.")).to_be_visible()
    db.session.expire_all()
    assert [c.full_name for c in db.session.execute(db.select(Certificate)).scalars()] == [
        "Dr. Siti Rahmawati, S.Kom."]
