from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form, WholeNumberField, visible_text
from app.models.tenant import MAX_RETENTION_DAYS

REQUIRED = _l("Wajib diisi.")
MAX_DAYS = MAX_RETENTION_DAYS


class TenantForm(Form):
    name = StringField(_l("Nama pemerintah / instansi"),
                       validators=[DataRequired(REQUIRED), Length(max=200), visible_text])
    short_name = StringField(_l("Nama singkat"), validators=[Optional(), Length(max=60), visible_text])
    letterhead = TextAreaField(_l("Kop surat (satu baris per baris)"), validators=[Optional(), Length(max=2000)])
    privacy_contact = StringField(_l("Kontak pelindungan data"), validators=[Optional(), Length(max=300)],
                                  description=_l("Ditampilkan di pemberitahuan privasi, mis. PPID dan e-mailnya."))
    privacy_notice = TextAreaField(_l("Tambahan pemberitahuan privasi"), validators=[Optional(), Length(max=5000)])
    # 0 days is a real answer (delete right after the event, or keep no access log): InputRequired, not
    # DataRequired, which refuses a 0.
    retention_days = WholeNumberField(_l("Simpan NIP, HP dan e-mail (hari setelah acara)"), maximum=MAX_DAYS,
                                      validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_DAYS)])
    audit_retention_days = WholeNumberField(_l("Simpan catatan akses data (hari)"), maximum=MAX_DAYS,
                                            validators=[InputRequired(REQUIRED), NumberRange(min=0, max=MAX_DAYS)])

    FIELDS = ("name", "short_name", "letterhead", "privacy_contact", "privacy_notice", "retention_days",
              "audit_retention_days")
