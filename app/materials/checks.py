"""Whether an uploaded file may be stored: its name, its type by content, its size."""
import re
import unicodedata
from dataclasses import dataclass

from app.materials.names import extension_of, visible_name
from app.materials.packages import check_content
from app.materials.refused import MaterialRefused
from app.materials.sniffing import TYPES, content_matches, looks_dangerous

MAX_NAME_LENGTH = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class UploadPolicy:
    """The extensions accepted (each checked by content) and the largest file, in bytes."""

    allowed: frozenset
    max_bytes: int

    @classmethod
    def from_config(cls, config):
        allowed = frozenset(ext for ext in config["ALLOWED_UPLOAD_TYPES"] if ext in TYPES)
        return cls(allowed=allowed, max_bytes=config["MAX_UPLOAD_MB"] * 1024 * 1024)

    @property
    def max_mb(self):
        return self.max_bytes // (1024 * 1024)

    def labels(self):
        """'PDF, DOCX, …' for messages and hints, each label once."""
        return ", ".join(dict.fromkeys(TYPES[ext].label for ext in sorted(self.allowed)))


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    extension: str
    mimetype: str
    size: int


def clean_file_name(raw):
    """The name as it may be shown and offered on download; refuses paths and control characters.

    Bidi controls and zero-width characters are dropped: 'evil\u202eexe.pdf' must not read as 'evilfdp.exe'.
    """
    name = visible_name(unicodedata.normalize("NFC", (raw or "").strip())).strip()
    if not name:
        raise MaterialRefused("name_missing", raw or "")
    if "/" in name or "\\" in name or _CONTROL.search(name) or name.strip(". ") == "":
        raise MaterialRefused("name_unsafe", raw)
    if len(name) > MAX_NAME_LENGTH:
        raise MaterialRefused("name_too_long", raw)
    return name


def stream_size(stream):
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def check_upload(raw_name, stream, policy):
    """A CheckedFile for an upload that may be stored, else MaterialRefused. Reads the stream, never stores it."""
    name = clean_file_name(raw_name)
    extension = extension_of(name)
    if extension not in policy.allowed:
        raise MaterialRefused("type_not_allowed", name)
    size = stream_size(stream)
    if size == 0:
        raise MaterialRefused("empty", name)
    if size > policy.max_bytes:
        raise MaterialRefused("too_large", name)
    if not content_matches(extension, stream):
        stream.seek(0)
        code = "dangerous" if looks_dangerous(stream.read(4096)) else "content_mismatch"
        stream.seek(0)
        raise MaterialRefused(code, name)
    check_content(extension, stream, policy, name)
    return CheckedFile(name, extension, TYPES[extension].mimetype, size)
