"""Wall-clock times typed in a form and the aware datetimes stored (UTC), in an event's time zone."""
from zoneinfo import ZoneInfo


def local_to_utc(naive, timezone_name):
    """A wall-clock datetime typed for the event's zone, as an aware datetime (stored as UTC)."""
    return naive.replace(tzinfo=ZoneInfo(timezone_name)) if naive else None


def utc_to_local(moment, timezone_name):
    """The naive wall-clock time a datetime-local input shows."""
    return moment.astimezone(ZoneInfo(timezone_name)).replace(tzinfo=None) if moment else None


def event_time(moment, event):
    """ISO 8601 with the event's offset: '2022-06-13T07:58:01+07:00'."""
    return moment.astimezone(event.tz).isoformat(timespec="seconds") if moment else None
