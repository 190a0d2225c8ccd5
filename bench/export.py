"""How fast, and in how much memory, the attendance workbook is written.

For 1,000, 10,000 and 100,000 registrations with two days of attendance, this
builds the full workbook (app.exports.workbook) from generated rows, and, in the
same run, writes the same cells with a bare write-only openpyxl loop (no styles,
no header block, no print set-up). Each build runs in a fresh Python process, so
the figures are the wall-clock seconds and the peak resident memory (ru_maxrss)
of that build alone, interpreter included; the ratio of the two times is printed.

The bar: the workbook takes at most 1.5x the bare loop's time, and its peak
memory at 100,000 is within 20% of that at 10,000.

    python bench/export.py                 # all three sizes, best of 3 runs each
    python bench/export.py 1000 5000       # chosen sizes
    REPEAT=1 python bench/export.py        # one run each
"""
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _server import exit_status  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from app.exports.sheets import AttendanceData, AttendeeRow, DaySheet, ParticipantRow, RekapRow  # noqa: E402
from app.exports.workbook import build_attendance_workbook  # noqa: E402

DAYS = (date(2022, 6, 13), date(2022, 6, 14))
OPDS = [f"Dinas Contoh Nomor {n}" for n in range(1, 81)]


def person(n):
    """A generated participant: 90% present on day 1, 80% on day 2."""
    times = tuple(
        datetime.combine(day, datetime.min.time()) + timedelta(hours=7, seconds=n % 5400)
        if n % 10 >= index + 1 else None
        for index, day in enumerate(DAYS)
    )
    return (
        f"Peserta Bimtek Nomor {n}, S.Kom.", f"{198001012005011000 + n}", "Analis Kebijakan Ahli Muda",
        "Penata (III/c)", OPDS[n % len(OPDS)], f"+62812{n:08d}", f"peserta{n}@serangkota.go.id", times,
    )


def day_rows(count, index):
    for n in range(count):
        name, nip, position, _rank, opd, phone, _email, times = person(n)
        yield AttendeeRow(name, nip, position, opd, phone, times[index])


def participant_rows(count):
    for n in range(count):
        name, nip, position, rank, opd, phone, email, times = person(n)
        yield ParticipantRow(name, nip, position, rank, opd, phone, email, False, times)


def rekap_rows(count):
    per_opd = count // len(OPDS)
    for opd in OPDS:
        yield RekapRow(opd, per_opd, per_opd, (per_opd * 9 // 10, per_opd * 8 // 10), per_opd * 8 // 10)


def build_full(count, path):
    data = AttendanceData(
        title="Bimtek Penyusunan Masterplan Kota Cerdas (Smart City) dan Quickwin Program Unggulan Tahap 1",
        organizer="Dinas Komunikasi dan Informatika Kota Serang",
        venue="Hotel Flamenggo, Serang",
        tz_label="WIB",
        days=[DaySheet(number, day, day_rows(count, number - 1)) for number, day in enumerate(DAYS, start=1)],
        rekap=rekap_rows(count),
        participants=participant_rows(count),
        show_phone=True,  # the same cells as build_bare (the daftar hadir leaves phones out by default)
    )
    with open(path, "wb") as stream:
        build_attendance_workbook(data, stream)


def build_bare(count, path):
    """The same cells, plain values, no formatting: the floor openpyxl itself sets."""
    wb = Workbook(write_only=True)
    for index in range(len(DAYS)):
        ws = wb.create_sheet(f"Hari {index + 1}")
        for number, row in enumerate(day_rows(count, index), start=1):
            ws.append([number, row.full_name, row.nip, row.position, row.organization, row.phone,
                       row.checked_in_at, f"{number}."])
    ws = wb.create_sheet("Rekap")
    for number, row in enumerate(rekap_rows(count), start=1):
        ws.append([number, row.organization, row.quota, row.registered, *row.present, row.present_all_days])
    ws = wb.create_sheet("Peserta")
    for number, row in enumerate(participant_rows(count), start=1):
        ws.append([number, row.full_name, row.nip, row.position, row.rank, row.organization, row.phone,
                   row.email, "Terdaftar", *row.checked_in_at])
    wb.save(path)


BUILDERS = {"workbook": build_full, "bare": build_bare}


def run_child(name, count, path):
    """In the child process: build once, print seconds and peak RSS in KiB."""
    started = time.perf_counter()
    BUILDERS[name](count, path)
    seconds = time.perf_counter() - started
    print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def measure(name, count, folder):
    path = os.path.join(folder, f"{name}-{count}.xlsx")
    output = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--child", name, str(count), path],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    size = os.path.getsize(path)
    os.remove(path)
    return float(output[0]), int(output[1]) * 1024, size


def best_of(name, count, folder, repeat):
    """The fastest of `repeat` runs (the least disturbed by whatever else the machine does), and the peak RSS."""
    runs = [measure(name, count, folder) for _ in range(repeat)]
    return min(run[0] for run in runs), max(run[1] for run in runs), runs[0][2]


def main(sizes, repeat=3):
    print(f"best of {repeat} runs each, every run in a fresh process")
    print(f"{'rows':>8} | {'workbook s':>10} {'bare s':>8} {'ratio':>6} | "
          f"{'workbook RSS MiB':>16} {'bare RSS MiB':>12} | {'file MiB':>8}")
    peaks = {}
    worst_ratio = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for count in sizes:
            full_s, full_peak, size = best_of("workbook", count, folder, repeat)
            bare_s, bare_peak, _ = best_of("bare", count, folder, repeat)
            ratio = full_s / bare_s
            worst_ratio = max(worst_ratio, ratio)
            peaks[count] = full_peak
            print(f"{count:>8} | {full_s:>10.2f} {bare_s:>8.2f} {ratio:>5.2f}x | "
                  f"{full_peak / 2**20:>16.1f} {bare_peak / 2**20:>12.1f} | {size / 2**20:>8.2f}")
    print(f"worst time ratio: {worst_ratio:.2f}x (bar: at most 1.50x)")
    missed = worst_ratio > 1.5
    if 10_000 in peaks and 100_000 in peaks:
        growth = peaks[100_000] / peaks[10_000]
        print(f"peak memory 100,000 / 10,000: {growth:.2f} (bar: at most 1.20)")
        missed = missed or growth > 1.2
    return exit_status(wrong=False, slow=missed)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        run_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        sys.exit(0)
    sys.exit(main([int(arg) for arg in sys.argv[1:]] or [1_000, 10_000, 100_000],
                  repeat=int(os.environ.get("REPEAT", "3"))))
