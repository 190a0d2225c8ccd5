"""Helpers for the certificate tests: attendance rows, PDF pages as images, QR codes read back, the settings
form, a signed-in committee, a signed set."""
import io
import re

from PIL import Image

from app.extensions import db
from app.models import Attendance


def attend(registration, *days):
    """Record `registration` present on each of `days` (EventDay objects), as any desk would."""
    for day in days:
        db.session.add(Attendance(event_id=registration.event_id, registration_id=registration.id,
                                  event_day_id=day.id, method="manual"))
    db.session.commit()


def pdf_page_image(pdf_bytes, page=0, scale=3):
    """Page `page` of a PDF rendered to a PIL image (pypdfium2), `scale` × 72 dpi."""
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return document[page].render(scale=scale).to_pil()
    finally:
        document.close()


def qr_texts(image):
    """The texts of every QR code zxing-cpp finds in a PIL image."""
    import zxingcpp

    return [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def pdf_page_count(pdf_bytes):
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    try:
        return len(document)
    finally:
        document.close()


def png_bytes(size=(200, 80)):
    stream = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 150, 255)).save(stream, format="PNG")
    return stream.getvalue()


def sign_in_admin(make, auth):
    """The install administrator made and signed in (mid-test, where the `admin` fixture comes too early)."""
    make.user("admin@example.go.id", role="admin")
    auth.login("admin@example.go.id")


def settings_form(**overrides):
    data = {
        "jp_override": "", "jp_rounding": "down", "min_days": "", "number_pattern": "800/{seq:03d}/Diskominfo/{year}",
        "signer_name": "H. Ahmad Suhendar, S.E.", "signer_nip": "197001011995031001",
        "signer_position": "Kepala Dinas", "issue_date": "2022-06-14", "issue_place": "Serang",
    }
    data.update(overrides)
    return data


def signed_set(page):
    """The signed set of registrations a badge page lists (its download and its "mark printed" carry it)."""
    return re.search(r'name="set" value="([^"]+)"', page.get_data(as_text=True)).group(1)
