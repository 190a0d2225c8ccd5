"""Time and peak memory of refusing an import bomb, against a normal import of 5,000 participants.

    python bench/import_bombs.py [--people 5000]

Each case runs in a child process of its own, so that its peak resident memory (VmHWM) is its own:
the figure printed is the growth of the peak over the RSS just before read_participant_rows() is
called with the file already in memory. The children are forked by multiprocessing's fork server,
which imports the app's reader once and builds nothing: a child starts with no memory freed by
building a file (which the read could reuse), and without importing the app again. Cases:
- normal: 5,000 participants (--people), read completely (the baseline);
- normal, openpyxl alone: the same file read by openpyxl without the safety check;
- normal, check alone: the safety check (app/imports/xlsx_safety.py) without openpyxl: its cost;
- a 1 MB file holding one 1,000 MB shared string;
- a 1 MB file of 1,000,000 rows padded to column XFD;
- a sheet declaring A1:G1000000, and one whose only extra row is row 1,000,000.
"""
import argparse
import gc
import io
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _server import exit_status  # noqa: E402

MB = 1024 * 1024
CASES = ("normal", "normal-openpyxl-only", "normal-check-only", "shared-string-1000mb", "padded-rows-1m",
         "dimension-1m", "row-1m")


def _rss(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _build(case, count):
    from tests import xlsx_bombs as bombs
    from tests.imports_support import people, xlsx

    if case.startswith("normal"):
        return xlsx(people(count)).getvalue()
    if case == "shared-string-1000mb":
        return bombs.shared_string_bomb(1000)
    if case == "padded-rows-1m":
        return bombs.padded_rows(1_000_000, columns=2)
    if case == "dimension-1m":
        return bombs.padded_rows(3, dimension="A1:G1000000")
    return bombs.with_part(bombs.SHEET, bombs.sheet_xml(bombs.HEADER_ROW + '<row r="1000000"/>'))


def _read(case, stream):
    """The case's read of `stream`: what it outcome is, as printed."""
    from openpyxl import load_workbook

    from app.imports.reader import UnreadableFile, read_participant_rows
    from app.imports.xlsx_safety import check_workbook

    if case == "normal-openpyxl-only":
        workbook = load_workbook(stream, read_only=True, data_only=True)
        outcome = f"{sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1} rows"
        workbook.close()
        return outcome
    if case == "normal-check-only":
        check_workbook(stream)
        return "passed"
    try:
        return f"{len(read_participant_rows(stream))} rows"
    except UnreadableFile as refusal:
        return f"refused: {refusal.code}"


def child(case, path, warm_up, answer):
    # A forked child maps the libraries' code without touching it: the same read of a file of five people
    # first, so that the figure is the read's memory, not the code it runs paged in for the first time.
    _read(case, io.BytesIO(Path(warm_up).read_bytes()))
    gc.collect()
    content = Path(path).read_bytes()  # built by the parent: building would leave freed memory to reuse
    stream = io.BytesIO(content)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before = _rss("VmRSS")
    started = time.perf_counter()
    outcome = _read(case, stream)
    elapsed = time.perf_counter() - started
    growth = _rss("VmHWM") - before
    answer.send(f"{case}\t{len(content) / MB:.2f}\t{elapsed:.3f}\t{growth / MB:.1f}\t{outcome}")


def _run(forks, case, people, warm_up):
    """One case in a child of the fork server; prints its line and returns {case: (seconds, growth)}."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(_build(case, people))
        file.flush()
        receive, answer = forks.Pipe(duplex=False)
        process = forks.Process(target=child, args=(case, file.name, warm_up, answer))
        process.start()
        answer.close()
        output = receive.recv()
        process.join()
    if process.exitcode != 0:
        sys.exit(f"the {case} case failed (exit code {process.exitcode})")
    name, size, seconds, growth, outcome = output.split("\t")
    print(f"{name:<24}{size:>9}{seconds:>10}{growth:>10}  {outcome}")
    return {name: (float(seconds), float(growth), outcome)}


def _expected(case, people):
    """What a case's read must come to: every row of a normal file, a refusal of every bomb."""
    if case == "normal-check-only":
        return "passed"
    return f"{people} rows" if case.startswith("normal") else "refused: "


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000, help="participants in the normal file (default 5000)")
    args = parser.parse_args()
    forks = multiprocessing.get_context("forkserver")
    forks.set_forkserver_preload(["app.imports.reader", "app.imports.xlsx_safety", "openpyxl"])
    print(f"{'case':<24}{'file MB':>9}{'seconds':>10}{'peak +MB':>10}  outcome")
    rows = {}
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as warm_up:
        warm_up.write(_build("normal", 5))
        warm_up.flush()
        for case in CASES:
            rows.update(_run(forks, case, args.people, warm_up.name))
    base_time, base_memory, _outcome = rows["normal"]
    print(f"\nagainst the normal import of {args.people:,} ({base_time:.3f} s, +{base_memory:.1f} MB):")
    for name, (seconds, growth, _outcome) in rows.items():
        if name != "normal":
            print(f"  {name:<24} time x{seconds / base_time:.2f}   memory x{growth / max(base_memory, 0.1):.2f}")
    unexpected = [name for name, (_s, _g, outcome) in rows.items()
                  if not outcome.startswith(_expected(name, args.people))]
    print("verdict: " + (f"WRONG: {', '.join(unexpected)} not as expected" if unexpected else
                         "OK: every row of the normal file read, every bomb refused"))
    return exit_status(wrong=bool(unexpected))


if __name__ == "__main__":
    sys.exit(main())
