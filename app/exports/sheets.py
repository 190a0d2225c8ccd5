"""The plain data the attendance workbook is built from: no database, no Flask.

Rows are iterables, read once, so a sheet of 100,000 rows never sits in memory.
Times are naive datetimes already in the event's time zone (Excel knows no zones).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple


class AttendeeRow(NamedTuple):
    """One line of a day's daftar hadir."""

    full_name: str
    nip: str | None
    position: str
    organization: str
    phone: str
    checked_in_at: datetime | None
    recorded_late_at: datetime | None = None  # set when the day was recorded after it ended ("susulan")
    role: str = "peserta"  # on the narasumber and panitia's own daftar hadir


class ParticipantRow(NamedTuple):
    """One registration on the Peserta sheet, with its check-in time on each day (or None)."""

    full_name: str
    nip: str | None
    position: str
    rank: str | None
    organization: str
    phone: str
    email: str
    cancelled: bool
    checked_in_at: tuple
    recorded_late_at: tuple = ()  # per day: when a late ("susulan") record was made, else None
    transferred: bool = False  # the seat was handed to a colleague (who has a row of their own)


class RekapRow(NamedTuple):
    organization: str
    quota: int | None
    registered: int
    present: tuple  # one count per day
    present_all_days: int


@dataclass
class DaySheet:
    number: int
    date: date
    rows: Iterable[AttendeeRow]
    staff: bool = False  # the daftar hadir of the narasumber, moderators and panitia, not the participants'


class SignatureBlock(NamedTuple):
    """Printed under each daftar hadir and the Rekap: "Mengetahui," and who signs."""

    place_date: str  # "Serang, 14 Juni 2022"
    role: str  # "Ketua Panitia"
    name: str
    nip: str | None


class TransportRow(NamedTuple):
    """One person on the Daftar Penerimaan Uang Transport: the days they were present."""

    full_name: str
    nip: str | None
    rank: str | None
    organization: str
    days_present: int


@dataclass
class TransportSheet:
    rate: int  # rupiah per day present
    rows: Iterable[TransportRow]


@dataclass
class AttendanceData:
    title: str
    organizer: str
    venue: str
    tz_label: str  # 'WIB'
    days: list[DaySheet]
    rekap: Iterable[RekapRow]
    participants: Iterable[ParticipantRow]
    signature: SignatureBlock | None = None
    show_phone: bool = False  # the No. HP column on the printed daftar hadir
    transport: TransportSheet | None = None
    letterhead: tuple[str, ...] = ()  # the tenant's kop surat, above the daftar hadir's and the Rekap's title
    # The narasumber, moderators and panitia's daftar hadir, one per day (none when the event has none).
    staff_days: list[DaySheet] = field(default_factory=list)
    # More sheets after these, each an object whose write(wb) adds its sheets (the evaluations', the
    # certificates').
    extra_sheets: list = field(default_factory=list)
