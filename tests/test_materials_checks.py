"""What may be stored: the type read from the content, the name, the size. No database needed."""
import io

import pytest

from app.materials.checks import UploadPolicy, check_upload
from app.materials.refused import MaterialRefused
from app.materials.sniffing import TYPES
from tests import materials_support as samples

POLICY = UploadPolicy(allowed=frozenset(TYPES), max_bytes=1024 * 1024)


def refusal(name, data, policy=POLICY):
    with pytest.raises(MaterialRefused) as raised:
        check_upload(name, io.BytesIO(data), policy)
    return raised.value.code


@pytest.mark.parametrize("name, data, mimetype", [
    ("Paparan.pdf", samples.pdf(), "application/pdf"),
    ("foto.PNG", samples.image("PNG"), "image/png"),
    ("foto.jpeg", samples.image("JPEG"), "image/jpeg"),
    ("foto.jpg", samples.image("JPEG"), "image/jpeg"),
    ("animasi.gif", samples.image("GIF"), "image/gif"),
    ("foto.webp", samples.webp(), "image/webp"),
    ("Notulen.docx", samples.docx(), TYPES["docx"].mimetype),
    ("Rekap.xlsx", samples.xlsx(), TYPES["xlsx"].mimetype),
    ("Notulen.odt", samples.odt(), TYPES["odt"].mimetype),
    ("Lama.doc", samples.ole2("1Table", "WordDocument"), "application/msword"),
    ("Lama.xls", samples.ole2("Workbook"), "application/vnd.ms-excel"),
    ("Lama.ppt", samples.ole2("Current User", "PowerPoint Document"), "application/vnd.ms-powerpoint"),
    ("Arsip.zip", samples.zip_of({"a.pdf": samples.pdf(), "b/c.png": samples.image()}), "application/zip"),
    # An Office package is a ZIP, so it may be offered as one.
    ("Notulen.zip", samples.docx(), "application/zip"),
    # Directory entries spread over several sectors are all read.
    ("Banyak.doc", samples.ole2("A", "B", "C", "D", "E", "F", "G", "WordDocument"), "application/msword"),
])
def test_each_allowed_type_is_accepted_by_its_content(name, data, mimetype):
    checked = check_upload(name, io.BytesIO(data), POLICY)
    assert (checked.mimetype, checked.size, checked.original_name) == (mimetype, len(data), name)


@pytest.mark.parametrize("name, data, code", [
    ("Paparan.pdf", samples.EXE, "dangerous"),
    ("Paparan.docx", samples.EXE, "dangerous"),
    ("Paparan.pdf", samples.HTML, "dangerous"),
    ("Paparan.pdf", b"\xef\xbb\xbf  \n<html><body>hi</body></html>", "dangerous"),
    ("Paparan.png", b"#!/bin/sh\nrm -rf /\n", "dangerous"),
    ("Paparan.html", samples.HTML, "type_not_allowed"),
    ("Paparan.exe", samples.EXE, "type_not_allowed"),
    ("Paparan.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "type_not_allowed"),
    ("Paparan", samples.pdf(), "type_not_allowed"),
    ("Paparan.pdf", samples.image("PNG"), "content_mismatch"),
    # A .docx must really be a Word package: a spreadsheet or a plain ZIP is not one.
    ("Notulen.docx", samples.xlsx(), "content_mismatch"),
    ("Notulen.docx", samples.zip_of({"word/document.xml": "x"}), "content_mismatch"),
    ("Notulen.odt", samples.zip_of({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), "content_mismatch"),
    # An installer is an OLE2 file too, but it holds no Word stream.
    ("Setup.doc", samples.ole2("SummaryInformation", "Binary.Icon"), "content_mismatch"),
    ("Lama.xls", samples.ole2("WordDocument"), "content_mismatch"),
    ("Rusak.zip", b"PK\x03\x04 not really a zip", "content_mismatch"),
    ("Rusak.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 truncated", "content_mismatch"),
    ("Arsip.zip", samples.zip_of({"materi/setup.exe": samples.EXE}), "zip_unsafe"),
    ("Arsip.zip", samples.zip_of({"../../autorun.pdf": samples.pdf()}), "zip_unsafe"),
    ("Arsip.zip", samples.zip_of({"index.html": samples.HTML}), "zip_unsafe"),
    # Every entry meets the allow-list by content, as a file uploaded alone would.
    ("Arsip.zip", samples.zip_of({"catatan.txt": "x"}), "zip_entry_type"),
    ("Arsip.zip", samples.zip_of({"foto.png": samples.pdf()}), "zip_entry_mismatch"),
    ("Notulen.docx", samples.zip_of({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>",
                                     "word/vbaProject.bin": samples.ole2("VBA")}), "macros"),
    ("Lama.doc", samples.ole2("WordDocument", "Macros"), "macros"),
    ("Kosong.pdf", b"", "empty"),
    ("../../etc/passwd.pdf", samples.pdf(), "name_unsafe"),
    ("..\\boot.pdf", samples.pdf(), "name_unsafe"),
    ("a\x00.pdf", samples.pdf(), "name_unsafe"),
    ("", samples.pdf(), "name_missing"),
    ("x" * 300 + ".pdf", samples.pdf(), "name_too_long"),
])
def test_unsafe_or_disguised_files_are_refused(name, data, code):
    assert refusal(name, data) == code


def test_the_size_limit_is_per_file_and_exact():
    policy = UploadPolicy(allowed=frozenset({"pdf"}), max_bytes=len(samples.pdf()) + 10)
    assert check_upload("a.pdf", io.BytesIO(samples.pdf(b"x" * 8)), policy).size == policy.max_bytes
    assert refusal("a.pdf", samples.pdf(b"x" * 9), policy) == "too_large"


def test_only_the_configured_types_are_allowed():
    policy = UploadPolicy.from_config({"ALLOWED_UPLOAD_TYPES": ["pdf", "txt"], "MAX_UPLOAD_MB": 2})
    # txt is not a type whose content can be checked, so it is not accepted either.
    assert policy.allowed == {"pdf"} and policy.max_bytes == 2 * 1024 * 1024
    assert refusal("foto.png", samples.image(), policy) == "type_not_allowed"
    assert refusal("catatan.txt", b"hello", policy) == "type_not_allowed"


def test_a_name_with_dots_inside_is_fine():
    assert check_upload("Paparan v1.2 .. final.pdf", io.BytesIO(samples.pdf()), POLICY).extension == "pdf"


@pytest.mark.parametrize("name, data", [
    ("a.docx", samples.docx()), ("a.xlsx", samples.xlsx()), ("a.odt", samples.odt()),
    ("a.doc", samples.ole2("WordDocument")), ("a.zip", samples.zip_of({"a.pdf": samples.pdf()})),
])
def test_truncated_or_garbled_packages_are_refused_never_crash(name, data):
    for broken in (data[: len(data) // 2], data[:-30], data[:8] + bytes(range(256)) * 8):
        assert refusal(name, broken) in {"content_mismatch", "dangerous"}
