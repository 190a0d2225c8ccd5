"""Certificates when the event is over (issue 22, item 5): issuing before the last day has ended asks first,
naming who would get what, on the web and on the command line; the settings form says what is wrong,
keeps an uploaded signature across a refused save, and reads a NIP as the rest of the app does."""
import io
import re
from datetime import date, timedelta

import pytest

from app.certificates.issuing import event_certificates
from app.certificates.settings import certificate_settings
from app.extensions import db
from app.models import Certificate
from tests.certificates_support import attend, png_bytes, settings_form

SPACED_NIP = "19780312 199703 1 002"
NIP = "197803121997031002"


@pytest.fixture
def running(make):
    """An event on today and tomorrow; day 1 only so far, and certificates from one day present."""
    event = make.event(slug="berjalan", dates=(date.today(), date.today() + timedelta(days=1)))
    budi = make.registration(event, full_name="Budi Santoso")
    attend(budi, event.days[0])
    make.registration(event, full_name="Tidak Datang")
    return event


def allow_one_day(client, event):
    response = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(min_days="1", issue_date=""))
    assert response.status_code == 303, response.get_data(as_text=True)


def certificates():
    db.session.expire_all()
    return db.session.execute(db.select(Certificate)).scalars().all()


def test_issuing_before_the_last_day_has_ended_asks_first_naming_who_gets_what(client, admin, running):
    allow_one_day(client, running)
    url = f"/admin/acara/{running.slug}/sertifikat"
    assert "penerbitan menampilkan dulu siapa menerima apa" in client.get(url).get_data(as_text=True)
    asked = client.post(f"{url}/terbitkan")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and certificates() == []
    assert "Terbitkan sertifikat sebelum acara selesai?" in page
    assert "Nomor sertifikat bersifat tetap." in page and "masuk buku JP" in page
    dates = re.search(r"bertanggal ([^<]*?) dengan", page).group(1)
    assert "1 peserta akan menerima sertifikat bertanggal" in page
    row = re.search(r"<tr><td>Budi Santoso</td>(.*?)</tr>", page, re.S).group(1)
    assert "1 dari 2 hari" in row and dates in row
    assert "Tidak Datang" not in page
    # "Kembali" changes nothing; confirmed, the certificate is issued.
    done = client.post(f"{url}/terbitkan", data={"confirmed": "yes"}, follow_redirects=True)
    assert "1 sertifikat baru diterbitkan." in done.get_data(as_text=True)
    assert [c.full_name for c in certificates()] == ["Budi Santoso"]


def test_issuing_after_the_end_needs_no_confirmation(client, admin, make):
    event = make.event()  # 13–14 June 2022, long over
    attend(make.registration(event, full_name="Budi Santoso"), *event.days)
    response = client.post(f"/admin/acara/{event.slug}/sertifikat/terbitkan")
    assert response.status_code == 303
    assert [c.full_name for c in certificates()] == ["Budi Santoso"]


def test_the_cli_needs_before_end_before_the_last_day_has_ended(client, admin, runner, running):
    allow_one_day(client, running)
    refused = runner.invoke(args=["issue-certificates", running.slug])
    assert refused.exit_code != 0 and certificates() == []
    assert "Budi Santoso" in refused.output and "present 1 of 2 day(s)" in refused.output
    assert "--before-end" in refused.output and "Numbers are permanent" in refused.output
    issued = runner.invoke(args=["issue-certificates", running.slug, "--before-end"])
    assert issued.exit_code == 0, issued.output
    assert "Issued 1 new certificate(s)" in issued.output
    assert "--before-end" in runner.invoke(args=["issue-certificates", "--help"]).output


def test_a_refused_save_says_what_is_wrong_and_keeps_the_uploaded_signature(client, admin, make):
    event = make.event()
    url = f"/admin/acara/{event.slug}/sertifikat"
    refused = client.post(url, content_type="multipart/form-data", data=settings_form(
        signer_nip="19780312 199703 3 002", signer_image=(io.BytesIO(png_bytes()), "ttd.png")))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="error-summary"' in page and "autofocus" in page.split('id="error-summary"')[0][-200:] + \
        page.split('id="error-summary"')[1][:200]
    assert re.search(r'href="#signer_nip">NIP penanda tangan: Angka ke-15 NIP', page)
    assert certificate_settings(event).signer_image is None
    kept = re.search(r'name="kept_signer_image" value="([^"]+)"', page).group(1)
    assert "Gambar tanda tangan yang Anda pilih tadi sudah diterima" in page
    # The NIP corrected, the image not chosen again: it is saved with the settings.
    saved = client.post(url, content_type="multipart/form-data",
                        data=settings_form(signer_nip=SPACED_NIP, kept_signer_image=kept))
    assert saved.status_code == 303
    settings = certificate_settings(event)
    assert settings.signer_nip == NIP and settings.signer_image
    image = client.get(f"{url}/gambar/{settings.signer_image}.png")
    assert image.data == png_bytes()
    # A token of another event names nothing there.
    other = make.event(slug="lain")
    elsewhere = client.post(f"/admin/acara/{other.slug}/sertifikat", content_type="multipart/form-data",
                            data=settings_form(kept_signer_image=kept))
    assert elsewhere.status_code == 303 and certificate_settings(other).signer_image is None


def test_one_nip_rule_everywhere_a_nip_is_typed(client, admin, make, tmp_path):
    """The same NIP, typed with spaces, is read the same at registration, import, the SPJ signer and the
    certificate signer; a wrong one is refused with the same words."""
    from openpyxl import Workbook

    event = make.event(dates=(date(2030, 6, 13), date(2030, 6, 14)))
    organization = make.event_organization_list(event)[0]
    registered = client.post(f"/e/{event.slug}/daftar", data={
        "full_name": "Budi Santoso", "nip": SPACED_NIP, "position": "Analis", "rank": "",
        "organization": str(organization.id), "phone": "0812 3456 7890", "email": "budi@example.go.id",
        "consent": "y"})
    assert registered.status_code == 303

    book = Workbook()
    sheet = book.active
    sheet.append(["full_name", "nip", "position", "rank", "organization", "phone", "email"])
    sheet.append(["Citra Lestari", "19800101 200501 2 002", "Analis", "", organization.name, "0813 2222 3333",
                  "citra@example.go.id"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    imported = client.post(f"/admin/acara/{event.slug}/impor", content_type="multipart/form-data",
                           data={"file": (upload, "peserta.xlsx")})
    assert imported.status_code in (200, 303), imported.get_data(as_text=True)

    spj = client.post(f"/admin/acara/{event.slug}/spj", data={"signature_nip": SPACED_NIP,
                                                               "signature_name": "Kepala"})
    assert spj.status_code == 303, spj.get_data(as_text=True)
    certificate = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(signer_nip=SPACED_NIP))
    assert certificate.status_code == 303

    from app.models import EventPaperwork, Registration

    db.session.expire_all()
    nips = dict(db.session.execute(db.select(Registration.full_name, Registration.nip)).tuples().all())
    assert nips == {"Budi Santoso": NIP, "Citra Lestari": "198001012005012002"}
    assert db.session.execute(db.select(EventPaperwork.signature_nip)).scalar_one() == NIP
    assert certificate_settings(event).signer_nip == NIP
    wrong = "19780312 199703 3 002"
    refusals = [
        client.post(f"/admin/acara/{event.slug}/spj", data={"signature_nip": wrong}),
        client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(signer_nip=wrong)),
        client.post(f"/e/{event.slug}/daftar", data={
            "full_name": "Dedi", "nip": wrong, "position": "Analis", "organization": str(organization.id),
            "phone": "0812 9999 0000", "email": "dedi@example.go.id", "consent": "y"}),
    ]
    for refusal in refusals:
        assert refusal.status_code == 422
        assert "Angka ke-15 NIP (jenis kelamin) harus 1 atau 2." in refusal.get_data(as_text=True)
    assert [c.full_name for c in event_certificates(event)] == []
