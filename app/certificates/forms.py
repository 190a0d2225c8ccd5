"""The certificate settings form."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, Regexp, ValidationError

from app.certificates.numbering import PatternError, check_pattern
from app.forms import Form

ROUNDING_CHOICES = (
    SelectChoice("down", _l("Dibulatkan ke bawah")),
    SelectChoice("nearest", _l("Dibulatkan ke terdekat")),
    SelectChoice("up", _l("Dibulatkan ke atas")),
)
PATTERN_MESSAGES = {
    "length": _l("Isi pola nomor (paling panjang 150 karakter)."),
    "unknown_field": _l("Pola hanya boleh memakai {seq}, {year}, {month} dan {roman_month}."),
    "no_seq": _l("Pola harus memuat {seq}, nomor urut sertifikat."),
    "malformed": _l("Pola nomor tidak dapat dipakai; contoh: 800/{seq:03d}/Diskominfo/{year}."),
}


class CertificateSettingsForm(Form):
    jp_override = IntegerField(
        _l("JP (isi untuk mengganti hitungan agenda)"), validators=[Optional(), NumberRange(min=0, max=500)],
        description=_l("Kosongkan: menit sesi di agenda dibagi 45."),
    )
    jp_rounding = SelectField(_l("Pembulatan JP"), choices=ROUNDING_CHOICES, default="down")
    min_days = IntegerField(
        _l("Paling sedikit hadir (hari)"), validators=[Optional(), NumberRange(min=1, max=366)],
        description=_l("Kosongkan: hadir pada setiap hari acara."),
    )
    number_pattern = StringField(
        _l("Pola nomor"), validators=[Length(max=150)],
        description=_l("Contoh: 800/{seq:03d}/Diskominfo/{year} · juga {month} dan {roman_month}."),
    )
    signer_name = StringField(_l("Nama penanda tangan"), validators=[Optional(), Length(max=200)])
    signer_nip = StringField(
        _l("NIP penanda tangan"),
        validators=[Optional(), Regexp(r"^\d{18}$", message=_l("NIP terdiri atas 18 angka."))],
    )
    signer_position = StringField(_l("Jabatan penanda tangan"), validators=[Optional(), Length(max=200)])
    signer_image = FileField(_l("Tanda tangan/cap (PNG)"),
                             description=_l("PNG dengan latar transparan, paling besar 2 MB."))
    remove_signer_image = BooleanField(_l("Hapus gambar tanda tangan"))
    issue_date = DateField(_l("Tanggal terbit"), validators=[Optional()],
                           description=_l("Kosongkan: tanggal saat sertifikat diterbitkan."))
    issue_place = StringField(_l("Tempat terbit"), validators=[Optional(), Length(max=100)])

    def validate_number_pattern(self, field):
        try:
            check_pattern((field.data or "").strip())
        except PatternError as error:
            raise ValidationError(str(PATTERN_MESSAGES[error.code])) from None

    def settings_fields(self):
        """The plain values to store (the image is handled on its own)."""
        return {
            "jp_override": self.jp_override.data,
            "jp_rounding": self.jp_rounding.data,
            "min_days": self.min_days.data,
            "number_pattern": self.number_pattern.data.strip(),
            "signer_name": (self.signer_name.data or "").strip(),
            "signer_nip": (self.signer_nip.data or "").strip(),
            "signer_position": (self.signer_position.data or "").strip(),
            "issue_date": self.issue_date.data,
            "issue_place": (self.issue_place.data or "").strip(),
        }


def form_data(settings):
    return {name: getattr(settings, name) for name in (
        "jp_override", "jp_rounding", "min_days", "number_pattern", "signer_name", "signer_nip",
        "signer_position", "issue_date", "issue_place",
    )}
