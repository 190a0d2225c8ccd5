from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from app.forms import Form, visible_text
from app.routing import parse_id

REQUIRED = _l("Wajib diisi.")


class ChangePasswordForm(Form):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired(REQUIRED)])
    new = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(REQUIRED)],
                        description=_l("Paling sedikit 10 karakter, bukan hanya angka, bukan alamat e-mail Anda."))
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(REQUIRED), EqualTo("new", _l("Tidak sama dengan kata sandi baru.")),
    ])


ROLE_CHOICES = (
    SelectChoice("operator", _l("Operator (check-in)")),
    SelectChoice("committee", _l("Panitia (konsol acara yang ditugaskan)")),
    SelectChoice("admin", _l("Admin")),
    SelectChoice("pengamat", _l("Pengamat (ringkasan program saja)")),
)


NO_TENANT, ALL_TENANTS = "", "semua"  # the tenant picker's values besides the tenants' ids


class InviteForm(Form):
    """A new committee account; its password is generated and shown once."""

    email = StringField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=254)])
    name = StringField(_l("Nama"), validators=[Optional(), Length(max=200), visible_text])
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES, default="operator")
    # Only the install administrator picks (the route sets the choices); a tenant admin's accounts join
    # their own tenant and the route removes the field.
    tenant = SelectField(_l("Pemerintah"), default=NO_TENANT, validate_choice=False,
                         description=_l("Admin tanpa pemerintah mengelola akun dan acara semua pemerintah."))

    def validate_tenant(self, field):
        _known_tenant(field)


def _known_tenant(field):
    # Which roles need a tenant is the service's rule (app/accounts/services.py, check_scope).
    if field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Pilih pemerintah dari daftar."))


class RoleForm(Form):
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES)
    # Only for an account without a tenant, chosen by the install administrator (the route sets the
    # choices, or removes the field): an account of a tenant keeps it.
    tenant = SelectField(_l("Pemerintah"), default=NO_TENANT, validate_choice=False,
                         description=_l("Akun ini belum milik pemerintah mana pun."))

    def validate_tenant(self, field):
        _known_tenant(field)


class AssignForm(Form):
    event = SelectField(_l("Acara"), coerce=parse_id, validate_choice=False)
