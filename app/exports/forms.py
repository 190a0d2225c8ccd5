"""The SPJ paperwork form: the daftar hadir's signature block and the transport allowance."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import Form, WholeNumberField
from app.registration.forms import valid_nip

MAX_RATE = 100_000_000  # rupiah per day
SIGNATURE_ROLES = ("Ketua Panitia", "Pejabat Pembuat Komitmen", "Kepala Dinas", "Sekretaris Panitia")


class PaperworkForm(Form):
    """The daftar hadir's signature block, its phone column and the transport allowance."""

    signature_place_date = StringField(
        _l("Tempat dan tanggal"), validators=[Optional(), Length(max=200)],
        description=_l("Seperti yang dicetak, mis. Serang, 14 Juni 2022."),
    )
    signature_role = StringField(
        _l("Jabatan penanda tangan"), validators=[Optional(), Length(max=200)],
        description=_l("Mis. Ketua Panitia atau Pejabat Pembuat Komitmen."),
    )
    signature_name = StringField(_l("Nama penanda tangan"), validators=[Optional(), Length(max=200)])
    signature_nip = StringField(_l("NIP penanda tangan"), validators=[valid_nip],
                                description=_l("18 angka; kosongkan jika tidak ada."))
    phone_on_daftar_hadir = BooleanField(_l("Cetak kolom No. HP di daftar hadir"),
                                         description=_l("Biasanya tidak: daftar hadir diedarkan di ruangan. "
                                                        "Lembar Peserta selalu memuat No. HP dan e-mail."))
    transport_rate = WholeNumberField(
        _l("Uang transport per hari (Rp)"), validators=[Optional(), NumberRange(min=0, max=MAX_RATE)],
        maximum=MAX_RATE,
        description=_l("Isi untuk menambah lembar Daftar Penerimaan Uang Transport; kosongkan jika tidak ada."),
    )
