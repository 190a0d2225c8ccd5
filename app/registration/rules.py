"""The rules a participant's data must meet, shared by the form and the Excel import.

Each cleaner takes what was typed and returns the value to store, or raises
InvalidValue with a code that the caller turns into a message.
"""
import re
import unicodedata

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidValue(ValueError):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _collapse(value):
    return re.sub(r"\s+", " ", (value or "").strip())


def clean_text(value, *, required=True, max_length=200):
    text = _collapse(value)
    if required and not text:
        raise InvalidValue("required")
    if len(text) > max_length:
        raise InvalidValue("too_long")
    return text or None


def _ascii_digits(text):
    """Digits of any script (a phone keyboard may type full-width ones) as 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def clean_nip(value):
    """18 digits 0-9, or None when left empty. Spaces and dots people type are dropped."""
    digits = _ascii_digits(re.sub(r"[\s.\-]", "", str(value or "")))
    if not digits:
        return None
    if not re.fullmatch(r"[0-9]{18}", digits):
        raise InvalidValue("nip_invalid")
    return digits


def clean_phone(value):
    """An Indonesian number as +62…, from 0812…, 62812…, +62 812-… and the like."""
    text = str(value or "").strip()
    if not text:
        raise InvalidValue("required")
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidValue("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_email(value):
    text = str(value or "").strip()
    if not text:
        raise InvalidValue("required")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidValue("email_invalid") from None
    return result.normalized.lower()


PARTICIPANT_FIELDS = ("full_name", "nip", "position", "rank", "organization", "phone", "email")


def clean_participant(data):
    """Clean every personal field of `data`; returns (cleaned, errors by field)."""
    cleaners = {
        "full_name": lambda v: clean_text(v, max_length=200),
        "nip": clean_nip,
        "position": lambda v: clean_text(v, max_length=200),
        "rank": lambda v: clean_text(v, required=False, max_length=100),
        "phone": clean_phone,
        "email": clean_email,
    }
    cleaned, errors = {}, {}
    for field, clean in cleaners.items():
        try:
            cleaned[field] = clean(data.get(field))
        except InvalidValue as error:
            errors[field] = error.code
    return cleaned, errors
