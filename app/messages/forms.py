import re

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.forms import TEXT_MESSAGES, Form, one_line, visible_text, within_years
from app.messages.templates import TICKET_PLACEHOLDER
from app.registration.forms import MESSAGES as REGISTRATION_MESSAGES
from app.routing import parse_id
from app.timezones import utc_to_local
from app.values import InvalidValue, clean_email, clean_nip, clean_phone, normalize_text


def an_email_or_a_nip(_form, field):
    """What was typed must be able to name someone: an e-mail, or a whole NIP. Saying so gives nothing away
    about who is registered, and spares someone who typed 17 digits a wait for an e-mail that never comes."""
    typed = field.data or ""
    try:
        clean_email(typed) if "@" in typed else clean_nip(typed)
    except InvalidValue:
        raise ValidationError(_l("Ketik e-mail atau NIP (18 angka) yang Anda daftarkan.")) from None


class ForgotTicketForm(Form):
    identifier = StringField(
        _l("E-mail atau NIP yang Anda daftarkan"),
        validators=[DataRequired(_l("Wajib diisi.")), Length(max=254, message=_l("Terlalu panjang.")),
                    an_email_or_a_nip],
    )


KINDS = [
    SelectChoice("reminder_before", _l("Pengingat H-1 (tempat dan agenda)")),
    SelectChoice("reminder_day", _l("Pengingat pagi hari N")),
    SelectChoice("absent", _l("Anda belum tercatat hadir hari ini")),
    SelectChoice("ticket", _l("Tautan tiket")),
    SelectChoice("free", _l("Pesan bebas")),
]


class ComposeForm(Form):
    """The Pesan page: which message, to whom, when."""

    kind = SelectField(_l("Pesan"), choices=KINDS)
    audience = SelectField(_l("Penerima"), choices=[])
    channel = SelectField(_l("Lewat"), default="email", choices=[
        SelectChoice("email", _l("E-mail (dikirim otomatis)")),
        SelectChoice("whatsapp", _l("WhatsApp (daftar pesan untuk dibuka satu per satu)")),
    ])
    day = SelectField(_l("Hari"), choices=[], coerce=lambda value: parse_id(str(value)) if value else None,
                      validate_choice=False)
    subject = StringField(_l("Judul (pesan bebas)"),
                          validators=[one_line, Length(max=300, message=_l("Terlalu panjang."))])
    body = TextAreaField(
        _l("Isi (pesan bebas)"), validators=[Length(max=5000, message=_l("Terlalu panjang."))],
        description=_l("Pisahkan paragraf dengan satu baris kosong. Tautan tiket ditambahkan sendiri."),
    )
    send_at = DateTimeLocalField(_l("Kirim pada"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
                                 description=_l("Waktu setempat acara. Kosongkan: kirim sekarang."))

    def validate_day(self, field):
        if self.kind.data in ("reminder_day", "absent") and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l("Pilih hari."))

    def validate_subject(self, field):
        if self.kind.data == "free" and not (field.data or "").strip():
            raise ValidationError(_l("Wajib diisi."))

    def validate_body(self, field):
        if self.kind.data == "free" and not (field.data or "").strip():
            raise ValidationError(_l("Wajib diisi."))


class TemplateForm(Form):
    """The committee's wording of one kind of message (the Pesan page's Template section)."""

    subject = StringField(_l("Judul"), validators=[one_line, visible_text, DataRequired(_l("Wajib diisi.")),
                                                   Length(max=300, message=_l("Terlalu panjang."))])
    body = TextAreaField(_l("Isi"), validators=[DataRequired(_l("Wajib diisi.")),
                                                Length(max=5000, message=_l("Terlalu panjang."))],
                         render_kw={"rows": 12})

    def validate_body(self, field):
        try:
            # Each line as typed text is read everywhere; the lines and blank lines between paragraphs stay.
            lines = [normalize_text(line) for line in (field.data or "").splitlines()]
        except InvalidValue as error:
            raise ValidationError(TEXT_MESSAGES[error.code]) from None
        field.data = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
        if not field.data:
            raise ValidationError(_l("Wajib diisi."))
        if TICKET_PLACEHOLDER not in field.data:
            raise ValidationError(_l("Isi harus memuat {tautan_tiket}: tanpa tautan itu peserta tidak dapat "
                                     "membuka tiketnya dari pesan ini."))


class ContactForm(Form):
    """The event's contact person and when self-service changes close."""

    contact_name = StringField(_l("Nama kontak panitia"),
                               validators=[Optional(), Length(max=200, message=_l("Terlalu panjang."))])
    contact_phone = StringField(_l("Nomor WhatsApp kontak panitia"), description=_l("Contoh: 0812 3456 7890."))
    edits_close_at = DateTimeLocalField(
        _l("Perubahan data oleh peserta ditutup"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
        description=_l("Waktu setempat acara. Tanpa batas ini, peserta dapat mengubah data dan menyerahkan kursi "
                       "sampai ia check-in (paling lambat akhir hari terakhir acara)."),
    )

    def validate_contact_phone(self, field):
        if not (field.data or "").strip():
            field.cleaned = None
            return
        try:
            field.cleaned = clean_phone(field.data)
        except InvalidValue as error:
            raise ValidationError(REGISTRATION_MESSAGES[error.code]) from None


def contact_form_for(event):
    """The contact form filled with the event's values (for the Pengaturan page's partial)."""
    form = ContactForm(formdata=None)
    form.contact_name.data = event.contact_name
    form.contact_phone.data = event.contact_phone
    form.edits_close_at.data = utc_to_local(event.edits_close_at, event.timezone)
    return form
