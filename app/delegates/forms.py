"""The OPD page's forms: one delegate (the registration form's fields and rules, without the OPD, which
the link fixes, and without the consent box: the OPD names its people by assignment), and a pasted list."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, StringField, TelField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import Form, within_years
from app.registration.forms import RegistrationForm, cleaned_by, valid_nip

MAX_PASTE_CHARACTERS = 40_000


class DelegateForm(RegistrationForm):
    organization = None  # the link's OPD
    consent = None  # stored on the committee's public task (the letter's assignment)


class PasteForm(Form):
    rows = TextAreaField(
        _l("Tempel daftar"), validators=[Length(max=MAX_PASTE_CHARACTERS)],
        description=_l("Satu orang per baris: Nama; NIP; Jabatan; Pangkat/golongan; Nomor HP; E-mail "
                       "(dipisah titik koma, atau disalin langsung dari kolom Excel)."),
    )


class LetterForm(Form):
    """The surat undangan, written once: placeholders {opd} {kuota} {batas_waktu} {tautan_opd} {nomor}
    {acara} {tanggal} {tempat} are filled per OPD."""

    foreign_phones_allowed = False  # what cleaned_by's rules ask; this form has no phone number
    number_pattern = StringField(_l("Nomor surat"), validators=[Optional(), Length(max=120)],
                                 description=_l("Mis. 005/{nomor}/Diskominfo/2022; {nomor} menjadi 001, 002, … "
                                                "menurut urutan OPD."))
    letter_date = DateField(_l("Tanggal surat"), validators=[Optional(), within_years])
    place = StringField(_l("Tempat surat"), validators=[Optional(), Length(max=100)], description=_l("Mis. Serang."))
    subject = StringField(_l("Perihal"), validators=[InputRequired(), Length(max=200)])
    body = TextAreaField(_l("Isi surat"), validators=[InputRequired(), Length(max=10_000)],
                         description=_l("Paragraf dipisah baris kosong. Isian otomatis: {opd}, {kuota}, "
                                        "{batas_waktu}, {tautan_opd}, {acara}, {tanggal}, {tempat}, {nomor}."))
    signer_role = StringField(_l("Jabatan penanda tangan"), validators=[Optional(), Length(max=200)],
                              description=_l("Mis. Kepala Dinas Komunikasi dan Informatika."))
    signer_name = StringField(_l("Nama penanda tangan"), validators=[Optional(), Length(max=200)])
    signer_nip = StringField(_l("NIP penanda tangan"), validators=[valid_nip],
                             description=_l("18 angka; kosongkan jika tidak ada."))

    def fields_to_save(self):
        return {
            "number_pattern": (self.number_pattern.data or "").strip(), "letter_date": self.letter_date.data,
            "place": (self.place.data or "").strip(), "subject": self.subject.data.strip(),
            "body": self.body.data.replace("\r\n", "\n").strip(), "signer_role": (self.signer_role.data or "").strip(),
            "signer_name": (self.signer_name.data or "").strip(), "signer_nip": self.signer_nip.cleaned,
        }


class ContactForm(Form):
    """An OPD's contact: where its invitation reminders go. Both optional; the form's rules for each."""

    foreign_phones_allowed = False
    optional_fields = ("email", "phone")  # both may be left empty
    contact_email = EmailField(_l("E-mail kontak OPD"), validators=[cleaned_by("email")],
                               description=_l("Biasanya e-mail sekretariat OPD."))
    contact_phone = TelField(_l("WhatsApp kontak OPD"), validators=[cleaned_by("phone")],
                             description=_l("Contoh: 0812 3456 7890."))

