"""For the materials tests: small real files of each kind (and some to refuse), agenda items, the disk."""
import io
import re
import struct
import zipfile
from html import unescape
from pathlib import Path

from PIL import Image

from app.events.services import add_agenda_item
from app.extensions import db

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def pdf(extra=b""):
    """A one-page PDF; `extra` (a comment) makes it a distinct file."""
    return PDF + (b"%" + extra + b"\n" if extra else b"")


def image(kind="PNG"):
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 108, 67)).save(out, kind)
    return out.getvalue()


def zip_of(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx():
    return zip_of({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>",
                   "word/document.xml": "<w:document/>"})


def xlsx():
    from openpyxl import Workbook

    out = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Daftar hadir"
    workbook.save(out)
    return out.getvalue()


def odt():
    return zip_of({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document/>"})


def ole2(*stream_names):
    """A minimal OLE2 compound file whose directory holds `stream_names` (spread over several sectors)."""
    entries = [_directory_entry("Root Entry", 5)] + [_directory_entry(name, 2) for name in stream_names]
    while len(entries) % 4:
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + b"\x00" * 60)
    directory_sectors = len(entries) // 4
    fat = [0xFFFFFFFD] + [i + 2 for i in range(directory_sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)
    struct.pack_into("<IIIII", header, 0x38, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    return bytes(header) + struct.pack("<128I", *fat) + b"".join(entries)


def _directory_entry(name, kind):
    encoded = (name + "\x00").encode("utf-16-le")
    entry = bytearray(128)
    entry[0:len(encoded)] = encoded
    struct.pack_into("<HBB", entry, 0x40, len(encoded), kind, 1)
    struct.pack_into("<III", entry, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    struct.pack_into("<IQ", entry, 0x74, 0xFFFFFFFE, 0)
    return bytes(entry)


def webp():
    return image("WEBP")


def session(event, title="Paparan Kebijakan", day=0, starts="08:00", ends=None, speaker="Kadis Kominfo"):
    """An agenda item of `event`, committed."""
    item = add_agenda_item(event, event.days[day], starts, ends, title, speaker)
    db.session.commit()
    return item


def stored_files(app):
    """Every file under the upload folder (temporary ones included)."""
    return sorted(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())


ADMIN = "admin@example.go.id"


PAGE = "/admin/acara/bimtek-uji/materi"


def post_files(client, files, url=PAGE, **fields):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], "visibility": "participants"}
    data.update(fields)
    return client.post(url, data=data, content_type="multipart/form-data")


def alerts(response):
    page = response.get_data(as_text=True)
    return [unescape(m).strip() for m in re.findall(r'class="alert alert-danger" role="alert">([^<]*)<', page)]
