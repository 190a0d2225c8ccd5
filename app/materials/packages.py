"""What is inside an uploaded archive or Office package, judged by content like a file uploaded alone.

- A ZIP: every entry must have a safe name (no absolute or `..` path, no symlink, no trailing dot
  or space, no control, bidi or zero-width character) and pass the same allow-list by content as a
  top-level upload (`.pdf` really a PDF, nothing that is a program or a web page). An archive or an
  Office package inside is inspected in turn, MAX_NESTING levels deep at most; deeper is refused.
- An Office file (DOCX/XLSX/PPTX, ODF, legacy DOC/XLS/PPT): no macros (vbaProject.bin, a
  macro-enabled content type, ODF Basic/Scripts, OLE2 VBA storages), no ActiveX, no program
  in any part, and in its embeddings folder only Office packages (a chart's workbook in a PPTX)
  and images, inspected like ZIP entries: an OLE object (oleObject1.bin) is refused.
- Sizes: the entries a ZIP declares are checked against the per-file limit, a total and a
  compression ratio before anything is decompressed, and the bytes read are counted as well.
"""
import stat
import tempfile
import zipfile

from app.materials.names import extension_of, has_invisible
from app.materials.refused import MaterialRefused
from app.materials.sniffing import (
    ODF_MIMETYPE,
    OLE2_STREAM,
    OOXML_PART,
    PROGRAM_STARTS,
    content_matches,
    looks_dangerous,
    ole2_stream_names,
)

MAX_NESTING = 2
MAX_ENTRIES = 2000
MAX_RATIO = 100  # for entries of more than RATIO_FROM_BYTES; documents and images compress far less
RATIO_FROM_BYTES = 1024 * 1024
SPOOL_BYTES = 1024 * 1024
PACKAGE_TYPES = set(OOXML_PART) | set(ODF_MIMETYPE)
OLE2_MACRO_STREAMS = {"_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "Macros"}
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject")
EMBEDDED_OK = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "png", "jpg", "jpeg", "gif"}


def _refuse(code, upload_name, entry=""):
    raise MaterialRefused(code, upload_name, entry)


def unsafe_entry_name(info):
    """True if a ZIP entry's name or kind would be dangerous when unpacked or shown."""
    name = info.filename.replace("\\", "/")
    if stat.S_ISLNK(info.external_attr >> 16):
        return True
    if name.startswith("/") or ":" in name or has_invisible(name):
        return True
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        return True
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    return any(part in ("", ".", "..") or part != part.rstrip(". ") for part in parts)


def _check_directory(archive, upload_name, max_bytes):
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        _refuse("zip_bomb", upload_name, f"{len(infos)}")
    total = 0
    for info in infos:
        total += info.file_size
        too_compressed = info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > max_bytes or total > 4 * max_bytes or too_compressed:
            _refuse("zip_bomb", upload_name, info.filename)
        if info.flag_bits & 0x1:
            _refuse("zip_encrypted", upload_name, info.filename)
    return infos


def _spooled_copy(archive, info, upload_name, max_bytes):
    """The entry's bytes in a seekable temporary file, refusing at max_bytes whatever its header says."""
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (the caller closes it)
    read = 0
    with archive.open(info) as entry:
        while chunk := entry.read(65536):
            read += len(chunk)
            if read > max_bytes:
                copy.close()
                _refuse("zip_bomb", upload_name, info.filename)
            copy.write(chunk)
    copy.seek(0)
    return copy


def _check_entry(archive, info, upload_name, policy, depth, *, allowed):
    """One file inside an archive or package: a type on `allowed`, matching its content, and itself inspected."""
    extension = extension_of(info.filename.replace("\\", "/").rpartition("/")[2])
    with _spooled_copy(archive, info, upload_name, policy.max_bytes) as copy:
        if looks_dangerous(copy.read(4096)):
            _refuse("zip_unsafe", upload_name, info.filename)
        if extension not in allowed:
            return False
        if not content_matches(extension, copy):
            _refuse("zip_entry_mismatch", upload_name, info.filename)
        check_content(extension, copy, policy, upload_name, depth + 1)
    return True


def _check_zip(stream, policy, upload_name, depth):
    with zipfile.ZipFile(stream) as archive:
        infos = _check_directory(archive, upload_name, policy.max_bytes)
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names or "mimetype" in names:
            # An Office package offered as .zip: judged as the package it is.
            _check_package(archive, infos, policy, upload_name, depth)
            return
        for info in infos:
            if unsafe_entry_name(info):
                _refuse("zip_unsafe", upload_name, info.filename)
            if info.is_dir():
                continue
            if not _check_entry(archive, info, upload_name, policy, depth, allowed=policy.allowed):
                _refuse("zip_entry_type", upload_name, info.filename)


def _check_package(archive, infos, policy, upload_name, depth):
    """An OOXML or ODF package: its parts are XML and media, never macros, ActiveX, OLE objects or programs."""
    for info in infos:
        name = info.filename.replace("\\", "/")
        lower = name.lower()
        if unsafe_entry_name(info):
            _refuse("zip_unsafe", upload_name, info.filename)
        folder, _slash, base = lower.rpartition("/")
        if base in ("vbaproject.bin", "vbadata.xml") or "/activex/" in f"/{lower}" \
                or lower.startswith(("basic/", "scripts/")):
            _refuse("macros", upload_name, info.filename)
        if lower == "[content_types].xml":
            with archive.open(info) as part:
                content_types = part.read(RATIO_FROM_BYTES).lower()
            if any(marker in content_types for marker in MACRO_CONTENT_TYPES):
                _refuse("macros", upload_name, info.filename)
        if info.is_dir():
            continue
        if folder.endswith("embeddings"):
            if not _check_entry(archive, info, upload_name, policy, depth, allowed=EMBEDDED_OK):
                _refuse("macros", upload_name, info.filename)
        elif _is_program(archive, info):
            _refuse("macros", upload_name, info.filename)


def _is_program(archive, info):
    with archive.open(info) as part:
        return part.read(16).startswith(PROGRAM_STARTS)


def check_content(extension, stream, policy, upload_name, depth=0):
    """Raise MaterialRefused unless what is inside the (already type-checked) file is safe. Rewinds `stream`."""
    try:
        if extension == "zip" or extension in PACKAGE_TYPES:
            if depth > MAX_NESTING:
                _refuse("zip_too_deep", upload_name, str(MAX_NESTING))
            stream.seek(0)
            if extension == "zip":
                _check_zip(stream, policy, upload_name, depth)
            else:
                with zipfile.ZipFile(stream) as archive:
                    _check_package(archive, _check_directory(archive, upload_name, policy.max_bytes), policy,
                                   upload_name, depth)
        elif extension in OLE2_STREAM and OLE2_MACRO_STREAMS & ole2_stream_names(stream):
            _refuse("macros", upload_name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        if isinstance(error, MaterialRefused):
            raise
        _refuse("content_mismatch", upload_name)
    finally:
        stream.seek(0)
