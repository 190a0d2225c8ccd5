"""How a material is described on pages: 'PDF · 1,2 MB' in Indonesian, 'PDF · 1.2 MB' in English."""
from babel.numbers import format_decimal
from flask_babel import get_locale

from app.materials.sniffing import TYPES


def file_size(size):
    """A byte count for people, with the locale's decimal mark: '830 KB', '1,2 MB'."""
    locale = str(get_locale() or "id")
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= scale:
            return f"{format_decimal(size / scale, '#,##0.#', locale=locale)} {unit}"
    return f"{size} B"


def file_kind(material):
    """The short type label of a material: PDF, DOCX, JPG …"""
    extension = material.original_name.rpartition(".")[2].lower()
    found = TYPES.get(extension)
    return found.label if found else extension.upper()
