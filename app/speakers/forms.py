"""Adding a narasumber, moderator or panitia: the registration form's fields and rules, a role, the OPD or
agency they come from, and for a speaker the sessions they give. No consent box: the committee records
them on its public task."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.registration.forms import RegistrationForm
from app.routing import parse_id

ROLE_CHOICES = (SelectChoice("narasumber", _l("Narasumber")), SelectChoice("moderator", _l("Moderator")),
                SelectChoice("panitia", _l("Panitia")))


class StaffForm(RegistrationForm):
    consent = None
    role = SelectField(_l("Peran"), choices=ROLE_CHOICES)
    organization = SelectField(_l("OPD atau instansi"), coerce=parse_id, validate_choice=False,
                               description=_l("Narasumber dari luar: tambahkan instansinya dulu di halaman OPD & kuota "
                                              "(kuota 0); narasumber dan panitia tidak memakai kuota."))
    sessions = SelectMultipleField(_l("Sesi yang dibawakan"), coerce=parse_id, validate_choice=False,
                                   description=_l("Untuk narasumber dan moderator; boleh lebih dari satu."))

    def validate_sessions(self, field):
        known = {choice.value for choice in field.choices}
        if any(value not in known for value in field.data or ()):
            raise ValidationError(_l("Pilih sesi dari daftar."))
