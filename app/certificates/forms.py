"""The certificate settings form."""
import json
import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from app.certificates.numbering import PatternError, check_pattern
from app.certificates.pdf import DEFAULT_POSITIONS, POSITION_NAMES, positions_from_layout
from app.forms import Form, WholeNumberField, within_years
from app.registration.forms import valid_nip

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
    jp_override = WholeNumberField(
        _l("JP (isi untuk mengganti hitungan agenda)"), validators=[Optional(), NumberRange(min=0, max=500)],
        maximum=500,
        description=_l("Kosongkan: menit sesi di agenda dibagi 45."),
    )
    jp_rounding = SelectField(_l("Pembulatan JP"), choices=ROUNDING_CHOICES, default="down")
    min_days = WholeNumberField(
        _l("Paling sedikit hadir (hari)"), validators=[Optional(), NumberRange(min=1, max=366)], maximum=366,
        description=_l("Kosongkan: hadir pada setiap hari acara."),
    )
    require_evaluation = BooleanField(
        _l("Harus sudah mengisi evaluasi"),
        description=_l("Setiap formulir evaluasi penyelenggaraan dan narasumber acara ini."),
    )
    min_post_test_score = WholeNumberField(
        _l("Nilai post-test paling rendah (%)"), validators=[Optional(), NumberRange(min=0, max=100)], maximum=100,
        description=_l(
            "Kosongkan: tanpa syarat nilai. Diisi: yang belum mengerjakan post-test tidak mendapat sertifikat."
        ),
    )
    number_pattern = StringField(
        _l("Pola nomor"), validators=[Length(max=150)],
        description=_l("Contoh: 800/{seq:03d}/Diskominfo/{year} · juga {month} dan {roman_month}."),
    )
    seq_start = WholeNumberField(
        _l("Nomor urut mulai dari"), validators=[Optional(), NumberRange(min=1, max=999999)],
        description=_l("Nomor urut sertifikat pertama acara ini; kosongkan: 1."),
    )
    signer_name = StringField(_l("Nama penanda tangan"), validators=[Optional(), Length(max=200)])
    signer_nip = StringField(_l("NIP penanda tangan"), validators=[valid_nip],
                             description=_l("18 angka, boleh dengan spasi (19780312 199703 1 002); kosongkan jika "
                                            "tidak ada."))
    signer_position = StringField(_l("Jabatan penanda tangan"), validators=[Optional(), Length(max=200)])
    signer_image = FileField(_l("Tanda tangan/cap (PNG)"),
                             description=_l("PNG dengan latar transparan, paling besar 2 MB."))
    remove_signer_image = BooleanField(_l("Hapus gambar tanda tangan"))
    background = FileField(_l("Latar (PNG, JPEG atau PDF satu halaman, A4 mendatar)"),
                           description=_l("Desain panitia sendiri, paling besar 5 MB; tulisan diletakkan di atasnya."))
    remove_background = BooleanField(_l("Hapus latar"))
    issue_date = DateField(_l("Tanggal terbit"), validators=[Optional(), within_years],
                           description=_l("Kosongkan: tanggal saat sertifikat diterbitkan."))
    issue_place = StringField(_l("Tempat terbit"), validators=[Optional(), Length(max=100)])

    def positions(self):
        """{block: [x, y]} from the position fields that were filled in (mm from the bottom left)."""
        chosen = {}
        for name in POSITION_NAMES:
            x, y = as_millimetres(self[f"pos_{name}_x"].data), as_millimetres(self[f"pos_{name}_y"].data)
            if x is not None and y is not None and (x, y) != DEFAULT_POSITIONS[name]:
                chosen[name] = [x, y]
        return chosen

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
            "require_evaluation": bool(self.require_evaluation.data),
            "min_post_test_score": self.min_post_test_score.data,
            "number_pattern": self.number_pattern.data.strip(),
            "seq_start": self.seq_start.data or 1,
            "signer_name": (self.signer_name.data or "").strip(),
            "signer_nip": self.signer_nip.cleaned or "",
            "signer_position": (self.signer_position.data or "").strip(),
            "issue_date": self.issue_date.data,
            "issue_place": (self.issue_place.data or "").strip(),
            "layout": json.dumps(self.positions()) if self.positions() else "",
        }


POSITION_LABELS = {
    "header": _l("Penyelenggara"), "title": _l("Judul dan nomor"), "name": _l("Nama peserta"),
    "body": _l("Keterangan kegiatan"), "signer": _l("Penanda tangan"), "qr": _l("Kode QR"),
}
MILLIMETRES = re.compile(r"\d{1,3}(?:[.,]\d)?")


def millimetres(maximum):
    """A position on the page: 0 to `maximum` mm, at most one decimal (a comma is a decimal point)."""
    def check(form, field):
        text = (field.data or "").strip()
        if not MILLIMETRES.fullmatch(text) or float(text.replace(",", ".")) > maximum:
            raise ValidationError(str(_l("Isi 0 sampai %(max)s (mm).", max=maximum)))
    return check


def as_millimetres(text):
    return float(text.strip().replace(",", ".")) if text and text.strip() else None


for _name in POSITION_NAMES:
    setattr(CertificateSettingsForm, f"pos_{_name}_x", StringField(
        _l("%(block)s: X (mm)", block=POSITION_LABELS[_name]), validators=[Optional(), millimetres(297)]))
    setattr(CertificateSettingsForm, f"pos_{_name}_y", StringField(
        _l("%(block)s: Y (mm)", block=POSITION_LABELS[_name]), validators=[Optional(), millimetres(210)]))


def form_data(settings):
    data = {name: getattr(settings, name) for name in (
        "jp_override", "jp_rounding", "min_days", "require_evaluation", "min_post_test_score",
        "number_pattern", "seq_start", "signer_name", "signer_nip",
        "signer_position", "issue_date", "issue_place",
    )}
    for name, (x, y) in positions_from_layout(settings.layout).items():
        data[f"pos_{name}_x"], data[f"pos_{name}_y"] = f"{x:g}", f"{y:g}"
    return data
