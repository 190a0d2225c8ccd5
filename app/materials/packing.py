"""An agenda item's materials as one ZIP, written to a stream a file at a time."""
import re
import shutil
import zipfile

from app.materials.names import visible_name

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_file_name(text, fallback="materi", limit=150):
    """`text` usable as a file name on Windows, macOS and Android: no separators or reserved characters."""
    return _UNSAFE.sub("_", visible_name(text)).strip(" .")[:limit] or fallback


def zip_entry_names(materials):
    """One safe, distinct name per material, from its original name: 'a.pdf', 'a (2).pdf' …"""
    taken, names = set(), []
    for material in materials:
        name = safe_file_name(material.original_name, f"materi-{material.id}", limit=255)
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        candidate, n = name, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem} ({n}){dot}{extension}"
        taken.add(candidate.lower())
        names.append(candidate)
    return names


def write_materials_zip(materials, storage, out):
    """Write the materials' files into a ZIP on the seekable binary stream `out`.

    Files are copied in chunks and stored without recompression (PDFs, Office files
    and images are compressed already), so memory stays flat whatever their size.
    """
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for material, name in zip(materials, zip_entry_names(materials), strict=True):
            info = zipfile.ZipInfo(name, date_time=material.updated_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = material.size
            with storage.open(material.stored_name) as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
