"""Every bench script still runs against today's code, and comes to right results (tiny sizes).

The bench scripts build their data through the app's services and drive its pages, so a change of a
service's signature or of a page breaks them silently: nothing else runs them. Speed is the bench's
business, not a test's: a bar missed at these sizes (exit status BAR_MISSED) is fine; a traceback, a
crash or a wrong result (WRONG: an error answer, a lost or doubled row, say) is not.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench._server import BAR_MISSED, BARS_MET
from tests.databases import redis_url

ROOT = Path(__file__).resolve().parent.parent

RUNS = [
    ["certificates.py", "5"],
    ["checkin_load.py", "--registrations", "40", "--rounds", "1", "--workers", "1"],
    ["evaluation.py", "--responses", "20", "--clients", "2", "--workers", "1"],
    ["export.py", "50"],
    ["import_bombs.py", "--people", "200"],
    ["materials_zip.py", "2", "1"],
    ["messages.py"],
    ["opd_links.py", "--opds", "4", "--quota", "2", "--clients", "3", "--waiting", "10", "--workers", "1"],
    ["registration_burst.py", "--signups", "20", "--clients", "2", "--quota", "5", "--workers", "1"],
    ["station_offline.py", "--sizes", "30", "--queued", "10"],
    ["two_hosts.py", "--registrations", "20", "--clients", "2", "--workers", "1"],
]


def test_every_bench_script_is_listed_here():
    scripts = {path.name for path in (ROOT / "bench").glob("*.py") if not path.name.startswith("_")}
    assert scripts == {run[0] for run in RUNS}


@pytest.mark.parametrize("run", RUNS, ids=[run[0] for run in RUNS])
def test_the_bench_script_runs_to_its_figures(run):
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "TEST_DATABASE_URL", "HADIR_INSTANCE_DIR", "UPLOAD_FOLDER")}
    # Not tmp_path: under xdist it is long enough (…/popen-gw1/test_the_bench_script_runs_to_9/) that Chromium's
    # singleton socket in it passes the 108 bytes a Unix socket path may have.
    with tempfile.TemporaryDirectory(prefix="hadir-bench-") as scratch:
        env.update(REPEAT="1", N="20", TMPDIR=scratch, REDIS_URL=redis_url())  # two_hosts.py empties its Redis
        result = subprocess.run([sys.executable, str(ROOT / "bench" / run[0]), *run[1:]], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    assert result.returncode in (BARS_MET, BAR_MISSED), output[-3000:]
    assert result.stdout.strip(), output[-3000:]
