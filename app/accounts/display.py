"""How account pages write times: committee accounts belong to no one event, so in WIB."""
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from app.formatting import _locale

ACCOUNTS_TZ = ZoneInfo("Asia/Jakarta")


def account_time(moment):
    """'1 Des 2026 21.35 WIB', or '–' for never."""
    if moment is None:
        return "–"
    pattern = "d MMM y HH:mm" if _locale() == "en" else "d MMM y HH.mm"
    return f"{format_datetime(moment.astimezone(ACCOUNTS_TZ), pattern, locale=_locale())} WIB"
