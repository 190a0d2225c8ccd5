"""What each message says: subject, plain text and HTML, in the event's language (Indonesian).

Messages are written when they are queued, so the worker sends exactly what was meant then and
needs no request. Links are absolute: from PUBLIC_BASE_URL when set, else from the request that
caused the message (the host the participant used).
"""
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from app.formatting import clock, date_span, long_date, tz_abbreviation
from app.messages import templates
from app.models import (
    CHANNEL_EMAIL,
    CHANNEL_WHATSAPP,
    KIND_ABSENT,
    KIND_CONFIRMATION,
    KIND_FREE,
    KIND_REMINDER_BEFORE,
    KIND_REMINDER_DAY,
    KIND_TICKET,
    utcnow,
)


@dataclass
class Content:
    subject: str
    text: str
    html: str | None = None


@dataclass
class Draft:
    """The parts of a message before it is rendered as text and as HTML."""

    subject: str
    greeting: str
    paragraphs: list[str]
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    agenda: list[tuple[str, str]] = field(default_factory=list)  # (time, title)
    notes: list[str] = field(default_factory=list)


def wa_me(phone, text=""):
    """A wa.me click-through link to `phone` (+62…), with the text filled in."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return f"https://wa.me/{digits}" + (f"?text={quote(text)}" if text else "")


FALLBACK_BASE_URL = "http://localhost:5000"


def public_base_url(base_url=None):
    """The address links in messages start with: PUBLIC_BASE_URL, else `base_url` (the address of the
    request that caused them), else None (unknown: links would point at the fallback)."""
    return current_app.config.get("PUBLIC_BASE_URL") or base_url or None


@contextmanager
def message_context(base_url=None):
    """Where messages are written: the default language, links on PUBLIC_BASE_URL, else on `base_url` (the
    address the committee used when scheduling), else on the request's host."""
    base = public_base_url(base_url)
    if has_request_context() and not base:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            yield
        return
    with current_app.test_request_context(base_url=base or FALLBACK_BASE_URL), \
            force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


def ticket_url(registration):
    return url_for("registration.ticket", token=registration.ticket_token, _external=True)


def edit_url(registration):
    return url_for("messages.edit_registration", token=registration.edit_token, _external=True)


def _contact_note(event):
    if not event.contact_phone:
        return None
    name = event.contact_name or _("panitia")
    return _("Hubungi panitia: %(name)s, WhatsApp %(link)s", name=name, link=wa_me(event.contact_phone))


def _when_where(event):
    return _("%(dates)s di %(venue)s", dates=date_span(event.days), venue=event.venue)


def _agenda(event, day):
    return [
        (clock(item.starts_at, event) + (f"–{clock(item.ends_at, event)}" if item.ends_at else ""), item.title)
        for item in event.agenda_items if item.event_day_id == day.id
    ]


# draft_for's `template` when the caller has not looked it up.
LOOK_UP = object()


def draft_for(kind, registration, *, day=None, subject="", body="", template=LOOK_UP, channel=CHANNEL_EMAIL):
    """The Draft of a message of `kind` to `registration` (day: for the day reminders): the committee's
    wording of `kind` for the event (`template`: a MessageTemplate or Wording, None for the built-in text;
    looked up when not given), else the built-in text. A WhatsApp message leaves from the committee's
    phone, so it never carries the edit link (the participant's own secret)."""
    event = registration.event
    if template is LOOK_UP:
        template = templates.find_template(event, kind)
    if template is not None and kind in templates.PLACEHOLDERS:
        draft = _draft_from(template, kind, registration, day, channel)
    else:
        draft = _builtin_draft(kind, registration, day=day, subject=subject, body=body, channel=channel)
    note = _contact_note(event)
    if note:
        draft.notes.append(note)
    return draft


def template_values(kind, registration, day=None, channel=CHANNEL_EMAIL):
    """What each placeholder of `kind` stands for, in a message to `registration` over `channel`."""
    event = registration.event
    values = {"nama": registration.full_name, "acara": event.title, "tempat": event.venue,
              "tanggal": date_span(event.days), "tautan_tiket": ticket_url(registration)}
    if kind in (KIND_CONFIRMATION, KIND_TICKET):
        values["tautan_ubah"] = edit_url(registration) if channel != CHANNEL_WHATSAPP else ""
    else:
        day = day or event.days[0]
        values.update(tanggal=long_date(day.date), hari=str(day.number))
        if kind == KIND_ABSENT:
            values["jam"] = f"{clock(utcnow(), event)} {tz_abbreviation(event)}"
        else:
            values["agenda"] = "\n".join(f"- {time} {title}" for time, title in _agenda(event, day)) or "-"
    return {name: value for name, value in values.items() if name in templates.PLACEHOLDERS[kind]}


def _draft_from(template, kind, registration, day, channel=CHANNEL_EMAIL):
    values = template_values(kind, registration, day, channel)
    subject = " ".join(templates.fill(template.subject, values).split())
    return Draft(subject, "", templates.paragraphs(templates.fill(template.body, values)))


def _builtin_draft(kind, registration, *, day=None, subject="", body="", channel=CHANNEL_EMAIL):
    event = registration.event
    greeting = _("Yth. %(name)s,", name=registration.full_name)
    ticket_link = (_("Tiket Anda (tunjukkan kode QR-nya di meja registrasi)"), ticket_url(registration))
    edit_links = ([(_("Ubah data, batalkan, atau ganti peserta (jangan bagikan tautan ini)"), edit_url(registration))]
                  if channel != CHANNEL_WHATSAPP else [])
    if kind == KIND_CONFIRMATION:
        draft = Draft(
            _("Pendaftaran diterima: %(event)s", event=event.title), greeting,
            [_("Pendaftaran Anda untuk %(event)s, %(when)s, sudah kami terima.", event=event.title,
               when=_when_where(event)),
             _("Simpan e-mail ini. Tautan di bawah membuka tiket Anda kapan saja.")],
            [ticket_link, *edit_links],
        )
    elif kind == KIND_TICKET:
        draft = Draft(
            _("Tiket Anda: %(event)s", event=event.title), greeting,
            [_("Berikut tautan tiket Anda untuk %(event)s, %(when)s.", event=event.title, when=_when_where(event))],
            [ticket_link, *edit_links],
        )
    elif kind == KIND_REMINDER_BEFORE:
        day = day or event.days[0]
        draft = Draft(
            _("Besok: %(event)s", event=event.title), greeting,
            [_("Mengingatkan: %(event)s dimulai besok, %(date)s, di %(venue)s.", event=event.title,
               date=long_date(day.date), venue=event.venue),
             _("Tunjukkan kode QR tiket Anda di meja registrasi.")],
            [ticket_link], _agenda(event, day),
        )
    elif kind == KIND_REMINDER_DAY:
        day = day or event.days[0]
        draft = Draft(
            _("Hari ini, hari %(n)s: %(event)s", n=day.number, event=event.title), greeting,
            [_("Selamat pagi. Hari ini, %(date)s, hari %(n)s %(event)s di %(venue)s.", date=long_date(day.date),
               n=day.number, event=event.title, venue=event.venue)],
            [ticket_link], _agenda(event, day),
        )
    elif kind == KIND_ABSENT:
        day = day or event.days[0]
        draft = Draft(
            _("Anda belum tercatat hadir hari ini: %(event)s", event=event.title), greeting,
            [_("Sampai pukul %(time)s %(tz)s, Anda belum tercatat hadir di %(event)s hari ini (%(date)s).",
               time=clock(utcnow(), event), tz=tz_abbreviation(event), event=event.title, date=long_date(day.date)),
             _("Jika Anda sudah di lokasi, tunjukkan kode QR tiket Anda di meja registrasi.")],
            [ticket_link],
        )
    elif kind == KIND_FREE:
        draft = Draft(subject or event.title, greeting, [p for p in body.split("\n\n") if p.strip()], [ticket_link])
    else:
        raise ValueError(f"unknown message kind {kind!r}")
    return draft



def render(draft, event):
    """Content (subject, text, HTML) of a Draft."""
    values = {"draft": draft, "event": event, "paragraphs_html": [templates.text_to_html(p) for p in draft.paragraphs],
              "notes_html": [templates.text_to_html(note) for note in draft.notes]}
    return Content(
        subject=draft.subject,
        text=render_template("messages/email.txt", **values),
        html=render_template("messages/email.html", **values),
    )


def compose(kind, registration, **options):
    """Content of a message of `kind` to `registration`, written in message_context()."""
    with message_context():
        return render(draft_for(kind, registration, **options), registration.event)
