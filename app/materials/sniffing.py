"""What a file really is, read from its bytes: the extension alone proves nothing.

A file is accepted as `.ext` only if its content is that kind of file: a `.pdf`
starts with `%PDF-`, a `.docx` is a ZIP package with Word parts, a `.doc` is an
OLE2 compound file holding a `WordDocument` stream, and so on. Programs and web
pages are refused whatever they are called. What is inside a ZIP or an Office package
is judged in packages.py.
"""
import struct
import zipfile
from dataclasses import dataclass

HEAD_SIZE = 4096


@dataclass(frozen=True)
class FileType:
    label: str
    mimetype: str


TYPES = {
    "pdf": FileType("PDF", "application/pdf"),
    "docx": FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": FileType("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "doc": FileType("DOC", "application/msword"),
    "xls": FileType("XLS", "application/vnd.ms-excel"),
    "ppt": FileType("PPT", "application/vnd.ms-powerpoint"),
    "odt": FileType("ODT", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": FileType("ODP", "application/vnd.oasis.opendocument.presentation"),
    "png": FileType("PNG", "image/png"),
    "jpg": FileType("JPG", "image/jpeg"),
    "jpeg": FileType("JPG", "image/jpeg"),
    "gif": FileType("GIF", "image/gif"),
    "webp": FileType("WEBP", "image/webp"),
    "zip": FileType("ZIP", "application/zip"),
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ODF_MIMETYPE = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
OLE2_STREAM = {"doc": {"WordDocument"}, "xls": {"Workbook", "Book"}, "ppt": {"PowerPoint Document"}}
WEB_PAGE_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<!--")


PROGRAM_STARTS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def looks_dangerous(head):
    """True for a Windows/Linux program, a script with a #! line or a web page."""
    if head.startswith(PROGRAM_STARTS):
        return True
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    return text.startswith(WEB_PAGE_STARTS)


def content_matches(extension, stream):
    """True if the seekable binary `stream` really is a file of type `extension`.

    Reads the head and, for packages, the ZIP or OLE2 directory; never the whole file.
    """
    stream.seek(0)
    head = stream.read(HEAD_SIZE)
    stream.seek(0)
    try:
        if extension == "pdf":
            return head.startswith(b"%PDF-")
        if extension == "png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if extension in ("jpg", "jpeg"):
            return head.startswith(b"\xff\xd8\xff")
        if extension == "gif":
            return head.startswith((b"GIF87a", b"GIF89a"))
        if extension == "webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        if extension in OOXML_PART:
            return head.startswith(b"PK") and _is_ooxml(stream, OOXML_PART[extension])
        if extension in ODF_MIMETYPE:
            return head.startswith(b"PK") and _zip_entry(stream, "mimetype") == ODF_MIMETYPE[extension]
        if extension in OLE2_STREAM:
            return head.startswith(OLE2_MAGIC) and bool(OLE2_STREAM[extension] & ole2_stream_names(stream))
        if extension == "zip":
            return head.startswith(b"PK") and isinstance(_names_in_zip(stream), list)
    except Exception:  # noqa: BLE001 (bytes from a stranger that fail to parse are simply not this type)
        return False
    finally:
        stream.seek(0)
    return False


def _names_in_zip(stream):
    with zipfile.ZipFile(stream) as archive:
        return archive.namelist()


def _is_ooxml(stream, part_folder):
    names = _names_in_zip(stream)
    return "[Content_Types].xml" in names and any(name.startswith(part_folder) for name in names)


def _zip_entry(stream, name, limit=200):
    with zipfile.ZipFile(stream) as archive, archive.open(name) as entry:
        return entry.read(limit).strip()


# OLE2 (compound file) constants: the legacy .doc/.xls/.ppt and also .msi installers.
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_MAX_STEPS = 100_000


def ole2_stream_names(stream):
    """The names of the streams and storages in an OLE2 compound file (its directory)."""
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512 or not header.startswith(OLE2_MAGIC):
        return set()
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        return set()
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)

    def read_sector(number):
        stream.seek((number + 1) * sector_size)
        data = stream.read(sector_size)
        if len(data) != sector_size:
            raise ValueError("truncated compound file")
        return data

    fat_sectors = list(struct.unpack_from("<109I", header, 0x4C))
    sector, steps = first_difat, 0
    while sector <= _MAX_REGULAR_SECTOR and steps < min(difat_count, _MAX_STEPS):
        entries = struct.unpack(f"<{per_sector}I", read_sector(sector))
        fat_sectors.extend(entries[:-1])
        sector, steps = entries[-1], steps + 1
    fat_sectors = fat_sectors[:fat_count]

    def next_sector(number):
        fat_sector = fat_sectors[number // per_sector]
        stream.seek((fat_sector + 1) * sector_size + (number % per_sector) * 4)
        return struct.unpack("<I", stream.read(4))[0]

    names, sector, steps = set(), first_directory, 0
    while sector <= _MAX_REGULAR_SECTOR and steps < _MAX_STEPS:
        data = read_sector(sector)
        for offset in range(0, sector_size, 128):
            name_length, kind = struct.unpack_from("<HB", data, offset + 0x40)
            if kind in (1, 2, 5) and 2 <= name_length <= 64:
                names.add(data[offset:offset + name_length - 2].decode("utf-16-le", "replace"))
        sector, steps = next_sector(sector), steps + 1
    return names
