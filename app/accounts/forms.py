from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from app.forms import Form

REQUIRED = _l("Wajib diisi.")


class ChangePasswordForm(Form):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(REQUIRED)],
                        description=_l("Paling sedikit 10 karakter, bukan hanya angka, bukan alamat e-mail Anda."))
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("Tidak sama dengan kata sandi baru.")),
    ])
