"""A certificate states what it said when it was issued; the console's preview states what the PDF does."""
import io
import re

from app.certificates.issuing import active_certificate
from app.extensions import db
from tests.certificates_support import attend, settings_form, sign_in_admin


def pdf_text(pdf_bytes):
    """The text of a PDF's first page, as pypdfium2 reads it (in drawing order)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def words(text):
    return " ".join(text.split())


def test_a_downloaded_certificate_keeps_what_it_was_issued_with(app, make, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    client.post(url, data=settings_form(jp_override="32"))
    person = make.registration(event, full_name="Siti Rahmawati", nip="198501012010012001")
    attend(person, *event.days)
    assert client.post(f"{url}/terbitkan").status_code == 303
    issued = active_certificate(person)

    changed = settings_form(jp_override="40", signer_name="Drs. Pengganti", signer_nip="196501011990031002",
                            signer_position="Sekretaris Daerah", issue_place="Cilegon", issue_date="2022-07-01")
    assert client.post(url, data=changed).status_code == 303
    person.full_name, person.nip = "Siti Rahmawati Dewi", "199001012015012002"
    db.session.commit()

    for download in (f"{url}/{issued.id}.pdf", f"/ubah/{person.edit_token}/sertifikat.pdf"):
        text = words(pdf_text(client.get(download).data))
        assert "sejumlah 32 JP" in text and "Siti Rahmawati NIP. 198501012010012001" in text
        assert "Serang, 14 Juni 2022 Kepala Dinas H. Ahmad Suhendar, S.E. NIP. 197001011995031001" in text
        assert "Dewi" not in text and "Pengganti" not in text and "Cilegon" not in text and "40 JP" not in text
    page = client.get(f"/verifikasi/{issued.code}").get_data(as_text=True)
    assert "Siti Rahmawati<" in page and "32 JP" in page and "14 Juni 2022" in page
    assert "••••2001" in page and "H. Ahmad Suhendar, S.E." in page and "Pengganti" not in page

    # The correction goes through revoke and re-issue: the new one states today's values.
    assert client.post(f"{url}/{issued.id}/terbitkan-ulang", data={"reason": "Koreksi nama"}).status_code == 303
    text = words(pdf_text(client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").data))
    assert "Siti Rahmawati Dewi NIP. 199001012015012002" in text and "sejumlah 40 JP" in text
    assert "Cilegon, 1 Juli 2022 Sekretaris Daerah Drs. Pengganti" in text


def preview_words(page_html):
    """The preview's lines, in order, as words (the QR box's placeholder is not a line)."""
    block = page_html.split('id="cert-preview"', 1)[1].split("</section>", 1)[0]
    lines = re.findall(r'data-line="[a-z_]+"( hidden)?>([^<]*)<', block)
    return words(" ".join(text for hidden, text in lines if not hidden)).replace("&amp;", "&")


def test_the_preview_states_exactly_what_the_pdf_does(app, make, client, auth):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    person = make.registration(event, full_name="Budi Santoso", nip="198501012010011001", role="narasumber")
    for signer_nip in ("197001011995031001", ""):
        assert client.post(url, data=settings_form(signer_nip=signer_nip)).status_code == 303
        shown = preview_words(client.get(url).get_data(as_text=True))
        printed = words(pdf_text(client.get(f"{url}/pratinjau.pdf").data))
        assert shown == printed
        assert "sebagai Narasumber" in shown and " pada 13–14 Juni 2022 di " in shown
        assert shown.endswith("Pindai untuk memeriksa keaslian")
        assert ("NIP. 197001011995031001" in shown) == bool(signer_nip)
        assert shown.count("NIP.") == 1 + bool(signer_nip)
    assert person.role == "narasumber"
