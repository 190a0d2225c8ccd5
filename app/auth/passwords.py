"""The one password checker for committee accounts: `flask create-user` and every password form.

At least 10 characters, not only digits, not the account's e-mail (or the part before the @),
not one of the passwords people pick first. The list is small on purpose: it catches what
an attacker tries first at a login limited to 10 failures per account per 15 minutes.
"""
import re
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 200

# common_passwords.txt, one a line, lower-case, at least MIN_LENGTH long (shorter ones are refused
# anyway): the usual lists' top entries, keyboard walks, and this app's world with digits added.
COMMON_PASSWORDS = frozenset(
    (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8").split()
)

PASSWORD_MESSAGES = {
    "too_short": _l("Kata sandi paling sedikit 10 karakter."),
    "too_long": _l("Kata sandi paling banyak 200 karakter."),
    "only_digits": _l("Kata sandi tidak boleh hanya angka."),
    "is_email": _l("Kata sandi tidak boleh sama dengan alamat e-mail."),
    "common": _l("Kata sandi ini terlalu umum dan mudah ditebak. Pilih yang lain."),
}


def password_message(code):
    """The message for a password_problem code, in the current language (Indonesian outside a request)."""
    if has_request_context():
        return str(PASSWORD_MESSAGES[code])
    with current_app.test_request_context():
        return str(PASSWORD_MESSAGES[code])


def password_problem(password, email=""):
    """The code (a key of PASSWORD_MESSAGES) of the first rule `password` breaks, or None."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    if re.sub(r"[\s.,\-_/+()]", "", password).isdecimal():
        return "only_digits"
    folded = password.strip().casefold()
    email = (email or "").strip().casefold()
    if email and (email in folded or folded == email.split("@")[0]):
        return "is_email"
    if folded in COMMON_PASSWORDS:
        return "common"
    return None


class StrongPassword:
    """A WTForms validator running password_problem, with the e-mail from another field of the form
    (`email_field`) or from a callable given the form (`email_of`)."""

    def __init__(self, email_field="email", email_of=None):
        self.email_field = email_field
        self.email_of = email_of

    def __call__(self, form, field):
        if self.email_of is not None:
            email = self.email_of(form)
        else:
            other = getattr(form, self.email_field, None)
            email = other.data if other is not None else ""
        problem = password_problem(field.data, email if isinstance(email, str) else "")
        if problem:
            raise ValidationError(PASSWORD_MESSAGES[problem])
