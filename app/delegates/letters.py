"""The surat undangan: written once per event, printed once per OPD taking part — that OPD's name, quota,
deadline and own link (with its QR code) — as an editable .docx and as a PDF, all in one ZIP.

The text is the committee's, with placeholders filled by the same safe substitution as the message
templates (anything else in braces stays as typed). Letters are in Indonesian whatever language the
console is shown in.
"""
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from flask_babel import force_locale, format_date
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from app.delegates import services
from app.extensions import db
from app.formatting import clock, date_span, short_moment
from app.messages.templates import fill
from app.models.delegate import InvitationLetter
from app.tickets.images import write_qr_png

PLACEHOLDERS = ("nomor", "opd", "kuota", "batas_waktu", "tautan_opd", "acara", "tanggal", "tempat")
DEFAULT_SUBJECT = "Undangan {acara}"
DEFAULT_BODY = (
    "Dalam rangka {acara} yang akan dilaksanakan pada {tanggal} bertempat di {tempat}, dengan hormat "
    "kami mohon Bapak/Ibu Kepala {opd} berkenan menugaskan {kuota} orang pegawai untuk mengikuti "
    "kegiatan tersebut.\n\n"
    "Nama pegawai yang ditugaskan mohon diisikan paling lambat {batas_waktu} melalui tautan berikut, "
    "atau dengan memindai kode QR pada surat ini:\n{tautan_opd}\n\n"
    "Agenda kegiatan terlampir. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih."
)
EDITABLE = ("number_pattern", "letter_date", "place", "subject", "body", "signer_role", "signer_name", "signer_nip")


def letter_of(event):
    """The event's letter, or an unsaved one with the starting text."""
    found = db.session.get(InvitationLetter, event.id)
    return found or InvitationLetter(event_id=event.id, number_pattern="", place="", subject=DEFAULT_SUBJECT,
                                     body=DEFAULT_BODY, signer_role="", signer_name="", signer_nip=None)


def save_letter(event, fields):
    """Store the letter's fields (already cleaned). The caller commits."""
    letter = db.session.get(InvitationLetter, event.id)
    if letter is None:
        letter = InvitationLetter(event_id=event.id)
        db.session.add(letter)
    for name in EDITABLE:
        setattr(letter, name, fields[name])
    return letter


@dataclass
class OneLetter:
    """What one OPD's letter says, every placeholder filled."""

    file_stem: str
    number: str
    addressee: str
    subject: str
    paragraphs: list[str]
    link: str


def _letters(event, letter, base_url):
    """One OneLetter per OPD taking part, by name; OPDs without a live link get one now (the caller commits)."""
    services.issue_links(event)
    when = date_span(event.days)
    for position, (organization, quota, _count, link) in enumerate(services.opd_overview(event), start=1):
        url = f"{base_url.rstrip('/')}/opd/{link.token}"
        closes = services.closes_at(link, event)
        values = {
            "nomor": f"{position:03d}", "opd": organization.name,
            "kuota": str(quota) if quota is not None else "beberapa",
            "batas_waktu": short_moment(closes, event) if closes else "hari pertama kegiatan",
            "tautan_opd": url, "acara": event.title, "tanggal": when, "tempat": event.venue,
        }
        body = fill(letter.body, values)
        yield OneLetter(
            file_stem=f"{position:03d}-{_safe(organization.short_name)}",
            number=fill(letter.number_pattern, values) if letter.number_pattern else "",
            addressee=f"Kepala {organization.name}",
            subject=fill(letter.subject, values),
            paragraphs=[part.strip() for part in body.split("\n\n") if part.strip()],
            link=url,
        )


def _safe(name):
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")[:40] or "opd"


def _qr_png(link):
    stream = io.BytesIO()
    write_qr_png(link, stream, box_size=6)
    return stream.getvalue()


def _agenda_rows(event):
    rows = []
    for number, day in enumerate(event.days, start=1):
        for item in (item for item in event.agenda_items if item.event_day_id == day.id):
            time_span = clock(item.starts_at, event) + (f"–{clock(item.ends_at, event)}" if item.ends_at else "")
            rows.append((f"Hari {number}", time_span, item.title, item.speaker or ""))
    return rows


def _signature_lines(event, letter):
    place_date = ", ".join(part for part in (
        letter.place, format_date(letter.letter_date, "d MMMM y") if letter.letter_date else "") if part)
    lines = [place_date, letter.signer_role, "", "", "", letter.signer_name]
    if letter.signer_nip:
        lines.append(f"NIP {letter.signer_nip}")
    return lines


def write_docx(stream, event, letter, one):
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    for line in event.tenant.letterhead_lines:
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(line).bold = True
    table = document.add_table(rows=0, cols=2)
    for label, value in (("Nomor", one.number), ("Perihal", one.subject)):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, f": {value}"
    document.add_paragraph()
    document.add_paragraph(f"Kepada Yth.\n{one.addressee}\ndi Tempat")
    for paragraph in one.paragraphs:
        document.add_paragraph(paragraph)
    document.add_picture(io.BytesIO(_qr_png(one.link)), width=Cm(3.5))
    for line in _signature_lines(event, letter):
        signature = document.add_paragraph(line)
        signature.paragraph_format.left_indent = Cm(9)
        signature.paragraph_format.space_after = Pt(0)
    rows = _agenda_rows(event)
    if rows:
        document.add_page_break()
        document.add_paragraph().add_run(f"Lampiran: Agenda {event.title}").bold = True
        agenda = document.add_table(rows=1, cols=4)
        agenda.style = "Table Grid"
        for cell, title in zip(agenda.rows[0].cells, ("Hari", "Waktu", "Acara", "Narasumber"), strict=True):
            cell.text = title
        for row in rows:
            for cell, value in zip(agenda.add_row().cells, row, strict=True):
                cell.text = value
    document.save(stream)


def write_pdf(stream, event, letter, one):
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=8)
    centred = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", alignment=1, spaceAfter=0)
    signature = ParagraphStyle("sign", parent=body, leftIndent=9 * cm, spaceAfter=0)
    story = [Paragraph(escape(line), centred) for line in event.tenant.letterhead_lines]
    story += [Spacer(1, 12), Table([["Nomor", f": {one.number}"], ["Perihal", f": {one.subject}"]],
                                   colWidths=[2.5 * cm, 13 * cm], hAlign="LEFT"), Spacer(1, 12)]
    story.append(Paragraph(escape(f"Kepada Yth.\n{one.addressee}\ndi Tempat").replace("\n", "<br/>"), body))
    story += [Paragraph(escape(part).replace("\n", "<br/>"), body) for part in one.paragraphs]
    story.append(Image(io.BytesIO(_qr_png(one.link)), width=3.5 * cm, height=3.5 * cm, hAlign="LEFT"))
    story += [Paragraph(escape(line) or "&nbsp;", signature) for line in _signature_lines(event, letter)]
    rows = _agenda_rows(event)
    if rows:
        story += [PageBreak(), Paragraph(escape(f"Lampiran: Agenda {event.title}"), centred), Spacer(1, 8)]
        cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11, spaceAfter=0)
        data = [["Hari", "Waktu", "Acara", "Narasumber"]]
        data += [[Paragraph(escape(value), cell) for value in row] for row in rows]
        story.append(Table(data, colWidths=[2 * cm, 2.6 * cm, 7 * cm, 4.4 * cm], repeatRows=1,
                           style=[("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(stream, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2 * cm,
                      bottomMargin=2 * cm, title=one.subject).build(story)


def letters_zip(event, base_url):
    """The ZIP of every OPD's letter, .docx and .pdf (bytes). Makes missing links; the caller commits."""
    letter = letter_of(event)
    archive = io.BytesIO()
    with force_locale("id"), zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for one in _letters(event, letter, base_url):
            for suffix, writer in ((".docx", write_docx), (".pdf", write_pdf)):
                stream = io.BytesIO()
                writer(stream, event, letter, one)
                bundle.writestr(f"undangan-{event.slug}/{one.file_stem}{suffix}", stream.getvalue())
    return archive.getvalue()
