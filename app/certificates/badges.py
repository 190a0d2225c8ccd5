"""Name badges: A4 sheets of 2 × 4 tags of 90 × 55 mm with cut marks, each with the ticket's QR.

`write_badges_pdf(badges, stream)` is pure (plain Badge values in, PDF bytes out); `badges_for`
reads them (filtered by OPD and "not printed yet") and `mark_printed` records the print.
A printed badge checks in at the desk like the phone's ticket: its QR holds the ticket token alone.
"""
from typing import NamedTuple, cast

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import CursorResult, update

from app.certificates.pdf import draw_qr
from app.extensions import db
from app.models import STATUS_REGISTERED, Organization, Registration

BADGE_W, BADGE_H = 90 * mm, 55 * mm
COLUMNS, ROWS = 2, 4
PAGE_W, PAGE_H = A4
LEFT = (PAGE_W - COLUMNS * BADGE_W) / 2
BOTTOM = (PAGE_H - ROWS * BADGE_H) / 2
CUT_MARK = 5 * mm
ROLE_BANDS = {
    "peserta": ("PESERTA", (0.06, 0.32, 0.20)),
    "narasumber": ("NARASUMBER", (0.05, 0.27, 0.55)),
    "moderator": ("MODERATOR", (0.36, 0.18, 0.55)),
    "panitia": ("PANITIA", (0.70, 0.11, 0.11)),
}


class Badge(NamedTuple):
    full_name: str
    position: str
    organization: str
    role: str
    ticket_token: str


def badges_for(event, *, organization_id=None, not_printed=False, registration_ids=None):
    """The event's active registrations as Badges, by OPD then name, optionally of one OPD, not yet printed,
    or among `registration_ids` (the set of one download)."""
    query = (
        db.select(Registration.id, Registration.full_name, Registration.position, Organization.name,
                  Registration.role, Registration.ticket_token)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED)
        .order_by(Organization.name, Registration.full_name, Registration.id)
    )
    if organization_id is not None:
        query = query.where(Registration.organization_id == organization_id)
    if not_printed:
        query = query.where(Registration.badge_printed_at.is_(None))
    if registration_ids is not None:
        query = query.where(Registration.id.in_(registration_ids))
    rows = db.session.execute(query).all()
    return [row[0] for row in rows], [Badge(*row[1:]) for row in rows]


def mark_printed(registration_ids, now):
    """Record that these registrations' badges were printed. The caller commits."""
    for start in range(0, len(registration_ids), 500):
        db.session.execute(
            update(Registration).where(Registration.id.in_(registration_ids[start:start + 500]))
            .values(badge_printed_at=now).execution_options(synchronize_session=False)
        )


def _cut_marks(c):
    """Short lines in the margins along every cut, so a guillotine or scissors find the lines."""
    c.setStrokeColorRGB(0.3, 0.3, 0.3)
    c.setLineWidth(0.4)
    right, top = LEFT + COLUMNS * BADGE_W, BOTTOM + ROWS * BADGE_H
    for column in range(COLUMNS + 1):
        x = LEFT + column * BADGE_W
        c.line(x, top + 1 * mm, x, top + 1 * mm + CUT_MARK)
        c.line(x, BOTTOM - 1 * mm, x, BOTTOM - 1 * mm - CUT_MARK)
    for row in range(ROWS + 1):
        y = BOTTOM + row * BADGE_H
        c.line(LEFT - 1 * mm, y, LEFT - 1 * mm - CUT_MARK, y)
        c.line(right + 1 * mm, y, right + 1 * mm + CUT_MARK, y)


def _lines(c, text, font, size, width, max_lines):
    lines = simpleSplit(text or "", font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def _badge(c, badge, x, y, event_title):
    label, colour = ROLE_BANDS.get(badge.role, ROLE_BANDS["peserta"])
    c.setStrokeColorRGB(0.75, 0.75, 0.75)
    c.setLineWidth(0.3)
    c.rect(x, y, BADGE_W, BADGE_H)
    band = 10 * mm
    c.setFillColorRGB(*colour)
    c.rect(x, y + BADGE_H - band, BADGE_W, band, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(x + BADGE_W / 2, y + BADGE_H - band + 3.3 * mm, label)

    qr_size = 30 * mm
    qr_x = x + BADGE_W - qr_size - 3 * mm
    draw_qr(c, badge.ticket_token, qr_x, y + 7 * mm, qr_size)
    text_x, width = x + 4 * mm, qr_x - x - 6 * mm
    c.setFillColorRGB(0.1, 0.12, 0.16)
    top = y + BADGE_H - band - 7 * mm
    size = 13
    while size > 9 and len(simpleSplit(badge.full_name, "Helvetica-Bold", size, width)) > 2:
        size -= 1
    for line in _lines(c, badge.full_name, "Helvetica-Bold", size, width, 3):
        c.setFont("Helvetica-Bold", size)
        c.drawString(text_x, top, line)
        top -= size * 1.15
    top -= 1.5 * mm
    c.setFont("Helvetica", 8.5)
    for text in (badge.position, badge.organization):
        for line in _lines(c, text, "Helvetica", 8.5, width, 2):
            c.drawString(text_x, top, line)
            top -= 8.5 * 1.2
    c.setFont("Helvetica", 6.5)
    c.setFillColorRGB(0.35, 0.35, 0.35)
    for index, line in enumerate(_lines(c, event_title, "Helvetica", 6.5, BADGE_W - 8 * mm, 1)):
        c.drawString(text_x, y + 3 * mm + index * 7, line)


def write_badges_pdf(badges, stream, *, event_title=""):
    """Write A4 pages of 2 × 4 badges (90 × 55 mm) with cut marks to the binary `stream`."""
    c = Canvas(stream, pagesize=A4, pageCompression=1)
    c.setTitle(f"Lencana {event_title}".strip())
    per_page = COLUMNS * ROWS
    if not badges:
        _cut_marks(c)
        c.showPage()
    for start in range(0, len(badges), per_page):
        _cut_marks(c)
        for index, badge in enumerate(badges[start:start + per_page]):
            row, column = divmod(index, COLUMNS)
            _badge(c, badge, LEFT + column * BADGE_W, BOTTOM + (ROWS - 1 - row) * BADGE_H, event_title)
        c.showPage()
    c.save()


def set_role(event, registration_id, role):
    """Give a registration of `event` a badge role; False if there is no such registration. The caller commits."""
    done = db.session.execute(
        update(Registration).where(Registration.id == registration_id, Registration.event_id == event.id)
        .values(role=role).execution_options(synchronize_session=False)
    )
    return cast(CursorResult, done).rowcount == 1  # an UPDATE's result is a CursorResult
