"""Which participant field a column heading means, as OPDs actually write them.

SPELLINGS is the one table of the headings in use, written as committees and OPDs write them;
the import template lists it on its sheet "Judul kolom". Headings are compared by meaning: case,
punctuation and spacing do not count ("No. HP/WA", "no hp wa" and "NO HP / WA" are one heading).
A numbering column ("No") is skipped without a word; other columns that mean nothing to the
import are listed and ignored. The header row need not be the first: title lines ("DAFTAR
PESERTA BIMTEK …", merged across the columns) and blank lines above it are skipped.
"""
import re
from dataclasses import dataclass, field

from app.values import normalize_heading

# A row needs a name and an OPD; NIP, position, rank, phone and e-mail may be left out.
REQUIRED_FIELDS = ("full_name", "organization")
NUMBERING = "number"  # the "No" column of a list: read, never stored
HEADER_SEARCH_ROWS = 15  # the header row is looked for among the first rows of the sheet

SPELLINGS = {
    "full_name": (
        "Nama", "Nama Lengkap", "Nama Lengkap (dengan gelar)", "Nama dengan Gelar", "Nama Lengkap beserta Gelar",
        "Nama Peserta", "Nama Lengkap Peserta", "Nama Pegawai", "Nama ASN", "Nama dan Gelar", "Name", "Full name",
        "full_name",
    ),
    "nip": ("NIP", "N.I.P.", "NIP/NRP", "NIP/NIK", "Nomor Induk Pegawai", "NIP Peserta"),
    "position": ("Jabatan", "Nama Jabatan", "Jabatan Peserta", "Jabatan Saat Ini", "Position", "Job title"),
    "rank": (
        "Pangkat", "Golongan", "Gol.", "Gol. Ruang", "Golongan Ruang", "Pangkat/Gol", "Pangkat/Gol.",
        "Pangkat/Golongan", "Pangkat/Golongan Ruang", "Pangkat/Gol. Ruang", "Pangkat dan Golongan", "Rank",
    ),
    "organization": (
        "OPD", "Nama OPD", "Asal OPD", "Instansi", "Asal Instansi", "Nama Instansi", "Unit Kerja",
        "Unit Kerja/OPD", "OPD/Unit Kerja", "Instansi/Unit Kerja", "Unit Kerja/Instansi", "OPD/Instansi",
        "Perangkat Daerah", "Organisasi Perangkat Daerah", "SKPD", "Nama SKPD", "Asal SKPD", "Satuan Kerja",
        "Satker", "Organization", "Organisation",
    ),
    "phone": (
        "No. HP", "No HP", "Nomor HP", "HP", "No. HP/WA", "No HP/WA", "Nomor HP/WA", "No. HP (WhatsApp)",
        "No. HP/WhatsApp", "Nomor HP/WhatsApp", "No. WA", "No WA", "Nomor WA", "WA", "WhatsApp", "No. WhatsApp",
        "Nomor WhatsApp", "No. Telp", "No. Telepon", "Nomor Telepon", "Telepon", "Telp", "No. Telp/HP",
        "Kontak", "Phone", "Phone number", "Mobile",
    ),
    "email": ("E-mail", "Email", "Alamat E-mail", "Alamat Email", "Surel", "Alamat Surel", "Email address"),
    # Optional: narasumber, moderator or panitia (outside the OPD quotas); empty or "peserta" is a participant.
    "role": ("Peran", "Sebagai", "Peran dalam Kegiatan", "Kedudukan", "Role"),
    NUMBERING: ("No", "No.", "No. Urut", "Nomor", "Nomor Urut", "Urut"),
}


MEANINGS = {normalize_heading(spelling): key for key, spellings in SPELLINGS.items() for spelling in spellings}
# The template's keys (full_name, nip, …) are read too.
MEANINGS.update({normalize_heading(key): key for key in SPELLINGS if key != NUMBERING})


@dataclass
class ColumnMap:
    positions: dict  # field key -> column index (0-based)
    ignored: list = field(default_factory=list)  # headings that mean nothing to the import, as written
    missing: list = field(default_factory=list)  # required field keys with no column
    seen: list = field(default_factory=list)  # every heading of the row, as written


def match_columns(headings):
    """Map a header row (cells as text) to the participant fields it holds."""
    positions, ignored, seen = {}, [], []
    for index, heading in enumerate(headings):
        written = str(heading or "").strip()
        if not written:
            continue
        seen.append(written)
        key = MEANINGS.get(normalize_heading(written))
        if key is None or key in positions:  # unknown, or a second column for a field already found
            ignored.append(written)
            continue
        positions[key] = index
    positions.pop(NUMBERING, None)
    missing = [key for key in REQUIRED_FIELDS if key not in positions]
    return ColumnMap(positions, ignored, missing, seen)


class HeaderNotFound(ValueError):
    """No row among the first ones holds the required columns; `best` is the row that came closest
    (its 1-based number and ColumnMap), None when those rows are all empty."""

    def __init__(self, best):
        super().__init__("header not found")
        self.best = best


def find_header(rows):
    """(1-based row number, ColumnMap) of the header among the first HEADER_SEARCH_ROWS of `rows`
    (lists of cell texts), consuming the rows up to it. Raises HeaderNotFound."""
    best = None
    for number, cells in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        columns = match_columns(cells)
        if not columns.seen:
            continue  # a blank line
        if not columns.missing:
            return number, columns
        if best is None or len(columns.positions) > len(best[1].positions):
            best = (number, columns)
    raise HeaderNotFound(best)


def is_column_numbering(cells):
    """A row "1 2 3 4 …" under the header that numbers its columns, as printed lists often have."""
    texts = [re.sub(r"[()\s]", "", str(cell)) for cell in cells if str(cell or "").strip()]
    return len(texts) >= 3 and texts == [str(n) for n in range(1, len(texts) + 1)]
