"""From certificates in the database to PDF bytes: the page's texts, the images, the signature."""
import multiprocessing
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import IO, NamedTuple, cast

from babel.dates import format_date
from flask import current_app

from app.certificates.pdf import CertificatePage, CertificateRenderer, positions_from_layout
from app.certificates.settings import certificate_settings
from app.extensions import db
from app.models import Certificate, EventDay
from app.storage import current_storage

ROLE_LABELS = {"peserta": "Peserta", "narasumber": "Narasumber", "moderator": "Moderator", "panitia": "Panitia"}


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


def _signer(config):
    """signing.signer_from_config(config): None unless CERT_SIGNING_P12 names a PKCS#12.

    Imported here rather than at the top, for a reason of its own: pyHanko, with aiohttp under it, is a
    quarter of the app's import time (0.35 of 1.45 s, `python -X importtime`), paid by every process
    that imports the app (each gunicorn and RQ worker, each `flask` command) though only an install
    that signs certificates ever uses it. tests/test_certificates_signature.py checks that the app
    starts without it."""
    if not config.get("CERT_SIGNING_P12"):
        return None
    from app.certificates.signing import signer_from_config

    return signer_from_config(config)


def _stored_bytes(name):
    if not name:
        return None
    try:
        with current_storage().open(name) as handle:
            return handle.read()
    except (OSError, ValueError):
        current_app.logger.error("Certificate image %s is missing from storage", name)
        return None


class EventDocuments:
    """Everything the certificates of one event share, read once; then one PDF per certificate.

    What a certificate states (person, JP, signer, place, date) comes from the certificate itself,
    fixed at issue; only the design (background, signature image, positions) follows the settings.
    """

    def __init__(self, event, base_url, settings=None, *, sign=True, images=True):
        # Plain copies only: a streamed ZIP keeps writing after the request's session is gone.
        self.event = EventFacts(event.title, event.organizer_name, event.venue, event.tz)
        self.base_url = base_url
        settings = settings or certificate_settings(event)
        days = db.session.execute(db.select(EventDay.date).filter_by(event_id=event.id)).scalars().all()
        self.dates = dates_id(days)
        self.positions = positions_from_layout(settings.layout)
        config = current_app.config
        self.signing = (config.get("CERT_SIGNING_P12"), config.get("CERT_SIGNING_P12_PASSWORD")) if sign else None
        self.signer = _signer(config) if sign else None
        # The images are read here, in the request, for the same reason: a ZIP's PDFs are drawn while
        # the response streams, when there is no app context to reach the storage from. The page's
        # preview of the texts needs none (images=False).
        self.images = (_stored_bytes(settings.signer_image), _stored_bytes(settings.background),
                       self.organizer_logo(event)) if images else None
        self.renderer = self._renderer()

    def _renderer(self):
        if self.images is None:
            return None
        signature_png, background, logo_png = self.images
        return CertificateRenderer(signature_png=signature_png, background=background, logo_png=logo_png)

    def __getstate__(self):
        # Sent to the processes that draw a ZIP's PDFs as plain values: each loads the signer once.
        return {name: value for name, value in self.__dict__.items() if name not in ("signer", "renderer")}

    def __setstate__(self, state):
        self.__dict__.update(state)
        path, password = self.signing or (None, None)
        self.signer = _signer({"CERT_SIGNING_P12": path, "CERT_SIGNING_P12_PASSWORD": password})
        self.renderer = self._renderer()

    @staticmethod
    def organizer_logo(event):
        """Hook for the tenants issue: the PNG bytes of the logo of the event's tenant, drawn above the
        organiser's name. The organiser's name comes from the event until then; no logo yet."""
        return None

    def page(self, printable):
        return CertificatePage(
            organizer=self.event.organizer_name, event_title=self.event.title, dates=self.dates,
            venue=self.event.venue, full_name=printable.full_name, nip=printable.nip or "",
            organization=printable.organization_name, role=ROLE_LABELS.get(printable.role, "Peserta"),
            jp=printable.jp, number=printable.number,
            place_and_date=place_and_date(printable.issue_place, printable.issued_on),
            signer_name=printable.signer_name, signer_nip=printable.signer_nip or "",
            signer_position=printable.signer_position,
            verification_url=verification_url(printable.code, self.base_url), positions=self.positions,
        )

    def pdf(self, printable):
        """The PDF bytes of a Printable, signed when a signer is configured."""
        assert self.renderer is not None, "made with images=False: texts only"
        data = self.renderer.pdf_bytes(self.page(printable))
        if self.signer is not None:
            data = self.signer.sign(data, reason=f"Sertifikat {printable.number}")
        return data


def place_and_date(place, issued_on):
    """'Serang, 14 Juni 2022': the issuing place and date as printed."""
    written = format_date(issued_on, "d MMMM y", locale="id")
    return f"{place}, {written}" if place else written


class EventFacts(NamedTuple):
    title: str
    organizer_name: str
    venue: str
    tz: object


PRINTED = (Certificate.seq, Certificate.number, Certificate.code, Certificate.full_name, Certificate.nip,
           Certificate.organization_name, Certificate.role, Certificate.jp, Certificate.signer_name,
           Certificate.signer_nip, Certificate.signer_position, Certificate.issue_place, Certificate.issued_on)


class Printable(NamedTuple):
    """What a certificate's page needs, as plain values (the certificate's own, fixed at issue)."""

    seq: int
    number: str
    code: str
    full_name: str
    nip: str
    organization_name: str
    role: str
    jp: int
    signer_name: str
    signer_nip: str
    signer_position: str
    issue_place: str
    issued_on: date


def printable(certificate):
    return Printable(*(getattr(certificate, column.key) for column in PRINTED))


def certificate_pdf(certificate, base_url):
    """One certificate as PDF bytes (signed when CERT_SIGNING_P12 is set)."""
    documents = EventDocuments(certificate.event, base_url)
    return documents.pdf(printable(certificate))



def file_name(certificate):
    """'800-001-Diskominfo-2022 - Nama Peserta.pdf': the number and name, safe in any file system."""
    def clean(text):
        kept = "".join(ch if ch.isalnum() or ch in " .,'-_()" else "-" for ch in text)
        return " ".join(kept.split()).strip(" .")[:100] or "sertifikat"

    return f"{clean(certificate.number)} - {clean(certificate.full_name)}.pdf"


def _zip_rows(event):
    rows = db.session.execute(
        db.select(*PRINTED)
        .where(Certificate.event_id == event.id, Certificate.revoked_at.is_(None))
        .order_by(Certificate.seq)
    ).all()
    return [Printable(*row) for row in rows]


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
    """The event's certificates in force as a ZIP (`Nomor - Nama.pdf` each), as an iterator of pieces.

    Everything is read from the database here, before the first piece: the pieces are then made
    from plain values, so a response may stream them after its request's session is gone. Only
    a few PDFs are held in memory: each is written, sent and dropped. The PDFs are drawn by
    CERTIFICATE_PROCESSES processes (pdfs_in_order).
    """
    documents = EventDocuments(event, base_url, sign=sign)
    return ZipPieces(documents, _zip_rows(event), on_progress, current_app.config["CERTIFICATE_PROCESSES"])


class ZipPieces:
    """An iterator of the ZIP's pieces that knows how many certificates it holds (`total`)."""

    def __init__(self, documents, rows, on_progress, processes=1):
        self.total = len(rows)
        self._pieces = _zip_pieces(documents, rows, on_progress, processes)

    def __iter__(self):
        return self._pieces

    def __next__(self):
        return next(self._pieces)


# Fewer certificates than this are drawn in the process that asks: starting the pool costs about a second.
POOL_FROM = 40
_documents = None  # in a drawing process: the EventDocuments its pool was started with


def _start_drawing(documents):
    global _documents
    _documents = documents


def _draw(row):
    assert _documents is not None
    return _documents.pdf(row)


def pdfs_in_order(documents, rows, processes):
    """The PDF of each row, in order: drawn (and signed) by `processes` processes when there are enough
    rows, each process loading the signer once. At most two PDFs a process are waiting to be taken,
    so memory does not grow with the count."""
    if processes < 2 or len(rows) < POOL_FROM:
        yield from (documents.pdf(row) for row in rows)
        return
    # spawn, not fork: the asking process may hold database connections and threads (a gunicorn worker).
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_drawing, initargs=(documents,)) as pool:
        waiting: deque = deque()
        pending = iter(rows)
        try:
            for row in pending:
                waiting.append(pool.submit(_draw, row))
                if len(waiting) >= 2 * processes:
                    yield waiting.popleft().result()
            while waiting:
                yield waiting.popleft().result()
        finally:
            for future in waiting:
                future.cancel()


def _zip_pieces(documents, rows, on_progress, processes):
    total = len(rows)
    sink = _Chunks()
    names = set()
    with zipfile.ZipFile(cast(IO[bytes], sink), "w", compression=zipfile.ZIP_STORED) as archive:
        for done, (row, pdf) in enumerate(zip(rows, pdfs_in_order(documents, rows, processes), strict=True), start=1):
            name = file_name(row)
            if name in names:  # the same number and name twice cannot happen, but a file must not be lost
                name = f"{row.seq} {name}"
            names.add(name)
            archive.writestr(name, pdf)
            yield sink.drain()
            if on_progress is not None:
                on_progress(done, total)
    yield sink.drain()


def zip_file_name(event):
    return f"sertifikat-{event.slug}.zip"

