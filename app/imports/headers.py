"""Which participant field a column heading means, as OPDs actually write them.

Headings are compared by meaning: case, punctuation and spacing do not count, and the
Indonesian and English words committees use are known ("Nama Lengkap", "Pangkat/Gol",
"No. HP", "Unit Kerja", "E-mail", or the template's own keys). Columns that mean
nothing to the import are listed and ignored.
"""
import re
import unicodedata
from dataclasses import dataclass, field

REQUIRED_FIELDS = ("full_name", "position", "organization", "phone", "email")

_SYNONYMS = {
    "full_name": (
        "full name", "name", "nama", "nama lengkap", "nama dengan gelar", "nama lengkap dengan gelar",
        "nama lengkap beserta gelar", "nama peserta", "nama lengkap peserta",
    ),
    "nip": ("nip", "nip nrp", "nomor induk pegawai", "nip nik"),
    "position": ("position", "jabatan", "job title", "jabatan peserta"),
    "rank": (
        "rank", "pangkat", "golongan", "gol", "pangkat gol", "pangkat golongan", "pangkat golongan ruang",
        "pangkat gol ruang", "gol ruang",
    ),
    "organization": (
        "organization", "organisation", "opd", "instansi", "unit kerja", "perangkat daerah", "asal instansi",
        "asal opd", "nama opd", "organisasi perangkat daerah", "instansi unit kerja", "opd instansi",
    ),
    "phone": (
        "phone", "hp", "no hp", "nomor hp", "no hp wa", "no hp whatsapp", "nomor hp whatsapp", "whatsapp", "wa",
        "no wa", "nomor wa", "no whatsapp", "nomor whatsapp", "telepon", "no telepon", "no telp", "telp",
        "phone number", "mobile",
    ),
    "email": ("email", "e mail", "surel", "alamat email", "alamat e mail", "alamat surel", "email address"),
}
MEANINGS = {synonym: key for key, synonyms in _SYNONYMS.items() for synonym in synonyms}


def normalize_heading(text):
    """'No. HP', 'no_hp' and ' NO  HP ' all become 'no hp'; 'N.I.P.' becomes 'nip'."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold().replace(".", "")
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


@dataclass
class ColumnMap:
    positions: dict  # field key -> column index (0-based)
    ignored: list = field(default_factory=list)  # headings that mean nothing to the import, as written
    missing: list = field(default_factory=list)  # required field keys with no column


def match_columns(headings):
    """Map a header row (cells as text) to the participant fields it holds."""
    positions, ignored = {}, []
    for index, heading in enumerate(headings):
        written = str(heading or "").strip()
        if not written:
            continue
        key = MEANINGS.get(normalize_heading(written))
        if key is None or key in positions:  # unknown, or a second column for a field already found
            ignored.append(written)
            continue
        positions[key] = index
    missing = [key for key in REQUIRED_FIELDS if key not in positions]
    return ColumnMap(positions, ignored, missing)
