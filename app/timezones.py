"""Wall-clock times typed in a form and the aware datetimes stored (UTC), in an event's time zone,
and what day it is there."""
from zoneinfo import ZoneInfo

from app.models import utcnow


def today_in(event, now=None):
    """Today's date where the event takes place (`event`: anything with a `tz`): 06:30 WIB on 13 June
    is 13 June. The one clock of the check-in rules, the participant list and the dashboard."""
    return (now or utcnow()).astimezone(event.tz).date()


def local_to_utc(naive, timezone_name):
    """A wall-clock datetime typed for the event's zone, as an aware datetime (stored as UTC)."""
    return naive.replace(tzinfo=ZoneInfo(timezone_name)) if naive else None


def utc_to_local(moment, timezone_name):
    """The naive wall-clock time a datetime-local input shows."""
    return moment.astimezone(ZoneInfo(timezone_name)).replace(tzinfo=None) if moment else None


def event_time(moment, event):
    """ISO 8601 with the event's offset: '2022-06-13T07:58:01+07:00'."""
    return moment.astimezone(event.tz).isoformat(timespec="seconds") if moment else None
