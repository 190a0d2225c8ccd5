"""Helpers for the certificate tests: attendance rows, PDF pages as images, QR codes read back."""
import io

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
