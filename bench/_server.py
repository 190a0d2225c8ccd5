"""Shared by the bench scripts: a gunicorn of this app on a free port, with its own database."""
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

# How every bench script ends, so that tests/test_bench_scripts.py tells a run that is only slow at its tiny
# sizes from a wrong one: 0 every bar met; 3 a speed, memory or size bar missed (the figures say which); 4 a
# wrong result (an error answer, a lost, doubled or unexpected row or message, an OPD over its quota). 1 is
# Python's own status for a crash or a sys.exit("…") that gives up, 2 argparse's for a bad argument.
BARS_MET, BAR_MISSED, WRONG = 0, 3, 4


def exit_status(*, wrong, slow=False):
    """The exit status of a run: WRONG before BAR_MISSED."""
    return WRONG if wrong else BAR_MISSED if slow else BARS_MET


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(database_url=None, **extra):
    """Environment for the app under test: production settings, its own SQLite file unless a URL is given."""
    workdir = Path(tempfile.mkdtemp(prefix="hadir-bench-"))
    env = dict(os.environ)
    env.update(
        HADIR_ENV="production",
        SECRET_KEY="bench-secret",
        SESSION_COOKIE_SECURE="false",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite'}",
        UPLOAD_FOLDER=str(workdir / "uploads"),
        HADIR_INSTANCE_DIR=str(workdir),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


# Brings the database to the migrations' head (as `flask db upgrade` does) before a snippet, in its process.
UPGRADE = """
from app import create_app as _create_app
from flask_migrate import upgrade as _upgrade
with _create_app().app_context():
    _upgrade()
"""


def run_python(code, env, *, after_migrating=False):
    """Run a snippet with the app importable and the bench's environment; returns its stdout. With
    `after_migrating`, the database is first brought to the migrations' head in the same process (one
    import of the app, not two: at the smoke tests' sizes the imports are most of a bench's time)."""
    script = UPGRADE + code if after_migrating else code
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"setup failed:\n{result.stderr}")
    return result.stdout


SERVER_PIDS = {}  # base URL → the gunicorn master's pid, for process_tree_cpu_seconds()


def process_tree_cpu_seconds(pid):
    """CPU time (user + system) spent so far by process `pid` and its children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, …; utime and stime are fields 14 and 15 of stat(5).
        if int(entry) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


@contextmanager
def gunicorn(env, workers=4, threads=4, worker_class="gthread"):
    """Serve the app under gunicorn until the block ends; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--worker-class", worker_class, "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--backlog", "2048", "wsgi:app"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    SERVER_PIDS[base] = process.pid
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    sys.exit("gunicorn exited during start-up")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def run_threads(target, count):
    """Run `count` threads of `target` to the end; returns the wall time in seconds."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class Client:
    """One phone: a keep-alive connection and its own session cookie."""

    def __init__(self, base):
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.cookie = None

    def request(self, method, path, body=None):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location"), data


def postgres_database(server_url):
    """A fresh database on the PostgreSQL server `server_url` names; returns (its URL, a function that drops it)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url).set(drivername="postgresql")
    name = f"hadir_bench_{uuid.uuid4().hex[:8]}"
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.set(database=name).render_as_string(hide_password=False), drop
