"""An .xlsx is looked at before openpyxl opens it: a ZIP of XML parts can hide a bomb.

openpyxl reads the whole shared-strings part into memory, and in read-only mode it pads
every row to the `<dimension>` the sheet declares and yields an empty row for every row
number it skips. So a 1 MB file can hold a 1,000 MB string, and a sheet of a few kilobytes
can declare A1:XFD1000000 or jump to row 1,000,000. Before openpyxl sees the file:

- the ZIP directory: number of parts, each part's size, the total, and how much each part
  was compressed (a ratio no spreadsheet reaches means a bomb);
- every XML part, streamed through defusedxml's SAX parser (never a tree in memory): it must
  be well formed and carry no DTD and no entity (none is ever expanded, external or not);
- every worksheet: the rows and columns it declares and the ones it holds, blank rows and
  skipped row numbers counted, since openpyxl would produce them all.

The read counts the bytes it decompresses, so a part whose directory entry lies about its
size is stopped at the limit as well.
"""
import re
import zipfile
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser
from flask_babel import lazy_gettext as _l

MAX_PARTS = 1000
MAX_PART_BYTES = 30 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024
# Spreadsheet XML compresses 5-20 times; 100 is allowed for a part of more than 1 MB.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
# Rows and columns a sheet may hold, blank ones included. The import reads at most 5,000 participants.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 256

_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_RANGE_END = re.compile(r"(?:[^:]*:)?\$?([A-Za-z]{1,3})?\$?(\d{1,7})?$")


class UnsafeWorkbook(ValueError):
    """The file is not opened: a code (see MESSAGES) and a detail for the message."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def _column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _SheetLimits(ContentHandler):
    """Counts the rows and columns of a worksheet as the SAX parser goes, and stops it at a limit."""

    def __init__(self, part):
        super().__init__()
        self.part = part
        self.row = 0
        self.column = 0

    def startElement(self, name, attrs):  # noqa: N802 (the SAX interface)
        local = name.rpartition(":")[2]
        if local == "row":
            number = attrs.get("r")
            self.row = int(number) if number and number.isascii() and number.isdigit() else self.row + 1
            self.column = 0
            self._check_row(self.row)
        elif local == "c":
            found = _CELL_REF.match(attrs.get("r") or "")
            self.column = _column_number(found.group(1)) if found else self.column + 1
            self._check_column(self.column)
        elif local == "dimension":
            found = _RANGE_END.match(attrs.get("ref") or "")
            if found and found.group(1):
                self._check_column(_column_number(found.group(1)))
            if found and found.group(2):
                self._check_row(int(found.group(2)))

    def _check_row(self, number):
        if number > MAX_SHEET_ROWS:
            raise UnsafeWorkbook("sheet_too_many_rows", f"{MAX_SHEET_ROWS:,}".replace(",", "."))

    def _check_column(self, number):
        if number > MAX_SHEET_COLUMNS:
            raise UnsafeWorkbook("sheet_too_many_columns", str(MAX_SHEET_COLUMNS))


class _Counted:
    """A part's stream that refuses to give more than `limit` bytes, whatever the ZIP directory says."""

    def __init__(self, raw, limit):
        self.raw = raw
        self.left = limit

    def read(self, size=-1):
        data = self.raw.read(65536 if size is None or size < 0 else min(size, 65536))
        self.left -= len(data)
        if self.left < 0:
            raise UnsafeWorkbook("too_big", f"> {MAX_PART_BYTES // (1024 * 1024)} MB")
        return data

    def close(self):
        """The part is closed by its owner."""


def _check_directory(archive):
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise UnsafeWorkbook("too_big", f"{len(infos)} bagian")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise UnsafeWorkbook("too_big", f"{max(info.file_size, total) // (1024 * 1024)} MB")
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeWorkbook("ratio", f"{info.file_size // max(info.compress_size, 1)}:1")
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook("not_xlsx")  # an encrypted part cannot be read (nor checked)
    return [info for info in infos if not info.is_dir()]


# What an XML part may start with: markup, or a byte-order mark (UTF-8, UTF-16 either way round).
_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<")


def _is_xml(archive, info):
    """Parts named .xml/.rels, and any other part that an XML parser would read (images and the like are not)."""
    if info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return True
    with archive.open(info) as part:
        head = part.read(64).lstrip(b" \t\r\n")
    return head.startswith(_XML_STARTS)


def _parse_part(archive, info):
    # Every part is counted as if it were a sheet: a workbook may name its sheets anything.
    handler = _SheetLimits(info.filename)
    parser = make_parser()
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setContentHandler(handler)
    with archive.open(info) as part:
        try:
            parser.parse(_Counted(part, MAX_PART_BYTES))
        except DefusedXmlException:
            raise UnsafeWorkbook("xml_forbidden", info.filename) from None
        except SAXException as error:
            cause = error.getException()
            if isinstance(cause, UnsafeWorkbook):
                raise cause from None
            raise UnsafeWorkbook("xml_broken", info.filename) from None


def check_workbook(stream):
    """Raise UnsafeWorkbook unless the seekable binary `stream` is an .xlsx openpyxl may open. Rewinds it."""
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in _check_directory(archive):
                if _is_xml(archive, info):
                    _parse_part(archive, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        if isinstance(error, UnsafeWorkbook):
            raise
        raise UnsafeWorkbook("not_xlsx") from None
    finally:
        stream.seek(0)


MESSAGES = {
    "too_big": _l("Isi berkas .xlsx terlalu besar setelah dibuka (%(detail)s). Simpan hanya lembar peserta "
                  "ke berkas baru, lalu unggah lagi."),
    "ratio": _l("Berkas .xlsx dipadatkan secara tidak wajar (%(detail)s) dan ditolak. Simpan ulang dari Excel."),
    "xml_broken": _l("Berkas .xlsx rusak: bagian %(detail)s bukan XML yang utuh. Simpan ulang dari Excel."),
    "xml_forbidden": _l("Berkas .xlsx memuat DTD atau entitas XML (bagian %(detail)s), yang tidak pernah ditulis "
                        "Excel. Berkas ditolak."),
    "sheet_too_many_rows": _l("Lembar kerja terlalu besar: lebih dari %(detail)s baris (baris kosong ikut dihitung). "
                              "Hapus baris kosong di bawah daftar, lalu simpan lagi."),
    "sheet_too_many_columns": _l("Lembar kerja terlalu besar: lebih dari %(detail)s kolom terisi atau diformat. "
                                 "Hapus kolom di sebelah kanan daftar, lalu simpan lagi."),
}
