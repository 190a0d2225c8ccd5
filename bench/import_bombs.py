"""Time and peak memory of refusing an import bomb, against a normal import of 5,000 participants.

    python bench/import_bombs.py

Each case runs in a child process of its own, so that its peak resident memory (VmHWM) is its own:
the figure printed is the growth of the peak over the RSS just before read_participant_rows() is
called with the file already in memory. Cases:
- normal: 5,000 participants, read completely (the baseline);
- normal, openpyxl alone: the same file read by openpyxl without the safety check;
- normal, check alone: the safety check (app/imports/xlsx_safety.py) without openpyxl: its cost;
- a 1 MB file holding one 1,000 MB shared string;
- a 1 MB file of 1,000,000 rows padded to column XFD;
- a sheet declaring A1:G1000000, and one whose only extra row is row 1,000,000.
"""
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
CASES = ("normal", "normal-openpyxl-only", "normal-check-only", "shared-string-1000mb", "padded-rows-1m",
         "dimension-1m", "row-1m")


def _rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _build(case):
    from tests import xlsx_bombs as bombs
    from tests.imports_support import people, xlsx

    if case.startswith("normal"):
        return xlsx(people(5000)).getvalue()
    if case == "shared-string-1000mb":
        return bombs.shared_string_bomb(1000)
    if case == "padded-rows-1m":
        return bombs.padded_rows(1_000_000, columns=2)
    if case == "dimension-1m":
        return bombs.padded_rows(3, dimension="A1:G1000000")
    return bombs.with_part(bombs.SHEET, bombs.sheet_xml(bombs.HEADER_ROW + '<row r="1000000"/>'))


def child(case, path):
    from openpyxl import load_workbook

    from app.imports.reader import UnreadableFile, read_participant_rows

    content = Path(path).read_bytes()  # built by the parent: building would leave freed memory to reuse
    stream = io.BytesIO(content)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before = _rss("VmRSS")
    started = time.perf_counter()
    if case == "normal-openpyxl-only":
        workbook = load_workbook(stream, read_only=True, data_only=True)
        outcome = f"{sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1} rows"
        workbook.close()
    elif case == "normal-check-only":
        from app.imports.xlsx_safety import check_workbook

        check_workbook(stream)
        outcome = "passed"
    else:
        try:
            outcome = f"{len(read_participant_rows(stream))} rows"
        except UnreadableFile as refusal:
            outcome = f"refused: {refusal.code}"
    elapsed = time.perf_counter() - started
    growth = _rss("VmHWM") - before
    print(f"{case}\t{len(content) / MB:.2f}\t{elapsed:.3f}\t{growth / MB:.1f}\t{outcome}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    print(f"{'case':<24}{'file MB':>9}{'seconds':>10}{'peak +MB':>10}  outcome")
    rows = {}
    for case in CASES:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            file.write(_build(case))
            file.flush()
            output = subprocess.run([sys.executable, __file__, "--child", case, file.name], capture_output=True,
                                    text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1]
        name, size, seconds, growth, outcome = output.split("\t")
        rows[name] = (float(seconds), float(growth))
        print(f"{name:<24}{size:>9}{seconds:>10}{growth:>10}  {outcome}")
    base_time, base_memory = rows["normal"]
    print(f"\nagainst the normal import of 5,000 ({base_time:.3f} s, +{base_memory:.1f} MB):")
    for name, (seconds, growth) in rows.items():
        if name != "normal":
            print(f"  {name:<24} time x{seconds / base_time:.2f}   memory x{growth / max(base_memory, 0.1):.2f}")


if __name__ == "__main__":
    main()
