from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form


class ForgotTicketForm(Form):
    identifier = StringField(
        _l("E-mail atau NIP yang Anda daftarkan"),
        validators=[DataRequired(_l("Wajib diisi.")), Length(max=254, message=_l("Terlalu panjang."))],
    )
