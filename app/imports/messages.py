"""What each import problem means, in the user's language."""
from flask_babel import lazy_gettext as _l

from app.imports.xlsx_safety import MESSAGES as XLSX_SAFETY_MESSAGES
from app.registration.forms import MESSAGES

IMPORT_MESSAGES = {
    "nip_as_number": _l("NIP tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang. "
                        "Format kolom nip sebagai Teks, lalu ketik ulang."),
    "duplicate_in_file": _l("Sama dengan baris %(detail)s di berkas ini."),
    "organization_unknown": _l("OPD \"%(detail)s\" tidak ikut acara ini. Tulis singkatan atau nama OPD "
                               "seperti di lembar Daftar OPD pada templat."),
    "not_xlsx": _l("Berkas bukan .xlsx yang dapat dibaca. Simpan dari Excel sebagai \"Excel Workbook (.xlsx)\"."),
    "empty": _l("Berkas tidak berisi satu baris peserta pun."),
    "missing_columns": _l("Kolom berikut tidak ada di baris pertama: %(detail)s. Gunakan templat."),
    "too_many_rows": _l("Terlalu banyak baris; paling banyak %(detail)s per berkas."),
    **XLSX_SAFETY_MESSAGES,
}

FIELD_LABELS = {
    "full_name": _l("Nama lengkap"), "nip": _l("NIP"), "position": _l("Jabatan"), "rank": _l("Pangkat/golongan"),
    "organization": _l("OPD"), "phone": _l("Nomor HP"), "email": _l("E-mail"),
}


def describe(code, detail=""):
    message = IMPORT_MESSAGES.get(code) or MESSAGES.get(code) or code
    return str(message) % {"detail": detail} if "%(detail)s" in str(message) else str(message)


def field_label(field):
    return str(FIELD_LABELS[field]) if field in FIELD_LABELS else ""
