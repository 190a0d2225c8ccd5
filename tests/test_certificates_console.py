"""The committee's "Sertifikat" page: settings, the signature image, issuing, revoking, re-issuing, the ZIP."""
import io
import json
import threading
import zipfile
from datetime import date

from PIL import Image

from app.certificates.issuing import active_certificate, event_certificates, issue_certificates
from app.certificates.settings import certificate_settings
from app.extensions import db
from tests.certificates_support import attend, pdf_page_image, png_bytes, qr_texts, settings_form, sign_in_admin


def test_only_admins_reach_the_page(make, client, auth):
    event = make.event()
    url = f"/admin/acara/{event.slug}/sertifikat"
    assert client.get(url).status_code in (302, 401)
    make.user("op@example.go.id", role="operator")
    auth.login("op@example.go.id")
    # Outside one's scope an event's pages do not exist (app/tenants/access.py).
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/terbitkan").status_code == 404
    assert client.get(f"/admin/acara/{event.slug}/sertifikat.zip").status_code == 404


def test_settings_are_saved_and_a_bad_pattern_is_refused(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    page = client.get(url)
    assert page.status_code == 200 and "Sertifikat" in page.get_data(as_text=True)
    refused = client.post(url, data=settings_form(number_pattern="800/{nama}/{year}"))
    assert refused.status_code == 422 and "{seq}" in refused.get_data(as_text=True)
    assert client.post(url, data=settings_form(signer_nip="123")).status_code == 422
    saved = client.post(url, data=settings_form(min_days="1", jp_override="32"))
    assert saved.status_code == 303
    settings = certificate_settings(event)
    assert (settings.min_days, settings.jp_override, settings.number_pattern, settings.issue_place) == (
        1, 32, "800/{seq:03d}/Diskominfo/{year}", "Serang")
    assert client.get(url).status_code == 200


def test_the_signature_image_must_really_be_a_png(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    fake = settings_form(signer_image=(io.BytesIO(b"<script>alert(1)</script>"), "ttd.png"))
    refused = client.post(url, data=fake, content_type="multipart/form-data")
    assert refused.status_code == 422 and "PNG" in refused.get_data(as_text=True)
    assert certificate_settings(event).signer_image is None
    good = settings_form(signer_image=(io.BytesIO(png_bytes()), "ttd.png"))
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 303
    assert certificate_settings(event).signer_image
    image = client.get(f"{url}/gambar/{certificate_settings(event).signer_image}.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert client.get(f"{url}/gambar/{'0' * 32}.png").status_code == 404


def test_issue_revoke_reissue_and_download_from_the_page(app, make, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    client.post(url, data=settings_form())
    organizations = make.event_organization_list(event)
    people = [make.registration(event, organizations[i]) for i in range(3)]
    for person in people[:2]:
        attend(person, *event.days)
    assert client.post(f"{url}/terbitkan").status_code == 303
    first, second = event_certificates(event)
    assert [c.number for c in (first, second)] == ["800/001/Diskominfo/2022", "800/002/Diskominfo/2022"]
    page = client.get(url).get_data(as_text=True)
    assert "800/001/Diskominfo/2022" in page

    assert client.post(f"{url}/{first.id}/cabut", data={"reason": " "}).status_code == 303
    db.session.refresh(first)
    assert first.revoked_at is None
    people[1].full_name = "Nama Yang Benar"
    db.session.commit()
    assert "Nama dikoreksi: Nama Yang Benar" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/{second.id}/terbitkan-ulang", data={"reason": "Koreksi nama"}).status_code == 303
    renewed = active_certificate(people[1])
    assert (renewed.number, renewed.full_name) == ("800/003/Diskominfo/2022", "Nama Yang Benar")
    assert client.post(f"{url}/{first.id}/cabut", data={"reason": "Tidak hadir sebenarnya"}).status_code == 303
    db.session.refresh(first)
    assert first.revoked_at is not None

    single = client.get(f"{url}/{renewed.id}.pdf")
    assert single.status_code == 200 and single.data.startswith(b"%PDF-")
    assert qr_texts(pdf_page_image(single.data)) == [f"https://hadir.example.go.id/verifikasi/{renewed.code}"]
    other = make.event(slug="lain")
    assert client.get(f"/admin/acara/{other.slug}/sertifikat/{renewed.id}.pdf").status_code == 404

    response = client.get(f"/admin/acara/{event.slug}/sertifikat.zip")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["X-Certificate-Count"] == "1"
    assert response.headers["Content-Disposition"] == f'attachment; filename="sertifikat-{event.slug}.zip"'
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        assert archive.namelist() == ["800-003-Diskominfo-2022 - Nama Yang Benar.pdf"]


def test_preview_pdf_uses_a_real_participant_and_issues_nothing(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    assert client.get(f"{url}/pratinjau.pdf").status_code == 404
    person = make.registration(event, full_name="Siti Pratinjau")
    response = client.get(f"{url}/pratinjau.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert event_certificates(event) == []
    assert "Siti Pratinjau" in client.get(url).get_data(as_text=True)
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    assert len(event_certificates(event)) == 1


def test_the_workbook_gets_a_sertifikat_sheet_once_certificates_exist(make, client, auth):
    from openpyxl import load_workbook

    event = make.event()
    sign_in_admin(make, auth)
    person = make.registration(event, full_name="=HYPERLINK(\"x\")", nip="198001012006041001")
    attend(person, *event.days)
    before = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert "Sertifikat" not in before.sheetnames
    settings = certificate_settings(event)
    settings.issue_date = date(2022, 6, 14)  # the "Tanggal terbit" printed on them, not today
    db.session.add(settings)
    issue_certificates(event)
    db.session.commit()
    certificate = active_certificate(person)
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert workbook.sheetnames[-1] == "Sertifikat"
    sheet = workbook["Sertifikat"]
    header = [cell.value for cell in sheet[6]]
    assert header == ["No", "Nomor Sertifikat", "Nama", "NIP", "OPD", "JP", "Tanggal Terbit", "Status"]
    row = [cell.value for cell in sheet[7]]
    assert row[:6] == [1, certificate.number, "=HYPERLINK(\"x\")", "198001012006041001",
                       certificate.organization_name, certificate.jp]
    assert sheet.cell(7, 3).data_type == "s" and sheet.cell(7, 4).data_type == "s"
    assert row[6] == "14/06/2022" and row[7] == "Berlaku"  # the certificate's own date, written as the other sheets


def test_a_background_image_and_moved_blocks_reach_the_pdf(app, make, client, auth):
    import zxingcpp

    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    stream = io.BytesIO()
    Image.new("RGB", (1169, 827), (250, 230, 180)).save(stream, format="JPEG")
    refused = client.post(url, data=settings_form(background=(io.BytesIO(b"GIF89a bukan gambar"), "latar.jpg")),
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "PNG atau JPEG" in refused.get_data(as_text=True)
    assert client.post(url, data=settings_form(pos_qr_x="nan", pos_qr_y="1e9")).status_code == 422
    moved = settings_form(background=(io.BytesIO(stream.getvalue()), "latar.jpg"), pos_qr_x="250", pos_qr_y="150,5")
    assert client.post(url, data=moved, content_type="multipart/form-data").status_code == 303
    settings = certificate_settings(event)
    assert settings.background and settings.background_kind == "jpg"
    assert json.loads(settings.layout) == {"qr": [250.0, 150.5]}
    person = make.registration(event)
    page = client.get(url).get_data(as_text=True)
    assert 'data-block="qr" data-x="250" data-y="150.5"' in page and "cp-background" in page
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    image = pdf_page_image(client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").data)
    red, green, blue = image.convert("RGB").getpixel((5, 5))
    assert abs(red - 250) < 12 and abs(green - 230) < 12 and abs(blue - 180) < 12  # the background, not white
    found, = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert found.text.endswith(active_certificate(person).code)
    centre_x = (found.position.top_left.x + found.position.bottom_right.x) / 2 / image.width
    centre_y = (found.position.top_left.y + found.position.bottom_right.y) / 2 / image.height
    assert abs(centre_x - 250 / 297) < 0.03  # centred on x = 250 mm
    assert abs(centre_y - (1 - (150.5 + 15) / 210)) < 0.03  # its bottom edge at y = 150.5 mm


def test_a_revoked_certificate_can_be_reissued_from_its_row(app, make, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    client.post(url, data=settings_form())
    person = make.registration(event)
    attend(person, *event.days)
    client.post(f"{url}/terbitkan")
    old = active_certificate(person)
    assert client.post(f"{url}/{old.id}/cabut", data={"reason": "Nama salah"}).status_code == 303
    reissue_action = f"{url}/{old.id}/terbitkan-ulang"
    assert reissue_action in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert active_certificate(person) is None  # a plain run does not bring it back

    person.full_name = "Nama Yang Benar"
    db.session.commit()
    reissued = client.post(reissue_action, follow_redirects=True).get_data(as_text=True)
    assert "Sertifikat pengganti diterbitkan untuk sertifikat yang sudah dicabut sebelumnya." in reissued
    assert "Sertifikat lama dicabut" not in reissued  # it was revoked before, by its own button
    renewed = active_certificate(person)
    assert renewed.full_name == "Nama Yang Benar"
    assert (renewed.number, renewed.code) != (old.number, old.code)
    assert renewed.number == "800/002/Diskominfo/2022"
    assert reissue_action not in client.get(url).get_data(as_text=True)  # one in force again: no second offer
    assert client.post(reissue_action).status_code == 303
    assert len(event_certificates(event)) == 2
    verified = client.get(f"/verifikasi/{old.code}").get_data(as_text=True)
    assert 'data-status="revoked"' in verified
    assert 'data-status="valid"' in client.get(f"/verifikasi/{renewed.code}").get_data(as_text=True)


def reportlab_pdf(pages, colour=(0.2, 0.4, 0.8)):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    stream = io.BytesIO()
    canvas = Canvas(stream, pagesize=landscape(A4))
    for _page in range(pages):
        canvas.setFillColorRGB(*colour)
        canvas.rect(0, 0, *landscape(A4), stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return stream.getvalue()


def test_a_one_page_pdf_background_is_drawn_once_and_used(app, make, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    two_pages = client.post(url, data=settings_form(background=(io.BytesIO(reportlab_pdf(2)), "latar.pdf")),
                            content_type="multipart/form-data")
    assert two_pages.status_code == 422 and "PDF latar harus tepat satu halaman." in two_pages.get_data(as_text=True)
    scripted = reportlab_pdf(1).replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>")
    refused = client.post(url, data=settings_form(background=(io.BytesIO(scripted), "latar.pdf")),
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "tidak boleh memuat JavaScript" in refused.get_data(as_text=True)
    assert certificate_settings(event).background is None

    one_page = settings_form(background=(io.BytesIO(reportlab_pdf(1)), "latar.pdf"))
    assert client.post(url, data=one_page, content_type="multipart/form-data").status_code == 303
    settings = certificate_settings(event)
    assert settings.background_kind == "png"
    stored = client.get(f"{url}/gambar/{settings.background}.png")
    with Image.open(io.BytesIO(stored.data)) as drawn:
        assert abs(drawn.width - 297 / 25.4 * 200) < 3 and abs(drawn.height - 210 / 25.4 * 200) < 3  # 200 dpi
    person = make.registration(event)
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    image = pdf_page_image(client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").data).convert("RGB")
    red, green, blue = image.getpixel((5, 5))
    assert abs(red - 51) < 12 and abs(green - 102) < 12 and abs(blue - 204) < 12  # the PDF's blue, not white


def test_pdf_backgrounds_are_drawn_one_at_a_time():
    # PDFium must not run in two threads at once; a gthread worker may take two uploads together.
    from app.certificates.images import PDFIUM, read_background

    drawn = []
    with PDFIUM:
        upload = threading.Thread(target=lambda: drawn.append(read_background(io.BytesIO(reportlab_pdf(1)))))
        upload.start()
        upload.join(0.5)
        assert drawn == [] and upload.is_alive()
    upload.join(10)
    assert drawn and drawn[0].startswith(b"\x89PNG")


def test_numbers_start_where_set_and_may_not_repeat_another_events(app, make, client, auth):
    first_event = make.event()
    sign_in_admin(make, auth)
    first_url = f"/admin/acara/{first_event.slug}/sertifikat"
    client.post(first_url, data=settings_form())
    for _n in range(2):
        attend(make.registration(first_event), *first_event.days)
    client.post(f"{first_url}/terbitkan")
    assert [c.number for c in event_certificates(first_event)] == ["800/001/Diskominfo/2022", "800/002/Diskominfo/2022"]

    second = make.event(slug="bimtek-kedua", tenant=first_event.tenant)
    url = f"/admin/acara/{second.slug}/sertifikat"
    refused = client.post(url, data=settings_form())
    assert refused.status_code == 422
    assert ("Nomor 800/001/Diskominfo/2022 sudah dipakai sertifikat acara lain; ganti pola nomornya, atau mulai "
            "nomor urut dari 3.") in refused.get_data(as_text=True)
    assert client.post(url, data=settings_form(seq_start="2")).status_code == 422
    assert client.post(url, data=settings_form(seq_start="0")).status_code == 422
    assert client.post(url, data=settings_form(issue_date="2023-01-10")).status_code == 303  # another year's numbers
    assert client.post(url, data=settings_form(seq_start="3")).status_code == 303
    assert certificate_settings(second).seq_start == 3
    assert 'name="seq_start"' in client.get(url).get_data(as_text=True)
    person = make.registration(second)
    attend(person, *second.days)
    client.post(f"{url}/terbitkan")
    assert active_certificate(person).number == "800/003/Diskominfo/2022"

    elsewhere = make.event(slug="bimtek-lain", tenant=make.tenant("kota-lain"))
    assert client.post(f"/admin/acara/{elsewhere.slug}/sertifikat", data=settings_form()).status_code == 303


def test_a_number_another_event_issued_after_the_settings_were_saved_is_refused_at_issue(make, client, auth,
                                                                                          runner):
    first_event = make.event()
    second = make.event(slug="bimtek-kedua", tenant=first_event.tenant)
    sign_in_admin(make, auth)
    second_url = f"/admin/acara/{second.slug}/sertifikat"
    assert client.post(second_url, data=settings_form()).status_code == 303  # nothing issued anywhere yet
    first_url = f"/admin/acara/{first_event.slug}/sertifikat"
    client.post(first_url, data=settings_form())
    attend(make.registration(first_event), *first_event.days)
    client.post(f"{first_url}/terbitkan")
    person = make.registration(second)
    attend(person, *second.days)
    refused = client.post(f"{second_url}/terbitkan", follow_redirects=True).get_data(as_text=True)
    assert "Nomor 800/001/Diskominfo/2022 sudah dipakai sertifikat acara lain" in refused
    assert event_certificates(second) == []
    result = runner.invoke(args=["issue-certificates", second.slug])
    assert result.exit_code == 1 and "800/001/Diskominfo/2022 is already another event's" in result.output
    assert "start its sequence at 2" in result.output
    assert event_certificates(second) == []
    assert client.post(second_url, data=settings_form(seq_start="2")).status_code == 303
    client.post(f"{second_url}/terbitkan")
    assert active_certificate(person).number == "800/002/Diskominfo/2022"
    # Re-issuing takes the next number too, and is refused the same way.
    assert client.post(first_url, data=settings_form(seq_start="3")).status_code == 303
    attend(make.registration(first_event), *first_event.days)
    client.post(f"{first_url}/terbitkan")  # the first event's 800/003
    old = active_certificate(person)
    reissued = client.post(f"{second_url}/{old.id}/terbitkan-ulang", data={"reason": "Koreksi nama"},
                           follow_redirects=True).get_data(as_text=True)
    assert "Nomor 800/003/Diskominfo/2022 sudah dipakai sertifikat acara lain" in reissued
    assert active_certificate(person).id == old.id and old.revoked_at is None
