from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TelField
from wtforms.validators import ValidationError

from app.forms import Form
from app.registration.rules import InvalidValue, clean_email, clean_nip, clean_phone, clean_text

MESSAGES = {
    "required": _l("Wajib diisi."),
    "too_long": _l("Terlalu panjang."),
    "nip_invalid": _l("NIP harus 18 angka. Kosongkan jika Anda bukan ASN."),
    "phone_invalid": _l("Nomor HP tidak valid. Contoh: 0812 3456 7890."),
    "email_invalid": _l("Alamat e-mail tidak valid. Contoh: nama@serangkota.go.id."),
    "duplicate_nip": _l("NIP ini sudah terdaftar di acara ini."),
    "duplicate_email": _l("E-mail ini sudah terdaftar di acara ini."),
    "quota_full": _l("Kuota peserta untuk OPD ini sudah penuh. Hubungi panitia."),
    "capacity_full": _l("Kapasitas acara sudah penuh."),
    "organization_unknown": _l("Pilih OPD dari daftar."),
    "not_open": _l("Pendaftaran belum dibuka."),
    "closed": _l("Pendaftaran sudah ditutup."),
}


def _int_or_none(value):
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


def cleaned_by(cleaner):
    """A WTForms validator that runs a rule and keeps its cleaned value in field.cleaned."""

    def validate(form, field):
        try:
            field.cleaned = cleaner(field.data)
        except InvalidValue as error:
            raise ValidationError(MESSAGES[error.code]) from None

    return validate


# Pangkat/golongan of PNS, offered as suggestions; anything else may be typed.
RANKS = (
    "Juru Muda (I/a)", "Juru Muda Tingkat I (I/b)", "Juru (I/c)", "Juru Tingkat I (I/d)",
    "Pengatur Muda (II/a)", "Pengatur Muda Tingkat I (II/b)", "Pengatur (II/c)", "Pengatur Tingkat I (II/d)",
    "Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)", "Penata Tingkat I (III/d)",
    "Pembina (IV/a)", "Pembina Tingkat I (IV/b)", "Pembina Utama Muda (IV/c)",
    "Pembina Utama Madya (IV/d)", "Pembina Utama (IV/e)",
)


class RegistrationForm(Form):
    full_name = StringField(
        _l("Nama lengkap"), validators=[cleaned_by(lambda v: clean_text(v, max_length=200))],
        description=_l("Beserta gelar, seperti yang akan tertulis di daftar hadir."),
    )
    nip = StringField(
        _l("NIP"), validators=[cleaned_by(clean_nip)],
        description=_l("18 angka. Kosongkan jika Anda bukan ASN."),
    )
    position = StringField(_l("Jabatan"), validators=[cleaned_by(lambda v: clean_text(v, max_length=200))])
    rank = StringField(
        _l("Pangkat/golongan"), validators=[cleaned_by(lambda v: clean_text(v, required=False, max_length=100))],
        description=_l("Boleh dikosongkan."),
    )
    organization = SelectField(_l("OPD"), coerce=_int_or_none, validate_choice=False)
    phone = TelField(
        _l("Nomor HP (WhatsApp)"), validators=[cleaned_by(clean_phone)],
        description=_l("Contoh: 0812 3456 7890."),
    )
    email = EmailField(_l("E-mail"), validators=[cleaned_by(clean_email)])
    consent = BooleanField(
        _l("Saya setuju data pribadi saya digunakan panitia untuk keperluan acara ini saja, "
           "sesuai Pemberitahuan Privasi di bawah.")
    )

    def validate_organization(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(MESSAGES["organization_unknown"])

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Persetujuan diperlukan untuk mendaftar."))

    def participant(self):
        """The cleaned personal data, ready for register_participant()."""
        return {name: getattr(self, name).cleaned for name in ("full_name", "nip", "position", "rank", "phone", "email")}
