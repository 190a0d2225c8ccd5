"""The rules a participant's data must meet, shared by the form, the committee's corrections
and the Excel import (one place: PARTICIPANT_CLEANERS).

Each cleaner takes what was typed and returns the value to store, or raises
InvalidValue with a code that the caller turns into a message. Text is NFC-normalised
(a name typed with combining accents and one typed precomposed are the same name),
trimmed, stripped of invisible characters, and refused if it holds bidi controls or
nothing visible at all.
"""
import re
import unicodedata
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class InvalidValue(ValueError):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


# Bidi controls reorder what is shown ("Budi\u202eoyaS" displays as "BudiSayo"): a name on a
# signed daftar hadir must read as it is stored, so they are refused wherever they are.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Shown as blank space but not whitespace to str.strip(): Hangul fillers, the braille blank.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _is_invisible(ch):
    """Zero-width and other format characters (ZWSP, ZWJ, BOM, soft hyphen…), controls, blank letters."""
    return unicodedata.category(ch) in {"Cf", "Cc", "Co", "Cn", "Cs"} or ch in BLANK_LETTERS


def normalize_text(value):
    """What typed text means: NFC, without invisible characters, runs of whitespace as one space,
    trimmed. Raises InvalidValue('bidi_control') for a bidi control and ('invisible') when there
    was something typed but nothing visible."""
    text = str(value or "")
    if any(ch in BIDI_CONTROLS for ch in text):
        raise InvalidValue("bidi_control")
    # Whitespace controls (tab, newline) become spaces before the other controls are dropped.
    text = re.sub(r"\s+", " ", text)
    visible = "".join(ch for ch in text if not _is_invisible(ch))
    visible = re.sub(r"\s+", " ", visible).strip()
    if not visible and text.strip():
        raise InvalidValue("invisible")
    # Last: a mark that followed a dropped character composes with the letter before it.
    return unicodedata.normalize("NFC", visible)


def clean_text(value, *, required=True, max_length=200):
    text = normalize_text(value)
    if required and not text:
        raise InvalidValue("required")
    if len(text) > max_length:
        raise InvalidValue("too_long")
    return text or None


def _ascii_digits(text):
    """Digits of any script (a phone keyboard may type full-width ones) as 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _date_or_none(year, month, day=1):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def clean_nip(value, today=None):
    """18 digits 0-9, or None when left empty. Spaces and dots people type are dropped.

    A NIP (PP 15/2002) is a birth date YYYYMMDD, the month of appointment as CPNS (TMT) YYYYMM,
    a sex digit (1 man, 2 woman) and a serial number 001-999: each part is checked, and the code
    says which is wrong.
    """
    text = normalize_text(value)
    digits = _ascii_digits(re.sub(r"[\s.\-]", "", text))
    if not digits:
        return None
    if not re.fullmatch(r"[0-9]{18}", digits):
        raise InvalidValue("nip_invalid")
    today = today or date.today()
    born = _date_or_none(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    if born is None or born.year < 1900 or born > today:
        raise InvalidValue("nip_birth_date")
    appointed = _date_or_none(int(digits[8:12]), int(digits[12:14]))
    if appointed is None or appointed.year < 1900 or appointed.year > today.year + 1:
        raise InvalidValue("nip_tmt")
    if appointed <= born.replace(day=1):
        raise InvalidValue("nip_tmt_before_birth")
    if digits[14] not in "12":
        raise InvalidValue("nip_sex")
    if digits[15:] == "000":
        raise InvalidValue("nip_serial")
    return digits


def clean_phone(value, foreign_allowed=False):
    """An Indonesian number as +62…, from 0812…, 62812…, +62 812-… and the like; a number of
    another country (+…) only when the event allows it (Event.foreign_phones_allowed)."""
    text = _ascii_digits(normalize_text(value))
    if not text:
        raise InvalidValue("required")
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise InvalidValue("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidValue("phone_invalid")
    if number.country_code != 62 and not foreign_allowed:
        raise InvalidValue("phone_not_indonesian")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_email(value):
    text = normalize_text(value)
    if not text:
        raise InvalidValue("required")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidValue("email_invalid") from None
    return result.normalized.lower()


PARTICIPANT_FIELDS = ("full_name", "nip", "position", "rank", "organization", "phone", "email")


def clean_full_name(value):
    return clean_text(value, max_length=200)


def clean_position(value):
    return clean_text(value, max_length=200)


def clean_rank(value):
    return clean_text(value, required=False, max_length=100)


# field → cleaner(value, foreign_phones_allowed): the one list of participant rules.
PARTICIPANT_CLEANERS = {
    "full_name": lambda value, _foreign: clean_full_name(value),
    "nip": lambda value, _foreign: clean_nip(value),
    "position": lambda value, _foreign: clean_position(value),
    "rank": lambda value, _foreign: clean_rank(value),
    "phone": clean_phone,
    "email": lambda value, _foreign: clean_email(value),
}


# What a list entered by the committee (an import, a correction) may leave empty: most OPD lists have no
# e-mail, and a row needs only a name and an OPD. A person registering themselves fills them all in.
COMMITTEE_OPTIONAL = ("position", "phone", "email")


def clean_field(field, value, *, foreign_phones_allowed=False, optional=()):
    """The participant rule for `field`; a field named in `optional` may be left empty (None; position
    "", which is never NULL). Raises InvalidValue."""
    if field in optional and not normalize_text(value):
        return "" if field == "position" else None
    return PARTICIPANT_CLEANERS[field](value, foreign_phones_allowed)


def clean_participant(data, *, foreign_phones_allowed=False, optional=()):
    """Clean every personal field of `data`; returns (cleaned, errors by field). See clean_field."""
    cleaned, errors = {}, {}
    for field in PARTICIPANT_CLEANERS:
        try:
            cleaned[field] = clean_field(field, data.get(field), foreign_phones_allowed=foreign_phones_allowed,
                                         optional=optional)
        except InvalidValue as error:
            errors[field] = error.code
    return cleaned, errors


def normalize_heading(text):
    """'No. HP', 'no_hp' and ' NO  HP ' all become 'no hp'; 'N.I.P.' becomes 'nip'."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold().replace(".", "")
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())
