"""The certificate as a PDF page (A4 landscape), drawn with reportlab. Pure: data in, bytes to a stream.

`CertificatePage` holds every text already written out (in Indonesian: the certificate is
an official document whatever the screen language). `CertificateRenderer` keeps what all
pages of one run share (the signature image, the background, the logo) so that a ZIP of
2,000 certificates reads and decodes each image once.
"""
import io
import json
from dataclasses import dataclass, field

import qrcode
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

# Images as binary streams rather than ASCII85 text: a PDF is a binary file anyway, and without
# reportlab's optional C accelerator (rl_accel, not installed) ASCII85 is a pure-Python loop that
# cost a fifth of each certificate's time.
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
# Any fixed mask reads as well as the "best" one; choosing it skips qrcode's trial of all eight,
# half of each certificate's time.
QR_MASK = 2
INK = (0.10, 0.12, 0.16)
ACCENT = (0.06, 0.32, 0.20)

# Where each block sits on the page, in mm from the bottom left: its centre (x) and baseline (y).
# A committee's background design moves them (settings.layout); the rest stays as it is.
DEFAULT_POSITIONS: dict[str, tuple[float, float]] = {
    "header": (148.5, 184),
    "title": (148.5, 164),
    "name": (148.5, 132),
    "body": (148.5, 104),
    "signer": (222, 36),
    "qr": (48, 24),
}
POSITION_NAMES = tuple(DEFAULT_POSITIONS)


@dataclass
class CertificatePage:
    organizer: str
    event_title: str
    dates: str
    venue: str
    full_name: str
    nip: str
    organization: str
    role: str  # "Peserta"
    jp: int
    number: str
    place_and_date: str  # "Serang, 14 Juni 2022"
    signer_name: str
    signer_nip: str
    signer_position: str
    verification_url: str
    positions: dict = field(default_factory=dict)


def certificate_lines(page):
    """What the page states, block by block: {block: [(line key, text), ...]} in the order it is drawn.

    The PDF draws these and the console's preview shows these, so the two cannot say different things.
    """
    person = [("full_name", page.full_name)]
    if page.nip:
        person.append(("nip", f"NIP. {page.nip}"))
    person.append(("organization", page.organization))
    signer = [("place", page.place_and_date), ("signer_position", page.signer_position),
              ("signer_name", page.signer_name)]
    if page.signer_nip:
        signer.append(("signer_nip", f"NIP. {page.signer_nip}"))
    return {
        "header": [("organizer", page.organizer.upper())],
        "title": [("title", "SERTIFIKAT"), ("number", f"Nomor: {page.number}"), ("given_to", "diberikan kepada:")],
        "name": person,
        "body": [
            ("role", f"sebagai {page.role}"), ("in", "dalam kegiatan"), ("event_title", page.event_title),
            ("details", f"yang diselenggarakan oleh {page.organizer} pada {page.dates} di {page.venue}, "
                        f"sejumlah {page.jp} JP (jam pelajaran)."),
        ],
        "signer": signer,
        "qr": [("caption", "Pindai untuk memeriksa keaslian")],
    }


def positions_from_layout(layout_json):
    """The positions a settings.layout JSON text sets, over the defaults; anything malformed is ignored."""
    positions = dict(DEFAULT_POSITIONS)
    try:
        chosen = json.loads(layout_json) if layout_json else {}
    except ValueError:
        return positions
    if not isinstance(chosen, dict):
        return positions
    for name, value in chosen.items():
        if name in positions and isinstance(value, list | tuple) and len(value) == 2:
            try:
                x, y = float(value[0]), float(value[1])
            except (TypeError, ValueError):
                continue
            if 0 <= x <= 297 and 0 <= y <= 210:
                positions[name] = (x, y)
    return positions


def _qr_matrix(data):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=QR_MASK)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def _qr_rectangles(matrix):
    """The dark modules as (column, row, width, height) rectangles: runs along a row, stacked where
    the same run repeats on the rows below (fewer path operators than one square per module)."""
    open_runs: dict[tuple[int, int], list[int]] = {}  # (start, end) -> [start row, height]
    rectangles = []
    for row_index, row in enumerate(matrix):
        runs, start = set(), None
        for column_index, dark in enumerate([*row, False]):
            if dark and start is None:
                start = column_index
            elif not dark and start is not None:
                runs.add((start, column_index))
                start = None
        for run in list(open_runs):
            if run not in runs:
                top, height = open_runs.pop(run)
                rectangles.append((run[0], top, run[1] - run[0], height))
        for run in runs:
            if run in open_runs:
                open_runs[run][1] += 1
            else:
                open_runs[run] = [row_index, 1]
    rectangles.extend((run[0], top, run[1] - run[0], height) for run, (top, height) in open_runs.items())
    return rectangles


def draw_qr(canvas, data, x, y, size):
    """The QR of `data` as vector rectangles, `size` points wide, its bottom left at (x, y)."""
    matrix = _qr_matrix(data)
    module = size / len(matrix)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for column, row, width, height in _qr_rectangles(matrix):
        path.rect(x + column * module, y + size - (row + height) * module, width * module, height * module)
    canvas.drawPath(path, stroke=0, fill=1)


class CertificateRenderer:
    """Writes certificate pages; images are read once per renderer, not once per page."""

    def __init__(self, *, signature_png=None, background=None, logo_png=None):
        self.signature = ImageReader(io.BytesIO(signature_png)) if signature_png else None
        # A background is a PNG or JPEG (bytes) the committee designed elsewhere, drawn over the whole page.
        self.background = ImageReader(io.BytesIO(background)) if background else None
        # Hook for the tenant's logo (tenants issue): drawn above the organiser's name when given.
        self.logo = ImageReader(io.BytesIO(logo_png)) if logo_png else None

    def write(self, page, stream):
        canvas = Canvas(stream, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1, invariant=0)
        canvas.setTitle(f"Sertifikat {page.number} - {page.full_name}")
        canvas.setAuthor(page.organizer)
        canvas.setSubject(page.event_title)
        self._draw(canvas, page)
        canvas.showPage()
        canvas.save()

    def pdf_bytes(self, page):
        stream = io.BytesIO()
        self.write(page, stream)
        return stream.getvalue()

    def _draw(self, c, page):
        at = dict(DEFAULT_POSITIONS, **page.positions)
        lines = {block: dict(texts) for block, texts in certificate_lines(page).items()}
        if self.background is not None:
            c.drawImage(self.background, 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
        else:
            self._frame(c)
        self._header(c, lines["header"], *at["header"])
        self._title(c, lines["title"], *at["title"])
        self._person(c, lines["name"], *at["name"])
        self._body(c, lines["body"], *at["body"])
        self._signer(c, lines["signer"], *at["signer"])
        self._qr(c, page.verification_url, lines["qr"], *at["qr"])

    @staticmethod
    def _frame(c):
        c.setStrokeColorRGB(*ACCENT)
        c.setLineWidth(3)
        c.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
        c.setLineWidth(0.8)
        c.rect(13 * mm, 13 * mm, PAGE_WIDTH - 26 * mm, PAGE_HEIGHT - 26 * mm)

    def _header(self, c, lines, x, y):
        if self.logo is not None:
            c.drawImage(self.logo, x * mm - 9 * mm, y * mm + 5 * mm, 18 * mm, 18 * mm,
                        preserveAspectRatio=True, mask="auto")
        c.setFillColorRGB(*INK)
        _centred_lines(c, lines["organizer"], "Helvetica-Bold", 13, x, y, 230)

    @staticmethod
    def _title(c, lines, x, y):
        c.setFillColorRGB(*ACCENT)
        c.setFont("Times-Bold", 40)
        c.drawCentredString(x * mm, y * mm, lines["title"])
        c.setFillColorRGB(*INK)
        c.setFont("Helvetica", 11)
        c.drawCentredString(x * mm, (y - 9) * mm, lines["number"])
        c.drawCentredString(x * mm, (y - 18) * mm, lines["given_to"])

    @staticmethod
    def _person(c, lines, x, y):
        c.setFillColorRGB(*INK)
        name = lines["full_name"]
        size = 26
        while size > 14 and c.stringWidth(name, "Times-Bold", size) > 240 * mm:
            size -= 1
        c.setFont("Times-Bold", size)
        c.drawCentredString(x * mm, y * mm, name)
        c.setLineWidth(0.6)
        c.line((x - 80) * mm, (y - 3) * mm, (x + 80) * mm, (y - 3) * mm)
        c.setFont("Helvetica", 11)
        line = y - 9
        if "nip" in lines:
            c.drawCentredString(x * mm, line * mm, lines["nip"])
            line -= 6
        _centred_lines(c, lines["organization"], "Helvetica", 11, x, line, 230)

    @staticmethod
    def _body(c, lines, x, y):
        c.setFillColorRGB(*INK)
        c.setFont("Helvetica-Bold", 13)
        c.drawCentredString(x * mm, y * mm, lines["role"])
        line = _centred_lines(c, lines["in"], "Helvetica", 11, x, y - 8, 230)
        line = _centred_lines(c, lines["event_title"], "Helvetica-Bold", 12, x, line, 230)
        _centred_lines(c, lines["details"], "Helvetica", 11, x, line, 230)

    def _signer(self, c, lines, x, y):
        c.setFillColorRGB(*INK)
        line = _centred_lines(c, lines["place"], "Helvetica", 11, x, y + 26, 100)
        _centred_lines(c, lines["signer_position"], "Helvetica", 11, x, line + 1, 100)
        if self.signature is not None:
            c.drawImage(self.signature, (x - 25) * mm, (y - 3) * mm, 50 * mm, 16 * mm,
                        preserveAspectRatio=True, mask="auto")
        name_y = y - 7
        name = lines["signer_name"]
        c.setFont("Helvetica-Bold", 11)
        c.drawCentredString(x * mm, name_y * mm, name)
        width = c.stringWidth(name, "Helvetica-Bold", 11)
        if width:
            c.line(x * mm - width / 2, (name_y - 1) * mm, x * mm + width / 2, (name_y - 1) * mm)
        if "signer_nip" in lines:
            c.setFont("Helvetica", 10)
            c.drawCentredString(x * mm, (name_y - 5.5) * mm, lines["signer_nip"])

    @staticmethod
    def _qr(c, url, lines, x, y):
        size = 30 * mm
        draw_qr(c, url, x * mm - size / 2, y * mm, size)
        c.setFillColorRGB(*INK)
        c.setFont("Helvetica", 7)
        c.drawCentredString(x * mm, (y - 3) * mm, lines["caption"])


def _centred_lines(c, text, font, size, x, y, width_mm):
    """Draw `text` wrapped to `width_mm`, centred on x (mm), from baseline y (mm) down; the next baseline."""
    c.setFont(font, size)
    leading = size * 1.35 / mm
    for line in simpleSplit(text or "", font, size, width_mm * mm):
        c.drawCentredString(x * mm, y * mm, line)
        y -= leading
    return y - 1.5
