from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.forms import Form, WholeNumberField, visible_text, within_years
from app.models import ORGANIZATION_KINDS
from app.models.tenant import MAX_RETENTION_DAYS
from app.routing import parse_id

TIMEZONES = (
    SelectChoice("Asia/Jakarta", _l("WIB — Asia/Jakarta")),
    SelectChoice("Asia/Pontianak", _l("WIB — Asia/Pontianak")),
    SelectChoice("Asia/Makassar", _l("WITA — Asia/Makassar")),
    SelectChoice("Asia/Jayapura", _l("WIT — Asia/Jayapura")),
)
REQUIRED = _l("Wajib diisi.")
MAX_DAYS = 10
MAX_NUMBER = 100_000  # capacity and quotas

SETUP_MESSAGES = {
    "no_days": _l("Isi paling sedikit satu tanggal."),
    "day_in_use": _l(
        "Hari %(detail)s sudah punya kehadiran atau agenda; hapus agendanya dulu, kehadiran tidak dapat dihapus."
    ),
    "closes_before_opens": _l("Penutupan harus sesudah pembukaan."),
    "slug_taken": _l("Alamat ini sudah dipakai acara lain."),
    "slug_invalid": _l("Huruf kecil, angka dan tanda minus saja."),
    "day_unknown": _l("Pilih hari dari daftar."),
    "ends_before_starts": _l("Jam selesai harus sesudah jam mulai."),
    "organization_in_use": _l("OPD berikut sudah punya peserta dan tidak dapat dikeluarkan: %(detail)s."),
    "organization_exists": _l("Singkatan atau nama OPD ini sudah ada."),
    "unknown_action": _l("Permintaan tidak dikenal."),
    "not_ready": _l("Pendaftaran belum dapat dibuka. Yang belum lengkap: %(detail)s."),
}

# The checklist of a draft event (events.services.readiness), as the dashboard shows it.
READINESS_LABELS = {
    "dates": _l("Tanggal acara"),
    "organizations": _l("OPD yang ikut, masing-masing dengan kuota"),
    "contact": _l("Kontak panitia (nama dan nomor WhatsApp)"),
    "window": _l("Waktu pendaftaran (ditutup sesudah sekarang)"),
}


def setup_message(refusal):
    message = str(SETUP_MESSAGES[refusal.code])
    detail = refusal.detail
    if refusal.code == "not_ready":
        detail = "; ".join(str(READINESS_LABELS[item]) for item in detail.split(","))
    return message % {"detail": detail} if "%(detail)s" in message else message


class EventForm(Form):
    tenant = SelectField(_l("Pemerintah / instansi penyelenggara"), coerce=int, validate_choice=True)
    title = StringField(_l("Judul acara"), validators=[DataRequired(REQUIRED), Length(max=300), visible_text])
    slug = StringField(
        _l("Alamat (slug)"),
        validators=[DataRequired(REQUIRED), Length(max=80),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Huruf kecil, angka dan tanda minus saja."))],
        description=_l("Bagian alamat halaman acara: /e/alamat-ini."),
    )
    organizer_name = StringField(_l("Penyelenggara"), validators=[DataRequired(REQUIRED), Length(max=200)])
    venue = StringField(_l("Tempat"), validators=[DataRequired(REQUIRED), Length(max=300)])
    description = TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=5000)])
    timezone = SelectField(_l("Zona waktu"), choices=TIMEZONES, default="Asia/Jakarta")
    dates = FieldList(DateField(_l("Tanggal"), validators=[Optional(), within_years]),
                      min_entries=2, max_entries=MAX_DAYS)
    registration_opens_at = DateTimeLocalField(
        _l("Pendaftaran dibuka"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
        description=_l("Waktu setempat acara. Kosongkan: dibuka saat panitia menekan \"Buka pendaftaran\"."),
    )
    registration_closes_at = DateTimeLocalField(
        _l("Pendaftaran ditutup"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
        description=_l("Waktu setempat acara. Kosongkan: ditutup saat hari terakhir acara berakhir."),
    )
    capacity = WholeNumberField(_l("Kapasitas acara"), validators=[Optional(), NumberRange(min=0, max=MAX_NUMBER)],
                                maximum=MAX_NUMBER, description=_l("Kosongkan jika tidak dibatasi."))
    default_quota = WholeNumberField(_l("Kuota bawaan per OPD"),
                                     validators=[Optional(), NumberRange(min=0, max=MAX_NUMBER)], maximum=MAX_NUMBER,
                                     description=_l("Berlaku untuk OPD yang tidak punya kuota sendiri."))
    foreign_phones_allowed = BooleanField(
        _l("Terima nomor HP luar negeri"),
        description=_l("Tanpa centang, peserta harus memakai nomor HP Indonesia (+62)."),
    )
    retention_days = WholeNumberField(
        _l("Simpan NIP, HP dan e-mail (hari)"), validators=[Optional(), NumberRange(min=0, max=MAX_RETENTION_DAYS)],
        maximum=MAX_RETENTION_DAYS,
        description=_l("Hari setelah hari terakhir acara. Kosongkan: ketentuan pemerintah penyelenggara (bawaan 730)."),
    )

    def chosen_dates(self):
        return [entry.data for entry in self.dates if entry.data]


COUNTS_FOR_JP = {"auto": None, "yes": True, "no": False}


class CopyEventForm(Form):
    """"Salin acara": the new event's address and first day."""

    slug = StringField(
        _l("Alamat (slug) acara baru"),
        validators=[DataRequired(REQUIRED), Length(max=80),
                    Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Huruf kecil, angka dan tanda minus saja."))],
        description=_l("Bagian alamat halaman acara: /e/alamat-ini."),
    )
    start = DateField(_l("Hari pertama acara baru"), validators=[DataRequired(REQUIRED), within_years],
                      description=_l("Hari-hari berikutnya dan agendanya bergeser bersama."))


class AgendaItemForm(Form):
    day = SelectField(_l("Hari"), coerce=parse_id, validate_choice=False)
    starts = TimeField(_l("Mulai"), validators=[DataRequired(REQUIRED)])
    ends = TimeField(_l("Selesai"), validators=[Optional()])
    title = StringField(_l("Acara"), validators=[DataRequired(REQUIRED), Length(max=300), visible_text])
    speaker = StringField(_l("Narasumber"), validators=[Optional(), Length(max=300)])
    counts_for_jp = SelectField(
        _l("Dihitung JP"), default="auto",
        choices=[SelectChoice("auto", _l("Otomatis menurut judul")), SelectChoice("yes", _l("Ya, dihitung")),
                 SelectChoice("no", _l("Tidak dihitung"))],
        description=_l("Otomatis: registrasi, pembukaan, penutupan, sambutan, doa, ishoma, istirahat, rehat dan "
                       "coffee break tidak dihitung; acara lain dihitung. Hanya acara dengan jam selesai yang "
                       "menambah JP."),
    )

    def chosen_counts_for_jp(self):
        """True or False as chosen, None to decide by the title."""
        return COUNTS_FOR_JP[self.counts_for_jp.data]


class OrganizationForm(Form):
    short_name = StringField(_l("Singkatan"), validators=[DataRequired(REQUIRED), Length(max=60), visible_text])
    name = StringField(_l("Nama OPD"), validators=[DataRequired(REQUIRED), Length(max=200), visible_text])
    kind = SelectField(_l("Jenis"), choices=[SelectChoice(kind, kind) for kind in ORGANIZATION_KINDS], default="dinas")
