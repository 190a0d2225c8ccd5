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

The bars: 2,000 unsigned certificates in at most 30 s and 2,000 signed in at most 120 s on this
machine, and the peak memory at 2,000 within 20% of that at 200 (the ZIP is streamed: nothing grows
with the count), for the asking process and for a drawing process (CERTIFICATE_PROCESSES of them,
one per core by default).

    python bench/certificates.py            # 200 and 2,000, unsigned, signed and the baseline
    python bench/certificates.py 500        # chosen sizes
    CERTIFICATE_PROCESSES=1 python bench/certificates.py   # every PDF in the asking process

Measured on 1 December 2026 (load average about 10), one process, the key loaded for every PDF,
no rl_accel: 2,000 unsigned in 41.5 s, 2,000 signed in 551.9 s (3.6 a second).

Measured on 6 December 2026 with two drawing processes, the key loaded once per process and
rl_accel, while seven other engineers loaded the machine (load average 13-15; at that load one
certificate took 84 ms to draw in one process, for the code of 1 December and this one alike,
against 21 ms on 1 December):

    scenario        n   seconds   cert/s  peak MB x baseline drawing MB
    baseline      200      0.45    439.8     24.4        1.0        0.0
    baseline     2000      2.99    668.4     25.2        1.0        0.0
    unsigned      200     26.82      7.5    142.4       59.0      142.2
    unsigned     2000     87.47     22.9    154.9       29.2      153.1
    signed        200     43.77      4.6    145.3       96.2      144.8
    signed       2000    340.01      5.9    157.8      113.6      155.8

Peak memory +9% from 200 to 2,000 (unsigned and signed), +8% for a drawing process. The bars were not met at
that load. The same code on a quiet machine (load average 1.2-1.6, 6 December 2026, 09:55 UTC):

    unsigned     2000      6.08    329.0    172.2       12.9      170.1
    signed       2000     16.23    123.3    175.3       34.3      173.1

both bars met (at most 30 s and 120 s), peak memory +8% from 200 to 2,000, +6% for a drawing process.
What a certificate costs now, by cProfile: zlib compressing the page's images again for every PDF
(reportlab re-encodes the signature PNG each time), their MD5, and the QR code's encoding.
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
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _server import exit_status  # noqa: E402

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
    # The processes that drew the PDFs (CERTIFICATE_PROCESSES): the largest of them.
    drawing_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "drawing_mb": drawing_mb}))


def measure(kind, count):
    output = subprocess.run([sys.executable, __file__, "--child", kind, str(count)], check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(sizes):
    print(f"{'scenario':<10} {'n':>6} {'seconds':>9} {'cert/s':>8} {'peak MB':>8} {'x baseline':>10} "
          f"{'drawing MB':>10}  (CERTIFICATE_PROCESSES {os.environ.get('CERTIFICATE_PROCESSES') or os.cpu_count()})")
    results, missed = {}, []
    for kind in ("baseline", "unsigned", "signed"):
        for count in sizes:
            figures = results[kind, count] = measure(kind, count)
            ratio = figures["seconds"] / results["baseline", count]["seconds"]
            print(f"{kind:<10} {count:>6} {figures['seconds']:>9.2f} {count / figures['seconds']:>8.1f} "
                  f"{figures['peak_mb']:>8.1f} {ratio:>10.1f} {figures['drawing_mb']:>10.1f}", flush=True)
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for kind in ("unsigned", "signed"):
            for column, label in (("peak_mb", "peak memory"), ("drawing_mb", "a drawing process's peak memory")):
                if not results[kind, small][column]:
                    continue
                growth = results[kind, large][column] / results[kind, small][column] - 1
                print(f"{kind}: {label} at {large} is {growth:+.0%} of that at {small} (bar: within +20%)")
                missed += [f"{kind} {label}"] if growth > 0.2 else []
        if large == 2000:
            for kind, bar in (("unsigned", 30), ("signed", 120)):
                seconds = results[kind, 2000]["seconds"]
                print(f"bar: 2,000 {kind} in {seconds:.1f} s ({'met' if seconds <= bar else 'NOT met'}: "
                      f"at most {bar} s); load average {os.getloadavg()[0]:.1f}")
                missed += [f"2,000 {kind}"] if seconds > bar else []
    print(f"verdict: {'FAILED: ' + ', '.join(missed) if missed else 'OK'}")
    return exit_status(wrong=False, slow=bool(missed))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit(main([int(arg) for arg in sys.argv[1:]] or list(SIZES)))
