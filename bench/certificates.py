"""How fast, and in how much memory, certificates are issued and written into the ZIP.

For 200 and 2,000 eligible participants (present on both days of the event), each run
issues every certificate (app.certificates.issuing, one transaction) and writes them all
into the ZIP the console streams (app.certificates.documents: default A4 design with the
signature image and the verification QR): first without a digital signature, then with a
PAdES signature (pyHanko, from a self-signed 2048-bit RSA PKCS#12 made for the run). In the
same run, a bare reportlab loop writes as many one-page PDFs with one line of text into a
ZIP: the baseline whose ratio is printed.

Every scenario runs in a fresh Python process on a fresh SQLite database (DATABASE_URL, if
set to PostgreSQL, is not used here: the database's share is the issuing, under a second),
so its figures are the wall-clock seconds of issuing plus writing, certificates per second,
and the peak resident memory (ru_maxrss) of that process, interpreter included. Setting up
the participants is not timed.

The bar: 2,000 unsigned certificates in at most 60 s on this machine, and the peak memory
at 2,000 within 20% of that at 200 (the ZIP is streamed: nothing grows with the count).

    python bench/certificates.py            # 200 and 2,000, unsigned, signed and the baseline
    python bench/certificates.py 500        # chosen sizes

Measured on 1 December 2026 on the shared 2-core machine (load average about 10):

    scenario        n   seconds   cert/s  peak MB x baseline
    baseline      200      0.39    516.6     24.4        1.0
    baseline     2000      3.04    657.0     25.2        1.0
    unsigned      200      2.09     95.7    126.9        5.4
    unsigned     2000     41.50     48.2    135.0       13.6
    signed        200     26.64      7.5    130.8       68.8
    signed       2000    551.89      3.6    142.1      181.3

2,000 unsigned in 41.5 s (bar: 60 s); peak memory +6% (unsigned) and +9% (signed) from 200 to
2,000. A signature costs about 0.25 s here, half of it pyHanko's SimpleSigner loading the private
key again from DER for every signature (cryptography checks an RSA key on every load); nothing of
ours is built around that. Before a fixed QR mask and binary image streams (reportlab's optional
C accelerator, rl_accel, is not installed), an unsigned certificate cost about three times as much.
"""
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SIZES = (200, 2000)


def make_p12(folder):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kepala Diskominfo (bench)")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256())
    )
    path = os.path.join(folder, "bench.p12")
    with open(path, "wb") as out:
        out.write(pkcs12.serialize_key_and_certificates(
            b"bench", key, certificate, None, serialization.BestAvailableEncryption(b"bench")))
    return path


def signature_png():
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 160), (200, 40), (400, 180), (580, 20)], fill=(0, 0, 150, 255), width=8)
    stream = io.BytesIO()
    image.save(stream, format="PNG")
    return stream.getvalue()


def prepare(app, count):
    """An event with `count` participants present on both days, and the certificate settings."""
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app.certificates.images import replace_stored_image
    from app.certificates.settings import save_certificate_settings
    from app.events.services import add_organizations_to_event, create_event, upsert_organizations
    from app.extensions import db
    from app.models import Attendance, Registration, new_ticket_token, utcnow
    from app.storage import storage_from_config
    from app.tenants.services import create_tenant

    upgrade()
    tenant, _created = create_tenant("kota-serang", "Pemerintah Kota Serang")
    event = create_event(
        tenant=tenant, slug="bench", status="open",
        title="Bimtek Penyusunan Masterplan Kota Cerdas (Smart City) dan Quickwin Program Unggulan Tahap 1",
        organizer_name="Dinas Komunikasi dan Informatika Kota Serang", venue="Hotel Flamenggo, Serang",
        dates=[date(2022, 6, 13), date(2022, 6, 14)], default_quota=None,
    )
    organizations = upsert_organizations(
        [{"short_name": f"OPD{n}", "name": f"Dinas Contoh Nomor {n} Kota Serang", "kind": "dinas"} for n in range(40)],
        tenant)
    add_organizations_to_event(event, organizations)
    db.session.flush()
    now = utcnow()
    db.session.execute(insert(Registration), [
        {"event_id": event.id, "organization_id": organizations[n % 40].id,
         "full_name": f"Dr. Peserta Bimtek Nomor {n}, S.Kom., M.T.",
         "nip": f"{date(1970, 1, 1) + timedelta(days=n // 999):%Y%m%d}2005011{n % 999 + 1:03d}",  # valid structure
         "position": "Analis Kebijakan Ahli Muda", "phone": f"+62812{n:08d}", "email": f"p{n}@serangkota.go.id",
         "status": "registered", "ticket_token": new_ticket_token(), "consented_at": now, "source": "import",
         "created_at": now, "updated_at": now, "role": "peserta"}
        for n in range(count)
    ])
    ids = db.session.execute(db.select(Registration.id).filter_by(event_id=event.id)).scalars().all()
    db.session.execute(insert(Attendance), [
        {"event_id": event.id, "registration_id": rid, "event_day_id": day.id, "method": "import",
         "checked_in_at": now, "created_at": now}
        for rid in ids for day in event.days
    ])
    settings = save_certificate_settings(event, {
        "number_pattern": "800/{seq:04d}/Diskominfo/{year}", "signer_name": "H. Ahmad Suhendar, S.E., M.Si.",
        "signer_nip": "197001011995031001", "signer_position": "Kepala Dinas Komunikasi dan Informatika",
        "issue_place": "Serang", "issue_date": date(2022, 6, 14), "jp_override": 16,
    })
    replace_stored_image(storage_from_config(app.config), settings, "signer_image", signature_png())
    db.session.commit()
    return event


def run_app(count, signed, folder):
    from app import create_app
    from app.certificates.documents import certificates_zip_chunks
    from app.certificates.issuing import issue_certificates
    from app.extensions import db
    from config import TestingConfig

    overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite", "UPLOAD_FOLDER": f"{folder}/uploads"}
    if signed:
        overrides.update(CERT_SIGNING_P12=make_p12(folder), CERT_SIGNING_P12_PASSWORD="bench")
    app = create_app(TestingConfig, **overrides)
    with app.app_context():
        event = prepare(app, count)
        started = time.perf_counter()
        issued = issue_certificates(event)
        db.session.commit()
        with open(f"{folder}/sertifikat.zip", "wb") as out:
            for chunk in certificates_zip_chunks(event, "https://hadir.serangkota.go.id"):
                out.write(chunk)
        elapsed = time.perf_counter() - started
    with zipfile.ZipFile(f"{folder}/sertifikat.zip") as archive:
        assert len(archive.namelist()) == len(issued) == count
    return elapsed


def run_baseline(count, folder):
    """A bare reportlab loop: one page, one line of text, into a ZIP."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    started = time.perf_counter()
    with zipfile.ZipFile(f"{folder}/baseline.zip", "w", compression=zipfile.ZIP_STORED) as archive:
        for n in range(count):
            stream = io.BytesIO()
            canvas = Canvas(stream, pagesize=landscape(A4))
            canvas.drawString(100, 300, f"Dr. Peserta Bimtek Nomor {n}, S.Kom., M.T.")
            canvas.showPage()
            canvas.save()
            archive.writestr(f"{n}.pdf", stream.getvalue())
    return time.perf_counter() - started


def child(kind, count):
    with tempfile.TemporaryDirectory() as folder:
        seconds = run_baseline(count, folder) if kind == "baseline" else run_app(count, kind == "signed", folder)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def measure(kind, count):
    output = subprocess.run([sys.executable, __file__, "--child", kind, str(count)], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(sizes):
    print(f"{'scenario':<10} {'n':>6} {'seconds':>9} {'cert/s':>8} {'peak MB':>8} {'x baseline':>10}")
    results = {}
    for kind in ("baseline", "unsigned", "signed"):
        for count in sizes:
            figures = results[kind, count] = measure(kind, count)
            ratio = figures["seconds"] / results["baseline", count]["seconds"]
            print(f"{kind:<10} {count:>6} {figures['seconds']:>9.2f} {count / figures['seconds']:>8.1f} "
                  f"{figures['peak_mb']:>8.1f} {ratio:>10.1f}", flush=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for kind in ("unsigned", "signed"):
            growth = results[kind, large]["peak_mb"] / results[kind, small]["peak_mb"] - 1
            print(f"{kind}: peak memory at {large} is {growth:+.0%} of that at {small} (bar: within +20%)")
        if large == 2000:
            seconds = results["unsigned", 2000]["seconds"]
            print(f"bar: 2,000 unsigned in {seconds:.1f} s ({'met' if seconds <= 60 else 'NOT met'}: at most 60 s)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main([int(arg) for arg in sys.argv[1:]] or list(SIZES))
