"""With CERT_SIGNING_P12 set, every certificate PDF carries a PAdES signature a reader can check."""
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from app.certificates.documents import certificates_zip_chunks
from app.certificates.issuing import active_certificate, issue_certificates
from app.certificates.signing import signer_from_config
from app.extensions import db
from tests.certificates_support import attend, pdf_page_image, qr_texts

PASSWORD = "sandi-p12-uji"
SIGNER = "Kepala Diskominfo Kota Uji"


@pytest.fixture(scope="module")
def p12(tmp_path_factory):
    """A self-signed signing certificate and its key in a PKCS#12 file, made for this test run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SIGNER),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Kota Uji"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = tmp_path_factory.mktemp("p12") / "penanda-tangan.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ttd", key, certificate, None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path, asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def validate(pdf_bytes, trust_root):
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    signatures = reader.embedded_signatures
    assert len(signatures) == 1
    return validate_pdf_signature(signatures[0], ValidationContext(trust_roots=[trust_root]))


def test_a_signed_certificate_validates_and_names_its_signer(app, make, client, p12):
    path, root = p12
    app.config.update(CERT_SIGNING_P12=str(path), CERT_SIGNING_P12_PASSWORD=PASSWORD,
                      PUBLIC_BASE_URL="https://hadir.example.go.id")
    event = make.event()
    person = make.registration(event)
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    data = client.get(f"/ubah/{person.edit_token}/sertifikat.pdf").data
    status = validate(data, root)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert SIGNER in status.signing_cert.subject.human_friendly
    assert status.coverage.name == "ENTIRE_FILE"
    # Still the same certificate on the page, QR and all.
    code = active_certificate(person).code
    assert qr_texts(pdf_page_image(data)) == [f"https://hadir.example.go.id/verifikasi/{code}"]

    # One byte changed inside the signed range: the signature no longer holds.
    position = data.index(b"SERTIFIKAT") if b"SERTIFIKAT" in data else data.index(b"/Title")
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1:]
    assert not validate(tampered, root).intact


def test_every_pdf_in_the_zip_is_signed(app, make, p12):
    path, root = p12
    app.config.update(CERT_SIGNING_P12=str(path), CERT_SIGNING_P12_PASSWORD=PASSWORD)
    event = make.event()
    for organization in make.event_organization_list(event)[:2]:
        attend(make.registration(event, organization), *event.days)
    issue_certificates(event)
    db.session.commit()
    with zipfile.ZipFile(io.BytesIO(b"".join(certificates_zip_chunks(event, "https://x.example")))) as archive:
        for name in archive.namelist():
            assert validate(archive.read(name), root).bottom_line, name



def test_a_zip_drawn_by_a_pool_of_processes_is_whole_in_order_and_signed(app, make, p12, monkeypatch):
    """CERTIFICATE_PROCESSES processes draw and sign (each loading the signer once): same files, same order."""
    from app.certificates import documents

    path, root = p12
    app.config.update(CERT_SIGNING_P12=str(path), CERT_SIGNING_P12_PASSWORD=PASSWORD, CERTIFICATE_PROCESSES=2)
    monkeypatch.setattr(documents, "POOL_FROM", 3)
    event = make.event()
    for organization in make.event_organization_list(event)[:5]:
        attend(make.registration(event, organization), *event.days)
    issued = issue_certificates(event)
    db.session.commit()
    with zipfile.ZipFile(io.BytesIO(b"".join(certificates_zip_chunks(event, "https://x.example")))) as archive:
        names = archive.namelist()
        assert [name.split(" - ")[0] for name in names] == [c.number.replace("/", "-") for c in issued]
        for name in names:
            assert validate(archive.read(name), root).bottom_line, name


def test_no_signature_without_the_setting_and_a_wrong_password_is_an_error(app, p12):
    path, _root = p12
    assert signer_from_config({"CERT_SIGNING_P12": ""}) is None
    with pytest.raises(ValueError):
        signer_from_config({"CERT_SIGNING_P12": str(path), "CERT_SIGNING_P12_PASSWORD": "salah"})


def test_signing_works_in_a_thread_that_runs_an_event_loop(app, p12):
    """pyHanko's synchronous API starts its own event loop; under a running one (an async server) the
    signature is made in a thread of its own instead of failing."""
    import asyncio

    from reportlab.pdfgen import canvas

    path, root = p12
    app.config.update(CERT_SIGNING_P12=str(path), CERT_SIGNING_P12_PASSWORD=PASSWORD)
    stream = io.BytesIO()
    page = canvas.Canvas(stream)
    page.drawString(100, 700, "Sertifikat uji")
    page.save()
    signer = signer_from_config(app.config)

    async def sign_inside_a_loop():
        return signer.sign(stream.getvalue(), reason="uji")

    status = validate(asyncio.run(sign_inside_a_loop()), root)
    assert status.bottom_line and status.intact


def test_the_app_starts_without_importing_pyhanko():
    """pyHanko (and aiohttp under it) is imported when a certificate is signed, not by every process that
    imports the app: app/certificates/documents.py, _signer."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys; from app import create_app; create_app(); "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'pyhanko', 'aiohttp'}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
