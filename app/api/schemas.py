"""Reading and checking the JSON bodies of the API: plain data in, (values, errors) out."""
from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _

from app.models import CHECKIN_METHODS, utcnow

MAX_SCANNED_TEXT = 1000
MAX_DEVICE = 100
STATION_METHODS = tuple(method for method in CHECKIN_METHODS if method != "import")


def _text(data, name, errors, *, limit, required=False):
    value = data.get(name)
    if value is None or value == "":
        if required:
            errors[name] = [_("Wajib diisi.")]
        return None
    if not isinstance(value, str):
        errors[name] = [_("Harus berupa teks.")]
        return None
    value = value.strip()
    if len(value) > limit:
        errors[name] = [_("Terlalu panjang (paling banyak %(n)s karakter).", n=limit)]
        return None
    if required and not value:
        errors[name] = [_("Wajib diisi.")]
    return value or None


def parse_day(value):
    """A date from 'YYYY-MM-DD', or None if it is not one."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_version(value):
    """A roster copy's version (the UTC moment it was made, ISO 8601), or None if it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and _plausible(moment) else None


def _day(data, errors):
    if data.get("day") in (None, ""):
        return None
    day = parse_day(data["day"])
    if day is None:
        errors["day"] = [_("Tanggal harus berformat YYYY-MM-DD.")]
    return day


def _scanned_at(data, errors):
    value = data.get("scanned_at")
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not _plausible(moment):
        errors["scanned_at"] = [_("Waktu harus ISO 8601 dengan zona waktu, mis. 2022-06-13T07:58:01+07:00.")]
        return None
    if moment > utcnow() + CLOCK_SLACK:
        errors["scanned_at"] = [_("Waktu pindai lebih dari %(n)s menit di depan jam server.",
                                  n=int(CLOCK_SLACK.total_seconds() // 60))]
        return None
    return moment


# How far ahead of the server's clock a desk's may run: a scan "taken" later than that is a broken clock.
CLOCK_SLACK = timedelta(minutes=5)


# A scan time outside these years is a broken clock; near datetime's own limits (years 1 and 9999)
# moving it to UTC or to the event's zone would overflow.
EARLIEST_SCAN = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_SCAN = datetime(2100, 1, 1, tzinfo=UTC)


def _plausible(moment):
    try:
        return EARLIEST_SCAN <= moment.astimezone(UTC) < LATEST_SCAN
    except OverflowError:
        return False


def _method(data, errors, default):
    method = data.get("method") or default
    if method not in STATION_METHODS:
        errors["method"] = [_("Metode harus salah satu dari: %(methods)s.", methods=", ".join(STATION_METHODS))]
    return method


def parse_check_in(data, *, token_required=True, default_method="scanner"):
    """The fields of a check-in request as Python values, and errors by field."""
    if not isinstance(data, dict):
        return {}, {"body": [_("Kirim objek JSON.")]}
    errors: dict[str, list[str]] = {}
    values = {
        "token": _text(data, "token", errors, limit=MAX_SCANNED_TEXT, required=token_required),
        "event": _text(data, "event", errors, limit=80),
        "day": _day(data, errors),
        "device": _text(data, "device", errors, limit=MAX_DEVICE),
        "scanned_at": _scanned_at(data, errors),
        "method": _method(data, errors, default_method),
    }
    return values, errors
