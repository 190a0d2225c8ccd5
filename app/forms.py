"""The base of every HTML form (it reads form bodies only), and the fields and checks admin forms share.

Flask-WTF would also read a JSON body into the form, and a JSON list, number or string
there is a TypeError (a 500), while nested values reach the validators as non-strings.
Browsers submitting our pages send form bodies, so a JSON body counts as an empty form.
"""
import unicodedata

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from wtforms import IntegerField
from wtforms.validators import ValidationError

from app.routing import MAX_ID, parse_number
from app.values import InvalidValue, normalize_text


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form or None


class WholeNumberField(IntegerField):
    """A number 0..maximum in ASCII digits (app.routing.parse_number): "²" or "٣" is a form error, not 3 or a 500."""

    def __init__(self, label=None, validators=None, maximum=MAX_ID, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_number(valuelist[0], self.maximum)
        if self.data is None:
            raise ValueError(str(_l("Harus berupa bilangan bulat 0 sampai %(max)s.", max=self.maximum)))


# The years a date typed in an admin form may have. Far outside them a date is a slip of the keyboard,
# and near datetime's own limits (years 1 and 9999) moving it to UTC or to the event's zone overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def within_years(form, field):
    """A validator for date and datetime fields: the year must lie in FIRST_YEAR..LAST_YEAR."""
    if field.data is not None and not FIRST_YEAR <= field.data.year < LAST_YEAR:
        raise ValidationError(_l("Tahun harus antara %(first)s dan %(last)s.", first=FIRST_YEAR, last=LAST_YEAR - 1))


TEXT_MESSAGES = {
    "bidi_control": _l("Tidak boleh berisi karakter pengatur arah tulisan (bidi)."),
    "invisible": _l("Isian ini hanya berisi karakter yang tidak terlihat."),
}


def one_line(form, field):
    """A validator for what becomes a header line (an e-mail's subject): no control character (CR, LF, tab…),
    refused rather than mended, so that what the committee sees is what is sent."""
    if any(unicodedata.category(ch) == "Cc" for ch in field.data or ""):
        raise ValidationError(_l("Harus satu baris, tanpa baris baru atau karakter kendali lain."))


def visible_text(form, field):
    """A validator for names and titles: the text as normalize_text reads it (NFC, no invisible characters,
    one space), so that two names that look the same are the same for the unique constraints too."""
    try:
        field.data = normalize_text(field.data)
    except InvalidValue as error:
        raise ValidationError(TEXT_MESSAGES[error.code]) from None
