"""How much memory a session's ZIP and an upload check take, against holding the files in memory.

    python bench/materials_zip.py [FILES] [MB_EACH]

Builds FILES stored files of MB_EACH megabytes, then measures with tracemalloc:
- the ZIP written by write_materials_zip into a temporary file (what the route does),
- the naive baseline: every file read into memory and zipped into a BytesIO,
- check_upload on one file (content sniffing reads the head and the ZIP/OLE2 directory only),
and prints the peaks and their ratio to the bytes involved.
"""
import io
import sys
import tempfile
import time
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.materials.checks import UploadPolicy, check_upload  # noqa: E402
from app.materials.packing import write_materials_zip  # noqa: E402
from app.materials.sniffing import TYPES  # noqa: E402
from app.storage import LocalStorage  # noqa: E402

MB = 1024 * 1024


def measure(work):
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, peak, elapsed


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with tempfile.TemporaryDirectory() as folder:
        storage = LocalStorage(folder)
        chunk = b"%PDF-1.4\n" + bytes(range(256)) * (MB // 256)
        materials = []
        for i in range(count):
            payload = io.BytesIO(chunk[:MB] * size)
            materials.append(SimpleNamespace(
                id=i, original_name=f"Paparan {i}.pdf", stored_name=storage.save(payload), size=size * MB,
                updated_at=datetime(2022, 6, 13, tzinfo=UTC)))
        total = count * size * MB

        def streamed():
            with tempfile.TemporaryFile() as out:
                write_materials_zip(materials, storage, out)
                return out.tell()

        def in_memory():
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                for material in materials:
                    with storage.open(material.stored_name) as source:
                        archive.writestr(material.original_name, source.read())
            return out.tell()

        zip_size, streamed_peak, streamed_time = measure(streamed)
        _size, memory_peak, memory_time = measure(in_memory)
        policy = UploadPolicy(allowed=frozenset(TYPES), max_bytes=size * MB)
        with storage.open(materials[0].stored_name) as one:
            _checked, check_peak, check_time = measure(lambda: check_upload("a.pdf", one, policy))

    print(f"files: {count} × {size} MB = {total / MB:.0f} MB; zip {zip_size / MB:.1f} MB")
    print(f"zip streamed to a temp file: peak {streamed_peak / MB:.2f} MB in {streamed_time:.2f} s")
    print(f"zip held in memory (baseline): peak {memory_peak / MB:.2f} MB in {memory_time:.2f} s")
    print(f"memory ratio streamed/baseline: {streamed_peak / memory_peak:.4f}; "
          f"streamed peak per MB zipped: {streamed_peak / total * 1000:.3f} KB")
    print(f"check_upload of one {size} MB file: peak {check_peak / 1024:.1f} KB in {check_time * 1000:.2f} ms")


if __name__ == "__main__":
    main()
