from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TelField
from wtforms.validators import ValidationError

from app.forms import Form
from app.routing import parse_id
from app.values import COMMITTEE_OPTIONAL, InvalidValue, clean_field, clean_nip

MESSAGES = {
    "transferred": _l("Tiket ini sudah dialihkan ke rekan dari OPD yang sama."),
    "required": _l("Wajib diisi."),
    "too_long": _l("Terlalu panjang."),
    "nip_invalid": _l("NIP harus 18 angka. Kosongkan jika Anda bukan ASN."),
    "nip_birth_date": _l("8 angka pertama NIP (tanggal lahir, TTTTBBHH) bukan tanggal yang benar."),
    "nip_tmt": _l("Angka ke-9 sampai ke-14 NIP (TMT CPNS, TTTTBB) bukan bulan yang benar."),
    "nip_tmt_before_birth": _l("TMT CPNS pada NIP (angka ke-9 sampai ke-14) harus sesudah tanggal lahir "
                               "(8 angka pertama)."),
    "nip_sex": _l("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2."),
    "nip_serial": _l("3 angka terakhir NIP (nomor urut) tidak boleh 000."),
    "phone_invalid": _l("Nomor HP tidak valid. Contoh: 0812 3456 7890."),
    "phone_not_indonesian": _l("Gunakan nomor HP Indonesia (+62). Contoh: 0812 3456 7890."),
    "bidi_control": _l("Tidak boleh berisi karakter pengatur arah tulisan (bidi)."),
    "invisible": _l("Isian ini hanya berisi karakter yang tidak terlihat."),
    "email_invalid": _l("Alamat e-mail tidak valid. Contoh: nama@serangkota.go.id."),
    "duplicate_nip": _l("NIP ini sudah terdaftar di acara ini."),
    "duplicate_email": _l("E-mail ini sudah terdaftar di acara ini."),
    "quota_full": _l("Kuota peserta untuk OPD ini sudah penuh. Hubungi panitia."),
    "capacity_full": _l("Kapasitas acara sudah penuh."),
    "organization_unknown": _l("Pilih OPD dari daftar."),
    "not_open": _l("Pendaftaran belum dibuka."),
    "draft": _l("Pendaftaran belum dibuka. Panitia masih menyiapkan acara ini."),
    "closed": _l("Pendaftaran sudah ditutup."),
}


def cleaned_by(name):
    """A WTForms validator that runs the participant rule for field `name` (rules.PARTICIPANT_CLEANERS,
    shared with the import) and keeps its cleaned value in field.cleaned."""
    def validate(form, field):
        try:
            field.cleaned = clean_field(name, field.data, foreign_phones_allowed=form.foreign_phones_allowed,
                                        optional=form.optional_fields)
        except InvalidValue as error:
            raise ValidationError(MESSAGES[error.code]) from None

    return validate


def valid_nip(form, field):
    """A WTForms validator for any NIP field (a participant's, a signer's on the SPJ or the certificate): the
    one NIP rule (rules.clean_nip: spaces and dots dropped, each part checked); the 18 digits, or None when
    left empty, in field.cleaned."""
    try:
        field.cleaned = clean_nip(field.data)
    except InvalidValue as error:
        raise ValidationError(MESSAGES[error.code]) from None


# Pangkat/golongan of PNS, offered as suggestions; anything else may be typed.
RANKS = (
    "Juru Muda (I/a)", "Juru Muda Tingkat I (I/b)", "Juru (I/c)", "Juru Tingkat I (I/d)",
    "Pengatur Muda (II/a)", "Pengatur Muda Tingkat I (II/b)", "Pengatur (II/c)", "Pengatur Tingkat I (II/d)",
    "Penata Muda (III/a)", "Penata Muda Tingkat I (III/b)", "Penata (III/c)", "Penata Tingkat I (III/d)",
    "Pembina (IV/a)", "Pembina Tingkat I (IV/b)", "Pembina Utama Muda (IV/c)",
    "Pembina Utama Madya (IV/d)", "Pembina Utama (IV/e)",
)


class RegistrationForm(Form):
    optional_fields: tuple[str, ...] = ()  # a person registering themselves fills every field in

    full_name = StringField(
        _l("Nama lengkap"), validators=[cleaned_by("full_name")],
        description=_l("Beserta gelar, seperti yang akan tertulis di daftar hadir."),
    )
    nip = StringField(
        _l("NIP"), validators=[cleaned_by("nip")],
        description=_l("18 angka. Kosongkan jika Anda bukan ASN."),
    )
    position = StringField(_l("Jabatan"), validators=[cleaned_by("position")])
    rank = StringField(
        _l("Pangkat/golongan"), validators=[cleaned_by("rank")],
        description=_l("Boleh dikosongkan."),
    )
    organization = SelectField(_l("OPD"), coerce=parse_id, validate_choice=False)
    phone = TelField(
        _l("Nomor HP (WhatsApp)"), validators=[cleaned_by("phone")],
        description=_l("Contoh: 0812 3456 7890."),
    )
    email = EmailField(_l("E-mail"), validators=[cleaned_by("email")])
    consent = BooleanField(
        _l("Saya setuju data pribadi saya digunakan panitia untuk keperluan acara ini saja, "
           "sesuai Pemberitahuan Privasi di bawah.")
    )

    def __init__(self, *args, foreign_phones_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        # The event's choice: phone numbers of other countries than Indonesia (+62) too.
        self.foreign_phones_allowed = foreign_phones_allowed

    def validate_organization(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(MESSAGES["organization_unknown"])

    def validate_consent(self, field):
        if not field.data:
            raise ValidationError(_l("Persetujuan diperlukan untuk mendaftar."))

    def participant(self):
        """The cleaned personal data, ready for register_participant()."""
        fields = ("full_name", "nip", "position", "rank", "phone", "email")
        return {name: getattr(self, name).cleaned for name in fields}


class ParticipantForm(RegistrationForm):
    """The registration form's fields and rules, for the committee's corrections (no consent box); like
    the import, position, phone and e-mail may be left empty."""

    optional_fields = COMMITTEE_OPTIONAL
    consent = None
