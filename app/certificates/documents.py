"""From certificates in the database to PDF bytes: the page's texts, the images, the signature."""
import zipfile

from babel.dates import format_date
from flask import current_app

from app.certificates.pdf import CertificatePage, CertificateRenderer, positions_from_layout
from app.certificates.settings import certificate_settings
from app.certificates.signing import signer_from_config
from app.extensions import db
from app.materials.storage import storage_from_config
from app.models import Certificate, EventDay, Registration

ROLE_LABELS = {"peserta": "Peserta", "narasumber": "Narasumber", "panitia": "Panitia"}


def verification_url(code, base_url):
    return f"{base_url.rstrip('/')}/verifikasi/{code}"


def dates_id(days):
    """'13–14 Juni 2022', always in Indonesian (the certificate's language)."""
    dates = sorted(getattr(day, "date", day) for day in days)
    if not dates:
        return ""
    first, last = dates[0], dates[-1]
    if first == last:
        return format_date(first, "d MMMM y", locale="id")
    if (first.year, first.month) == (last.year, last.month) and (last - first).days == len(dates) - 1:
        return f"{first.day}–{format_date(last, 'd MMMM y', locale='id')}"
    return ", ".join(format_date(d, "d MMMM y", locale="id") for d in dates)


def _stored_bytes(name):
    if not name:
        return None
    try:
        with storage_from_config(current_app.config).open(name) as handle:
            return handle.read()
    except (OSError, ValueError):
        current_app.logger.error("Certificate image %s is missing from storage", name)
        return None


class EventDocuments:
    """Everything the certificates of one event share, read once; then one PDF per certificate."""

    def __init__(self, event, base_url, settings=None, *, sign=True):
        self.event = event
        self.base_url = base_url
        self.settings = settings or certificate_settings(event)
        days = db.session.execute(db.select(EventDay.date).filter_by(event_id=event.id)).scalars().all()
        self.dates = dates_id(days)
        self.last_day = max(days) if days else None
        background = _stored_bytes(self.settings.background)
        if background is not None and self.settings.background_kind == "pdf":
            from app.certificates.design import pdf_background_as_png

            background = pdf_background_as_png(background)
        self.renderer = CertificateRenderer(
            signature_png=_stored_bytes(self.settings.signer_image),
            background=background,
            logo_png=self.organizer_logo(),
        )
        self.positions = positions_from_layout(self.settings.layout)
        self.signer = signer_from_config(current_app.config) if sign else None

    def organizer_logo(self):
        """Hook: the tenant's logo (PNG bytes) once tenants exist; none for now."""
        return None

    def place_and_date(self, issued_at):
        issued_on = self.settings.issue_date or issued_at.astimezone(self.event.tz).date()
        written = format_date(issued_on, "d MMMM y", locale="id")
        return f"{self.settings.issue_place}, {written}" if self.settings.issue_place else written

    def page(self, certificate, *, nip, role):
        return CertificatePage(
            organizer=self.event.organizer_name, event_title=self.event.title, dates=self.dates,
            venue=self.event.venue, full_name=certificate.full_name, nip=nip or "",
            organization=certificate.organization_name, role=ROLE_LABELS.get(role, "Peserta"),
            jp=certificate.jp, number=certificate.number, place_and_date=self.place_and_date(certificate.issued_at),
            signer_name=self.settings.signer_name, signer_nip=self.settings.signer_nip or "",
            signer_position=self.settings.signer_position,
            verification_url=verification_url(certificate.code, self.base_url), positions=self.positions,
        )

    def pdf(self, certificate, *, nip, role):
        data = self.renderer.pdf_bytes(self.page(certificate, nip=nip, role=role))
        if self.signer is not None:
            data = self.signer.sign(data, reason=f"Sertifikat {certificate.number}")
        return data


def certificate_pdf(certificate, base_url):
    """One certificate as PDF bytes (signed when CERT_SIGNING_P12 is set)."""
    registration = certificate.registration
    documents = EventDocuments(certificate.event, base_url)
    return documents.pdf(certificate, nip=registration.nip, role=registration.role)


def preview_certificate(event, registration, settings, *, now):
    """An unsaved certificate of `registration` as the current settings would make it (for the preview)."""
    from app.certificates.numbering import format_number
    from app.certificates.settings import event_jp

    issued_on = settings.issue_date or now.astimezone(event.tz).date()
    return Certificate(
        event_id=event.id, registration_id=registration.id, seq=1,
        number=format_number(settings.number_pattern, 1, issued_on), code="CONTOH" + "0" * 21,
        full_name=registration.full_name, organization_name=registration.organization.name,
        jp=event_jp(event, settings), issued_at=now,
    )


def file_name(certificate):
    """'800-001-Diskominfo-2022 - Nama Peserta.pdf': the number and name, safe in any file system."""
    def clean(text):
        kept = "".join(ch if ch.isalnum() or ch in " .,'-_()" else "-" for ch in text)
        return " ".join(kept.split()).strip(" .")[:100] or "sertifikat"

    return f"{clean(certificate.number)} - {clean(certificate.full_name)}.pdf"


def _zip_rows(event):
    return db.session.execute(
        db.select(Certificate, Registration.nip, Registration.role)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(Certificate.event_id == event.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.seq)
    ).all()


class _Chunks:
    """A write-only stream that zipfile writes into and the response drains."""

    def __init__(self):
        self.parts = []
        self.position = 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def certificates_zip_chunks(event, base_url, *, sign=True, on_progress=None):
    """The event's certificates in force as a ZIP (`Nomor - Nama.pdf` each), yielded in pieces.

    Nothing but the current PDF is held in memory: each is written, sent and dropped.
    """
    documents = EventDocuments(event, base_url, sign=sign)
    rows = _zip_rows(event)
    total = len(rows)
    sink = _Chunks()
    names = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for done, (certificate, nip, role) in enumerate(rows, start=1):
            name = file_name(certificate)
            if name in names:  # the same number and name twice cannot happen, but a file must not be lost
                name = f"{certificate.seq} {name}"
            names.add(name)
            archive.writestr(name, documents.pdf(certificate, nip=nip, role=role))
            yield sink.drain()
            if on_progress is not None:
                on_progress(done, total)
    yield sink.drain()


def zip_file_name(event):
    return f"sertifikat-{event.slug}.zip"

