"""What each refused account change means, in the user's language."""
from flask_babel import lazy_gettext as _l

from app.auth.passwords import PASSWORD_MESSAGES

ACCOUNT_MESSAGES = {
    "exists": _l("Sudah ada akun dengan e-mail ini."),
    "email_invalid": _l("Alamat e-mail tidak valid."),
    "role_unknown": _l("Pilih peran admin atau operator."),
    "wrong_password": _l("Kata sandi saat ini salah."),
    "not_yourself": _l("Anda tidak dapat menonaktifkan atau menurunkan peran akun Anda sendiri."),
    "last_admin": _l("Ini admin aktif terakhir: jadikan orang lain admin dulu."),
    "last_install_admin": _l("Ini admin instalasi (semua pemerintah) aktif terakhir: buat admin instalasi lain "
                             "dulu."),
    "no_user": _l("Tidak ada akun dengan e-mail %(detail)s."),
    "tenant_required": _l("Operator dan panitia bertugas di acara satu pemerintah: pilih pemerintahnya."),
    "tenant_or_all": _l("Pilih pemerintah akun ini, atau “semua pemerintah (admin instalasi)” bila ia memang "
                        "mengelola atau mengamati semuanya."),
    "install_admin_only": _l("Hanya admin instalasi yang dapat memberi akses ke semua pemerintah."),
    "works_elsewhere": _l("Akun ini bertugas di acara %(detail)s milik pemerintah lain: lepas dulu dari acara itu."),
    "other_tenant": _l("Akun ini milik pemerintah lain daripada acara %(detail)s: tidak dapat ditugaskan ke sana."),
}

ACTION_LABELS = {
    "user_created": _l("akun dibuat"),
    "role_changed": _l("peran diubah"),
    "deactivated": _l("dinonaktifkan"),
    "reactivated": _l("diaktifkan kembali"),
    "password_reset": _l("kata sandi direset"),
    "password_set": _l("kata sandi diganti (CLI)"),
    "password_changed": _l("kata sandi diganti sendiri"),
    "operator_assigned": _l("ditugaskan ke acara"),
    "operator_unassigned": _l("dilepas dari acara"),
    "token_revoked": _l("token API dicabut"),
    "tenant_set": _l("pemerintah ditetapkan"),
}


def account_message(refusal):
    if refusal.code == "password_refused":  # which rule of app/auth/passwords.py the password breaks
        return str(PASSWORD_MESSAGES[refusal.detail])
    message = str(ACCOUNT_MESSAGES.get(refusal.code, refusal.code))
    return message % {"detail": refusal.detail} if "%(detail)s" in message else message


def action_label(action):
    return str(ACTION_LABELS.get(action, action))
