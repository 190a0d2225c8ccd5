"""The surat undangan (issue 24): written once, one letter per OPD taking part as .docx and PDF in one ZIP,
each with that OPD's name, quota, deadline, own link and its QR code, and the agenda attached."""
import io
import zipfile
from datetime import date

import pypdfium2
import pytest
from docx import Document

from app.delegates import services
from app.extensions import db
from app.models.delegate import DelegateLink, InvitationLetter
from tests.certificates_support import pdf_page_count, pdf_page_image, qr_texts
from tests.materials_support import session

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))


@pytest.fixture
def event(make):
    created = make.event(dates=FUTURE, quota=2)
    session(created, title="Paparan Masterplan Kota Cerdas", starts="09:00", ends="10:30")
    created.tenant.letterhead = "PEMERINTAH KOTA UJI\nDINAS KOMUNIKASI DAN INFORMATIKA"
    db.session.commit()
    return created


def letter_form(**overrides):
    data = {"number_pattern": "005/{nomor}/Diskominfo/2030", "letter_date": "2030-05-20", "place": "Serang",
            "subject": "Undangan {acara}", "signer_role": "Kepala Dinas", "signer_name": "Dr. W. Hidayat",
            "signer_nip": "19700101 199503 1 002",
            "body": "Mohon Kepala {opd} menugaskan {kuota} orang.\n\nIsi nama di {tautan_opd} paling lambat "
                    "{batas_waktu}. {tidak_dikenal} tetap."}
    data.update(overrides)
    return data


def pdf_text(data):
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def docx_text(data):
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_the_committee_writes_the_letter_once_and_a_bad_nip_keeps_the_form(client, admin_with_tenant, event):
    page = client.get(f"/admin/acara/{event.slug}/opd/undangan").get_data(as_text=True)
    assert "{tautan_opd}" in page  # the starting text names the placeholders
    bad = client.post(f"/admin/acara/{event.slug}/opd/undangan", data=letter_form(signer_nip="123"))
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "error-summary" in text and "Dr. W. Hidayat" in text
    assert db.session.get(InvitationLetter, event.id) is None
    assert client.post(f"/admin/acara/{event.slug}/opd/undangan", data=letter_form()).status_code == 303
    saved = db.session.get(InvitationLetter, event.id)
    assert (saved.signer_nip, saved.letter_date) == ("197001011995031002", date(2030, 5, 20))


def test_one_letter_per_opd_as_docx_and_pdf_each_with_its_own_link_and_qr(client, admin_with_tenant, event):
    client.post(f"/admin/acara/{event.slug}/opd/undangan", data=letter_form())
    answer = client.get(f"/admin/acara/{event.slug}/opd/undangan.zip")
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    bundle = zipfile.ZipFile(io.BytesIO(answer.data))
    names = sorted(bundle.namelist())
    assert len(names) == 6 and names[0] == "undangan-bimtek-uji/001-OPD1.docx"
    links = {link.organization.name: link for link in db.session.execute(db.select(DelegateLink)).scalars()}
    assert len(links) == 3  # made for the letters
    for position, (name, link) in enumerate(sorted(links.items()), start=1):
        url = f"http://localhost/opd/{link.token}"
        stem = f"undangan-bimtek-uji/{position:03d}-{link.organization.short_name}"
        pdf = bundle.read(stem + ".pdf")
        for text in (docx_text(bundle.read(stem + ".docx")), pdf_text(pdf)):
            assert f"Kepala {name}" in text and "menugaskan 2 orang" in text
            assert url in text.replace("\r", "").replace("\n", "")
            assert f"005/{position:03d}/Diskominfo/2030" in text
            assert "{tidak_dikenal} tetap" in text and "PEMERINTAH KOTA UJI" in text
            assert "NIP 197001011995031002" in text and "20 Mei 2030" in text
            assert "Paparan Masterplan Kota Cerdas" in text  # the agenda, attached
        assert pdf_page_count(pdf) == 2
        assert qr_texts(pdf_page_image(pdf)) == [url]
    assert all(client.get(f"/opd/{link.token}").status_code == 200 for link in links.values())  # they work


def test_the_letters_keep_links_already_sent(client, admin_with_tenant, event):
    organization_id = services.opd_overview(event)[0][0].id
    sent = services.issue_link(event, organization_id).token
    db.session.commit()
    client.get(f"/admin/acara/{event.slug}/opd/undangan.zip")
    db.session.expire_all()
    assert services.links_of(event)[organization_id].token == sent
