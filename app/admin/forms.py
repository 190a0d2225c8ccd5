"""The dashboard's import form."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from app.forms import Form


class ImportForm(Form):
    file = FileField(_l("Berkas .xlsx atau .csv"))
