"""The certificate PDF, its QR, the ZIP, the CLI, the verification page and the ticket page's download."""
import io
import re
import threading
import zipfile

from app.certificates.issuing import active_certificate, issue_certificates, revoke_certificate
from app.certificates.settings import save_certificate_settings
from app.extensions import db
from tests.certificates_support import attend, pdf_page_count, pdf_page_image, qr_texts

BASE = "https://hadir.serangkota.go.id"


def certified(make, event, n=1, **overrides):
    organizations = make.event_organization_list(event)
    found = []
    for i in range(n):
        person = make.registration(event, organizations[i % len(organizations)], **overrides)
        attend(person, *event.days)
        found.append(person)
    issue_certificates(event)
    db.session.commit()
    return found


def test_cli_issues_and_writes_a_zip_of_pdfs_named_number_and_name(app, make, runner, tmp_path):
    event = make.event()
    save_certificate_settings(event, {"number_pattern": "800/{seq:03d}/Diskominfo/{year}"})
    db.session.commit()
    organizations = make.event_organization_list(event)
    ana = make.registration(event, organizations[0], full_name="Ana Rahmawati, S.T.")
    budi = make.registration(event, organizations[1], full_name="Budi")
    attend(ana, *event.days)
    attend(budi, event.days[0])
    out = tmp_path / "sertifikat.zip"
    result = runner.invoke(args=["issue-certificates", event.slug, "-o", str(out), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert "Issued 1 new certificate" in result.output
    assert "Writing certificates" in result.output  # the progress bar
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        year = active_certificate(ana).number.rsplit("/", 1)[1]
        assert names == [f"800-001-Diskominfo-{year} - Ana Rahmawati, S.T.pdf"]
        data = archive.read(names[0])
    assert data.startswith(b"%PDF-") and pdf_page_count(data) == 1
    again = runner.invoke(args=["issue-certificates", event.slug])
    assert again.exit_code == 0 and "Issued 0 new certificate" in again.output
    assert runner.invoke(args=["issue-certificates", "tidak-ada"]).exit_code != 0


def test_cli_zip_needs_a_base_url(app, make, runner, tmp_path):
    event = make.event()
    result = runner.invoke(args=["issue-certificates", event.slug, "-o", str(tmp_path / "x.zip")])
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output


def test_the_pdfs_qr_decodes_to_the_verification_url(app, make, client):
    app.config["PUBLIC_BASE_URL"] = BASE
    event = make.event()
    person, = certified(make, event)
    certificate = active_certificate(person)
    response = client.get(f"/ubah/{person.edit_token}/sertifikat.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    image = pdf_page_image(response.data)
    assert image.width > image.height  # A4 landscape
    assert qr_texts(image) == [f"{BASE}/verifikasi/{certificate.code}"]
    assert len(certificate.code) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", certificate.code)


def test_verification_page_valid_revoked_and_unknown_without_personal_data(app, make, client):
    event = make.event()
    person, = certified(make, event, nip="198001012006041001", phone="+6281234567890",
                        email="rahasia@example.go.id")
    certificate = active_certificate(person)
    page = client.get(f"/verifikasi/{certificate.code}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-status="valid"' in text
    for shown in (certificate.number, person.full_name, event.title, event.organizer_name, "1001",
                  f"{certificate.jp} JP", "13–14 Juni 2022"):
        assert shown in text
    for hidden in ("198001012006041001", "2006041001", "+6281234567890", "81234567890", "rahasia@example.go.id"):
        assert hidden not in text
    revoke_certificate(certificate, "Data tidak benar")
    db.session.commit()
    revoked = client.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)
    assert 'data-status="revoked"' in revoked and 'data-status="valid"' not in revoked
    assert "Data tidak benar" not in revoked  # the committee's reason is for the committee
    unknown = client.get("/verifikasi/" + "A" * 27)
    assert unknown.status_code == 404 and certificate.number not in unknown.get_data(as_text=True)
    assert client.get("/verifikasi/%00%27--").status_code in (400, 404)  # NUL: the input guard's 400
    assert client.get("/verifikasi/" + "x" * 5000).status_code == 404


def test_verification_is_rate_limited(app):
    """A limited app of its own: the suite's app runs without limits."""
    from app import create_app
    from app.extensions import limiter
    from config import TestingConfig

    limited = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://", RATELIMIT_ENABLED=True,
                         RATELIMIT_STORAGE_URI="memory://", RATELIMIT_VERIFY="3 per minute")
    try:
        client = limited.test_client()
        statuses = [client.get("/verifikasi/tidak-dikenal").status_code for _ in range(5)]
    finally:
        limiter.init_app(app)  # give the shared limiter back to the suite's app, unlimited
    assert statuses == [404, 404, 404, 429, 429]


def test_ticket_page_offers_the_certificate_only_once_issued(app, make, client):
    event = make.event()
    person = make.registration(event)
    attend(person, *event.days)
    page = client.get(f"/ubah/{person.edit_token}").get_data(as_text=True)
    assert "Unduh sertifikat (PDF)" not in page and "SERTIFIKAT" not in page
    assert client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").status_code == 404
    issue_certificates(event)
    db.session.commit()
    certificate = active_certificate(person)
    page = client.get(f"/ubah/{person.edit_token}").get_data(as_text=True)
    assert "Unduh sertifikat (PDF)" in page and f"/ubah/{person.edit_token}/sertifikat.pdf" in page
    # The ticket (scanned at desks, printed on badges) says it is issued; the PDF, with the full NIP, is
    # behind the edit link only.
    ticket = client.get(f"/tiket/{person.ticket_token}").get_data(as_text=True)
    assert certificate.number in ticket and "sertifikat.pdf" not in ticket
    assert client.get(f"/tiket/{person.ticket_token}/sertifikat.pdf").status_code == 404
    revoke_certificate(certificate, "uji")
    db.session.commit()
    assert "Unduh sertifikat (PDF)" not in client.get(f"/ubah/{person.edit_token}").get_data(as_text=True)


def test_zip_streams_every_certificate_in_force(app, make):
    from app.certificates.documents import certificates_zip_chunks

    event = make.event()
    people = certified(make, event, 3)
    revoke_certificate(active_certificate(people[1]), "uji")
    db.session.commit()
    chunks = list(certificates_zip_chunks(event, BASE))
    assert len(chunks) >= 3
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert len(archive.namelist()) == 2
        assert all(name.endswith(".pdf") and " - Peserta Uji " in name for name in archive.namelist())


def test_a_zip_with_a_signature_image_streams_after_its_request_has_ended(app, make, client, auth):
    # The server drains a streamed response after the view has returned, with no app context: the
    # images must have been read by then (they come from the storage, which needs the app's config).
    from PIL import Image

    from app.certificates.documents import certificates_zip_chunks

    event = make.event()
    make.user("admin@example.go.id", role="admin")
    auth.login("admin@example.go.id")
    image = io.BytesIO()
    Image.new("RGBA", (200, 80), (0, 0, 150, 255)).save(image, format="PNG")
    image.seek(0)
    settings = {"jp_override": "", "jp_rounding": "down", "min_days": "", "number_pattern": "800/{seq:03d}/D/{year}",
                "signer_name": "H. A", "signer_nip": "", "signer_position": "Kadis", "issue_date": "2022-06-14",
                "issue_place": "Serang", "signer_image": (image, "ttd.png")}
    assert client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings,
                       content_type="multipart/form-data").status_code == 303
    certified(make, event)
    with app.test_request_context():
        chunks = certificates_zip_chunks(event, BASE, sign=False)
    drained = {}
    thread = threading.Thread(target=lambda: drained.update(data=b"".join(chunks)))
    thread.start()
    thread.join()
    with zipfile.ZipFile(io.BytesIO(drained["data"])) as archive:
        assert len(archive.namelist()) == 1


def test_reportlab_runs_with_its_c_accelerator():
    """rl_accel (pinned in pyproject.toml): reportlab's string widths and escaping in C."""
    from reportlab.lib import rl_accel

    assert rl_accel._py_funcs == {} and "escapePDF" in rl_accel._c_funcs
