"""An event as an iCalendar file (RFC 5545): one VEVENT per event day, "Tambah ke kalender"."""
from datetime import UTC, datetime, time, timedelta

DAY_STARTS = time(8, 0)
DAY_ENDS = time(16, 0)


def _escape(text):
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n") \
        .replace("\n", "\\n")


def _fold(line):
    """Lines of at most 75 octets, continued with a space (RFC 5545 3.1)."""
    data = line.encode()
    parts: list[bytes] = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never inside a UTF-8 character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
    parts.append(data)
    return b"\r\n ".join(parts).decode()


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def day_span(event, day):
    """When a day runs: its agenda's first start to last end, else 08.00–16.00 local."""
    items = [item for item in event.agenda_items if item.event_day_id == day.id]
    if items:
        starts = min(item.starts_at for item in items)
        ends = max(item.ends_at or item.starts_at + timedelta(hours=1) for item in items)
        return starts, ends
    return (datetime.combine(day.date, DAY_STARTS, tzinfo=event.tz),
            datetime.combine(day.date, DAY_ENDS, tzinfo=event.tz))


def event_ics(event, url, *, day_label, now=None):
    """The .ics text. `day_label(n)` names day n ("Hari 1"); `url` is the event page."""
    stamp = _utc(now or datetime.now(UTC))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Hadir//Bimtek//ID", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    for number, day in enumerate(event.days, start=1):
        starts, ends = day_span(event, day)
        lines += [
            "BEGIN:VEVENT", f"UID:{event.slug}-{day.date.isoformat()}@hadir", f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(starts)}", f"DTEND:{_utc(ends)}",
            f"SUMMARY:{_escape(event.title)} ({_escape(day_label(number))})",
            f"LOCATION:{_escape(event.venue)}", f"DESCRIPTION:{_escape(event.organizer_name)}\\n{_escape(url)}",
            f"URL:{url}", "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
