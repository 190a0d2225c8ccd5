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
    "role_unknown": _l("Peran \"%(detail)s\" tidak dikenal. Tulis peserta, narasumber, moderator atau panitia, "
                       "atau kosongkan (peserta)."),
    "organization_ambiguous": _l("OPD \"%(typed)s\" bisa berarti beberapa OPD: %(candidates)s. Tulis singkatan "
                                 "atau nama lengkap OPD yang dimaksud."),
    "not_xlsx": _l("Berkas bukan .xlsx yang dapat dibaca. Simpan dari Excel sebagai \"Excel Workbook (.xlsx)\"."),
    "empty": _l("Berkas tidak berisi satu baris peserta pun."),
    "too_many_rows": _l("Terlalu banyak baris; paling banyak %(detail)s per berkas."),
    "columns_missing": _l("Kolom wajib tidak ditemukan: %(missing)s. Kolom yang terbaca (baris %(row)s): "
                          "%(seen)s. Judul kolom yang dikenali tercantum di lembar \"Judul kolom\" pada templat."),
    "not_readable": _l("Berkas tidak dapat dibaca. Unggah .xlsx, atau .csv (UTF-8 atau Windows-1252, "
                       "dipisah koma atau titik koma)."),
    "quota_exceeded": _l("OPD %(opd)s: kuota %(quota)s, sudah terdaftar %(registered)s, file ini menambah "
                         "%(adding)s (lebih %(over)s). Kurangi barisnya, atau naikkan kuota di halaman OPD & kuota."),
    "capacity_exceeded": _l("Kapasitas acara %(capacity)s, sudah terdaftar %(registered)s, file ini menambah "
                            "%(adding)s (lebih %(over)s). Kurangi barisnya, atau naikkan kapasitas di Pengaturan."),
    **XLSX_SAFETY_MESSAGES,
}

FIELD_LABELS = {
    "full_name": _l("Nama lengkap"), "nip": _l("NIP"), "position": _l("Jabatan"), "rank": _l("Pangkat/golongan"),
    "organization": _l("OPD"), "phone": _l("Nomor HP"), "email": _l("E-mail"), "role": _l("Peran"),
}


# The fields as the import page lists the headings it reads (headers.SPELLINGS).
SPELLING_LABELS = {**FIELD_LABELS, "full_name": _l("Nama lengkap (wajib)"), "organization": _l("OPD (wajib)"),
                   "number": _l("Nomor urut (diabaikan)")}


def describe(code, detail=""):
    if code == "missing_columns":  # the field keys, as the committee calls them, and the headings seen
        code, detail = "columns_missing", {
            "missing": ", ".join(field_label(key) or key for key in detail["missing"]),
            "seen": ", ".join(f"\"{heading}\"" for heading in detail["seen"]), "row": detail["row"]}
    message = str(IMPORT_MESSAGES.get(code) or MESSAGES.get(code) or code)
    if isinstance(detail, dict):
        return message % detail
    return message % {"detail": detail} if "%(detail)s" in message else message


def ignored_columns_note(columns):
    """What the committee is told about the columns the import did not use."""
    return _l("Kolom yang diabaikan: %(columns)s.", columns=", ".join(columns)) if columns else ""


def field_label(field):
    return str(FIELD_LABELS[field]) if field in FIELD_LABELS else ""
