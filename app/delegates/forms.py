"""The OPD page's forms: one delegate (the registration form's fields and rules, without the OPD, which
the link fixes, and without the consent box: the OPD names its people by assignment), and a pasted list."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from app.forms import Form
from app.registration.forms import RegistrationForm

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
