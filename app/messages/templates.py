"""The committee's own wording of a kind of message, per event: plain text with {placeholders}.

Placeholders are filled by one safe substitution: a known name in braces becomes its value, anything
else stays exactly as typed (so a typo shows in the preview), and a value is never read again for
placeholders. No Jinja and no str.format on the committee's text: nothing in it can reach an attribute.

Every templated kind carries the ticket link, and a text without {tautan_tiket} is refused rather than
completed: the committee sees in the preview exactly what participants get, and the link sits where
the committee put it (an appended link would appear under a closing greeting nobody wrote it after).
"""
import re
from dataclasses import dataclass
from typing import cast

from markupsafe import Markup, escape
from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import (
    KIND_ABSENT,
    KIND_CONFIRMATION,
    KIND_REMINDER_BEFORE,
    KIND_REMINDER_DAY,
    KIND_TICKET,
    MessageTemplate,
    TemplateKind,
    utcnow,
)

TICKET_PLACEHOLDER = "{tautan_tiket}"

COMMON = ("nama", "acara", "tanggal", "tempat", "tautan_tiket")
PLACEHOLDERS = {
    KIND_CONFIRMATION: COMMON + ("tautan_ubah",),
    KIND_TICKET: COMMON + ("tautan_ubah",),
    KIND_REMINDER_BEFORE: COMMON + ("hari", "agenda"),
    KIND_REMINDER_DAY: COMMON + ("hari", "agenda"),
    KIND_ABSENT: COMMON + ("hari", "jam"),
}
TEMPLATE_KINDS = tuple(PLACEHOLDERS)

# The built-in texts as a starting point for the committee's own (the message language is the event's,
# Indonesian, whatever language the admin pages are shown in).
BUILTIN = {
    KIND_CONFIRMATION: ("Pendaftaran diterima: {acara}", (
        "Yth. {nama},\n\n"
        "Pendaftaran Anda untuk {acara}, {tanggal} di {tempat}, sudah kami terima.\n\n"
        "Simpan e-mail ini. Tautan di bawah membuka tiket Anda kapan saja.\n\n"
        "Tiket Anda (tunjukkan kode QR-nya di meja registrasi):\n{tautan_tiket}\n\n"
        "Ubah data, batalkan, atau ganti peserta (jangan bagikan tautan ini):\n{tautan_ubah}")),
    KIND_TICKET: ("Tiket Anda: {acara}", (
        "Yth. {nama},\n\n"
        "Berikut tautan tiket Anda untuk {acara}, {tanggal} di {tempat}.\n\n"
        "Tiket Anda (tunjukkan kode QR-nya di meja registrasi):\n{tautan_tiket}\n\n"
        "Ubah data, batalkan, atau ganti peserta (jangan bagikan tautan ini):\n{tautan_ubah}")),
    KIND_REMINDER_BEFORE: ("Besok: {acara}", (
        "Yth. {nama},\n\n"
        "Mengingatkan: {acara} dimulai besok, {tanggal}, di {tempat}.\n\n"
        "Tunjukkan kode QR tiket Anda di meja registrasi.\n\n"
        "Agenda:\n{agenda}\n\n"
        "Tiket Anda:\n{tautan_tiket}")),
    KIND_REMINDER_DAY: ("Hari ini, hari {hari}: {acara}", (
        "Yth. {nama},\n\n"
        "Selamat pagi. Hari ini, {tanggal}, hari {hari} {acara} di {tempat}.\n\n"
        "Agenda:\n{agenda}\n\n"
        "Tiket Anda:\n{tautan_tiket}")),
    KIND_ABSENT: ("Anda belum tercatat hadir hari ini: {acara}", (
        "Yth. {nama},\n\n"
        "Sampai pukul {jam}, Anda belum tercatat hadir di {acara} hari ini ({tanggal}).\n\n"
        "Jika Anda sudah di lokasi, tunjukkan kode QR tiket Anda di meja registrasi.\n\n"
        "Tiket Anda:\n{tautan_tiket}")),
}


@dataclass
class Wording:
    """A subject and body with placeholders (a saved MessageTemplate reads the same)."""

    subject: str
    body: str


def builtin(kind):
    subject, body = BUILTIN[kind]
    return Wording(subject, body)


PLACEHOLDER = re.compile(r"\{([a-z_]{1,30})\}")


def fill(text, values):
    """`text` with each {name} found in `values` replaced by its value; other braces stay as typed."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


URL = re.compile(r"https?://[^\s<>]+")
TRAILING = ".,;:!?)"


def _link(match):
    url = match.group(0)
    tail = ""
    while url and url[-1] in TRAILING:
        url, tail = url[:-1], url[-1] + tail
    # `url` is already escaped text, so it is safe inside the attribute as it is.
    return f'<a href="{url}">{url}</a>{tail}'


def text_to_html(text):
    """Plain text as HTML: escaped, its http(s) addresses clickable, line breaks kept."""
    escaped = str(escape(text))
    return Markup(URL.sub(_link, escaped).replace("\n", "<br>\n"))


def paragraphs(text):
    return [part.strip("\n") for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def find_template(event, kind):
    """The committee's MessageTemplate of `kind` for `event`, or None (the built-in text)."""
    if kind not in PLACEHOLDERS:
        return None
    return db.session.execute(
        db.select(MessageTemplate).filter_by(event_id=event.id, kind=TemplateKind(kind))
    ).scalar_one_or_none()


def templates_of(event):
    """{kind: MessageTemplate} of the kinds `event`'s committee has reworded."""
    rows = db.session.execute(db.select(MessageTemplate).filter_by(event_id=event.id)).scalars()
    return {str(row.kind): row for row in rows}


def save_template(event, kind, wording):
    """Store the committee's wording of `kind` for `event` (one per kind, kept by the database: two
    saves at once leave one row, the later text). The caller commits."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(MessageTemplate)
    now = utcnow()
    db.session.execute(
        insert.values(event_id=event.id, kind=TemplateKind(kind), subject=wording.subject, body=wording.body,
                      updated_at=now)
        .on_conflict_do_update(index_elements=["event_id", "kind"],
                               set_={"subject": wording.subject, "body": wording.body, "updated_at": now})
    )


def reset_template(event, kind):
    """Back to the built-in text. Returns whether there was a text of the committee's. The caller commits."""
    return cast(CursorResult, db.session.execute(
        delete(MessageTemplate).where(MessageTemplate.event_id == event.id,
                                      MessageTemplate.kind == TemplateKind(kind))
    )).rowcount == 1
