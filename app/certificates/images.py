"""The signature/stamp image and the background of an event's certificates: checked by content, stored."""
import io
import re
import threading

import pypdfium2
from PIL import Image, UnidentifiedImageError

from app.extensions import db
from app.materials.services import release_stored_file
from app.materials.sniffing import content_matches
from app.storage import delete_unless_committed

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_BACKGROUND_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
# A one-page PDF background is drawn once, at upload, to an image at this resolution.
BACKGROUND_DPI = 200
# Names that make a PDF act rather than show; a background has no business with them. (Only seen when
# not inside a compressed object stream; rendering runs no scripts either way.)
PDF_ACTIONS = re.compile(rb"/(?:JavaScript|JS|Launch)\b")
# PDFium may not be entered from two threads at once, not even for two documents (pypdfium2's
# documentation), and a gthread worker serves two uploads in two threads: one at a time.
PDFIUM = threading.Lock()


class ImageRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def read_png(stream, *, max_bytes=MAX_IMAGE_BYTES, kinds=("png",)):
    """The bytes of an uploaded image of one of `kinds` ("png", "jpg"), or ImageRefused: checked by
    its content, not its name."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise ImageRefused("empty")
    if len(data) > max_bytes:
        raise ImageRefused("too_large")
    if not any(content_matches(kind, io.BytesIO(data)) for kind in kinds):
        raise ImageRefused("not_png")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageRefused("too_large")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRefused("not_png") from None
    return data


def read_background(stream, *, max_bytes=MAX_BACKGROUND_BYTES):
    """The image bytes of an uploaded background: a PNG or JPEG as it is, or a one-page PDF drawn to a
    PNG at BACKGROUND_DPI; ImageRefused otherwise."""
    data = stream.read(max_bytes + 1)
    if not data.startswith(b"%PDF-"):
        return read_png(io.BytesIO(data), max_bytes=max_bytes, kinds=("png", "jpg"))
    if len(data) > max_bytes:
        raise ImageRefused("too_large")
    if PDF_ACTIONS.search(data):
        raise ImageRefused("pdf_actions")
    return _pdf_page_png(data)


def _pdf_page_png(data):
    with PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            raise ImageRefused("not_pdf") from None
        try:
            if len(document) != 1:
                raise ImageRefused("pdf_pages")
            page = document[0]
            scale = BACKGROUND_DPI / 72
            width, height = page.get_size()
            if width * scale * height * scale > MAX_PIXELS:
                raise ImageRefused("too_large")
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def replace_stored_image(storage, settings, attribute, data):
    """Store `data` (or nothing, for None) as settings.<attribute>; the old file goes once committed."""
    old = getattr(settings, attribute)
    new = None
    if data is not None:
        new = storage.save(io.BytesIO(data))
        delete_unless_committed(db.session, storage, new)
    setattr(settings, attribute, new)
    db.session.flush()
    if old:
        release_stored_file(storage, old)  # a copied event may still sign with it
