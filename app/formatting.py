"""How dates, times and numbers are written on pages: in the event's time zone."""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask_babel import get_locale


@dataclass(frozen=True)
class Zone:
    """Where a moment is shown when no event is at hand (a log row of a whole tenant): the helpers
    below take it in place of an event. Tenants have no time zone of their own; ours is Jakarta's."""

    timezone: str = "Asia/Jakarta"

    @property
    def tz(self):
        return ZoneInfo(self.timezone)


DEFAULT_ZONE = Zone()


def _locale():
    return str(get_locale() or "id")


def to_event_time(moment, event):
    """An aware UTC datetime in the event's time zone."""
    return moment.astimezone(event.tz)


def long_date(day):
    """'Senin, 13 Juni 2022'."""
    if isinstance(day, datetime):
        day = day.date()
    return format_date(day, "EEEE, d MMMM y", locale=_locale())


def short_date(day):
    """'13 Juni 2022'."""
    return format_date(day, "d MMMM y", locale=_locale())


def clock(moment, event):
    """'07.58' in Indonesian, '07:58' in English, in the event's time zone."""
    return format_time(to_event_time(moment, event), "HH:mm" if _locale() == "en" else "HH.mm", locale=_locale())


def event_moment(moment, event):
    """'Senin, 13 Juni 2022 08.00 WIB': a moment written out in the event's time zone."""
    return f"{long_date(to_event_time(moment, event))} {clock(moment, event)} {tz_abbreviation(event)}"


def short_moment(moment, event):
    """'13 Juni 2022 08.00 WIB': a moment in a table row, in the event's time zone."""
    return f"{short_date(to_event_time(moment, event))} {clock(moment, event)} {tz_abbreviation(event)}"


def recorded_late(moment, day, event):
    """Whether a check-in of `day` was written on another date (recorded after the day: "susulan")."""
    return to_event_time(moment, event).date() != getattr(day, "date", day)


def tz_abbreviation(event):
    """'WIB', 'WITA', 'WIT' for Indonesia's zones, else the zone's own abbreviation."""
    names = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
    return names.get(event.timezone) or datetime.now(event.tz).tzname()


def date_span(days):
    """'13–14 Juni 2022' for consecutive days in one month, else each day written out."""
    dates = sorted(getattr(d, "date", d) for d in days)
    if not dates:
        return ""
    first, last = dates[0], dates[-1]
    if first == last:
        return short_date(first)
    if (first.year, first.month) == (last.year, last.month) and (last - first).days == len(dates) - 1:
        return f"{first.day}–{short_date(last)}"
    return ", ".join(short_date(d) for d in dates)


def decimal(value, places=1, *, fixed=False, locale=None):
    """A number as the active locale writes it, with at most `places` decimals ('66,7' and '1.234,5' in
    Indonesian, '66.7' in English; '50' rather than '50.0'), or exactly `places` when `fixed` (a mean:
    '4,50'). None (nothing to show) is '–'. Workbook texts, Indonesian whatever the page's language,
    pass locale='id'."""
    if value is None:
        return "–"
    pattern = "#,##0." + ("0" if fixed else "#") * places if places else "#,##0"
    return format_decimal(value, pattern, locale=locale or _locale())


def register_template_helpers(app):
    app.jinja_env.filters.update(long_date=long_date, short_date=short_date, decimal=decimal)
    app.jinja_env.globals.update(clock=clock, tz_abbreviation=tz_abbreviation, date_span=date_span,
                                  event_moment=event_moment, short_moment=short_moment, default_zone=DEFAULT_ZONE,
                                  recorded_late=recorded_late)
