"""Check-in load through POST /api/v1/checkins under gunicorn, against a trivial endpoint of the same server.

    python bench/checkin_load.py [--registrations 2000] [--clients 8] [--workers 2] [--worker-class sync]
                                 [--threads 1] [--rounds 5] [--profile]

SQLite in a temporary folder always; with DATABASE_URL naming a PostgreSQL server, PostgreSQL
too, in the same run (a database of the bench's own there, dropped at the end), each against
the /healthz of its own server, so that the two ratios are measured on the same loaded machine
within minutes of each other.

Every registration is checked in once (all 201 checked_in), then again (all 200
already_checked_in), by C concurrent clients with bearer tokens, each request naming
the event like the station does and leaving the day to default to today in the
event's time zone. The same server's GET /healthz (no database) is measured in the
same run as the baseline, interleaved with each pass: the pass is sent in R slices
(--rounds, default 5), each after a slice of as many /healthz requests, so that a machine
whose speed drifts during the run (a shared VM does, by a third within a minute) weighs
on the pass and on its baseline alike. A pass's ratio is its requests/s over the
requests/s of the /healthz slices sent between its own. The run fails unless there are zero errors, every
registration has exactly one attendance row for the day, and first check-ins and repeats reach at
least the bar × the baseline's requests/s: 0.5 on SQLite, 0.4 on PostgreSQL (whose server shares the
cores with gunicorn). Gunicorn runs 2 sync workers by default (the deployment docs/pemasangan.md
describes), with production settings (the rate limiter on, counting in memory). Next to each
pass it prints the CPU time the gunicorn processes and this client spent per request (from
/proc), which tells the server's cost apart from waiting. --profile adds a cProfile of check-ins in-process.
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import (  # noqa: E402
    BARS_MET,
    SERVER_PIDS,
    bench_env,
    exit_status,
    gunicorn,
    percentile,
    process_tree_cpu_seconds,
    run_python,
    run_threads,
)

SLUG = "bench-checkin"
# Check-ins' requests/s over /healthz's beside them, per database.
BARS = {"SQLite": 0.5, "PostgreSQL": 0.4}
OPERATOR = "bench-meja@example.go.id"

SETUP = """
import json
from app import create_app
from app.auth.services import create_user, issue_api_token
from app.tenants.operators import assign_operator
from app.checkin.services import today_in
from app.events.services import (
    SEED_DATA, add_organizations_to_event, create_event, read_organizations_csv, upsert_organizations,
)
from app.extensions import db
from app.tenants.services import create_tenant
from app.models import Event, Registration
from zoneinfo import ZoneInfo

class Jakarta:
    tz = ZoneInfo("Asia/Jakarta")

app = create_app()
with app.app_context():
    today = today_in(Jakarta)
    tenant, _ = create_tenant("bench", "Bench")
    event = create_event(tenant=tenant, slug="%(slug)s", title="Bench", organizer_name="Bench", venue="Bench",
                         dates=[today], status="open")
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), tenant)
    add_organizations_to_event(event, organizations)
    people = [
        Registration(event_id=event.id, organization_id=organizations[n %% len(organizations)].id,
                     full_name=f"Peserta Bench {n}", nip=f"{198001010000000000 + n}", position="Analis",
                     phone=f"+62812{n:08d}", email=f"bench{n}@example.go.id")
        for n in range(%(registrations)d)
    ]
    db.session.add_all(people)
    operator = create_user("%(operator)s", "bench-password-123", "operator")
    assign_operator(operator, event)
    secret = issue_api_token(operator, "bench")
    db.session.commit()
    print(json.dumps({"day": today.isoformat(), "api_token": secret, "tokens": [p.ticket_token for p in people]}))
"""

VERIFY = """
import json
from sqlalchemy import func
from app import create_app
from app.extensions import db
from app.models import Attendance, Event, EventDay, Registration
app = create_app()
with app.app_context():
    event = db.session.execute(db.select(Event).filter_by(slug="%(slug)s")).scalar_one()
    day = db.session.execute(db.select(EventDay).filter_by(event_id=event.id)).scalar_one()
    per_registration = dict(db.session.execute(
        db.select(Registration.id, func.count(Attendance.id))
        .outerjoin(Attendance, (Attendance.registration_id == Registration.id) & (Attendance.event_day_id == day.id))
        .where(Registration.event_id == event.id).group_by(Registration.id)).all())
    print(json.dumps({"registrations": len(per_registration),
                      "exactly_one": sum(1 for n in per_registration.values() if n == 1),
                      "attendances": sum(per_registration.values())}))
"""

PROFILE = """
import cProfile, io, json, pstats
from app import create_app
from app.extensions import db
from app.models import Event, Registration
app = create_app()
with app.app_context():
    event = db.session.execute(db.select(Event).filter_by(slug="%(slug)s")).scalar_one()
    organization_id = db.session.execute(db.select(Registration.organization_id).limit(1)).scalar_one()
    people = [Registration(event_id=event.id, organization_id=organization_id, full_name=f"Profil {n}",
                           position="Analis", phone=f"+62813{n:08d}", email=f"profil{n}@example.go.id")
              for n in range(%(count)d)]
    db.session.add_all(people)
    db.session.commit()
    tokens = [p.ticket_token for p in people]
client = app.test_client()
headers = {"Authorization": "Bearer %(api_token)s"}
profile = cProfile.Profile()
profile.enable()
for token in tokens:
    response = client.post("/api/v1/checkins", json={"token": token, "event": "%(slug)s", "device": "profil"},
                           headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
profile.disable()
out = io.StringIO()
shown = r"app/|sqlalchemy/engine/base|sqlite3|psycopg/cursor|werkzeug/security|flask_login|flask/app"
pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(shown, 28)
print(out.getvalue())
"""

FSYNC_PROBE = """
import os, time, psycopg
from sqlalchemy.engine import make_url
url = make_url(os.environ["DATABASE_URL"]).set(drivername="postgresql").render_as_string(hide_password=False)
with psycopg.connect(url) as connection:
    setting = connection.execute("SHOW synchronous_commit").fetchone()[0]
    connection.execute("CREATE TABLE bench_probe (n integer)")  # not TEMPORARY: those commit without the disk
    connection.commit()
    started = time.perf_counter()
    for n in range(200):
        connection.execute("INSERT INTO bench_probe VALUES (%s)", (n,))
        connection.commit()
    elapsed = time.perf_counter() - started
    connection.execute("DROP TABLE bench_probe")
    connection.commit()
    print(f"one INSERT and COMMIT at a time on this server: {elapsed / 200 * 1e6:.0f} µs "
          f"(synchronous_commit {setting}; with 2 sync workers, at most 2 commits wait for the disk at once)")
"""


class Client:
    """One desk: a keep-alive connection to the server."""

    def __init__(self, base, headers):
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.headers = headers

    def request(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        return response.status, data


def run_pass(base, headers, jobs, clients):
    """Send every job (method, path, body, expected status) with `clients` threads; returns figures."""
    queue, lock = iter(jobs), threading.Lock()
    latencies, errors = [], []

    def desk():
        client = Client(base, headers)
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            method, path, body, expected = job
            started = time.perf_counter()
            try:
                status, data = client.request(method, path, body)
                error = None if status == expected else f"{status} {data[:80]!r}"
            except (OSError, http.client.HTTPException) as failure:
                error = repr(failure)
                client = Client(base, headers)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if error:
                    errors.append(error)

    server_cpu, client_cpu = process_tree_cpu_seconds(SERVER_PIDS[base]), time.process_time()
    wall = run_threads(desk, clients)
    server_cpu = process_tree_cpu_seconds(SERVER_PIDS[base]) - server_cpu
    client_cpu = time.process_time() - client_cpu
    return {"rps": len(jobs) / wall, "p50": percentile(latencies, 0.5) * 1000,
            "p99": percentile(latencies, 0.99) * 1000, "errors": errors, "n": len(jobs), "latencies": latencies,
            "server_us": server_cpu / len(jobs) * 1e6, "client_us": client_cpu / len(jobs) * 1e6}


def combine(slices):
    """One pass's figures from its slices: requests over the time they took together."""
    n = sum(figures["n"] for figures in slices)
    seconds = sum(figures["n"] / figures["rps"] for figures in slices)
    latencies = [latency for figures in slices for latency in figures["latencies"]]
    return {"rps": n / seconds, "p50": percentile(latencies, 0.5) * 1000, "p99": percentile(latencies, 0.99) * 1000,
            "errors": [error for figures in slices for error in figures["errors"]], "n": n, "latencies": latencies,
            "server_us": sum(figures["server_us"] * figures["n"] for figures in slices) / n,
            "client_us": sum(figures["client_us"] * figures["n"] for figures in slices) / n}


def interleaved(base, headers, jobs, rounds, clients):
    """(the pass, its /healthz baseline): `jobs` in `rounds` slices, each after as many /healthz requests."""
    size = -(-len(jobs) // rounds)
    passes, baselines = [], []
    for start in range(0, len(jobs), size):
        chunk = jobs[start:start + size]
        baselines.append(run_pass(base, {}, [("GET", "/healthz", None, 200)] * len(chunk), clients))
        passes.append(run_pass(base, headers, chunk, clients))
    return combine(passes), combine(baselines)


def _postgres_database(server_url, settings=None):
    """A fresh database on the server `server_url` names, with `settings` (ALTER DATABASE … SET);
    returns (its URL, a function that drops it)."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server_url).set(drivername="postgresql")
    name = f"hadir_bench_{uuid.uuid4().hex[:8]}"
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        for setting, value in (settings or {}).items():
            connection.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')

    def drop():
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.set(database=name).render_as_string(hide_password=False), drop


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", "-n", type=int, default=2000)
    parser.add_argument("--clients", "-c", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread only)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="slices each pass is sent in, each after as many /healthz requests")
    parser.add_argument("--profile", action="store_true", help="also profile check-ins in-process (cProfile)")
    parser.add_argument("--without-fsync-wait", action="store_true",
                        help="PostgreSQL once more, on a database set to synchronous_commit = off: what waiting "
                             "for the disk at each commit costs (not a recommendation; see docs/pemasangan.md)")
    args = parser.parse_args()

    verdicts = {"SQLite": bench(args, bench_env(None))}
    server_url = os.environ.get("DATABASE_URL")
    if server_url:
        database_url, drop = _postgres_database(server_url)
        try:
            verdicts["PostgreSQL"] = bench(args, bench_env(database_url))
        finally:
            drop()
        if args.without_fsync_wait:
            database_url, drop = _postgres_database(server_url, {"synchronous_commit": "off"})
            try:
                verdicts["PostgreSQL, synchronous_commit off"] = bench(args, bench_env(database_url))
            finally:
                drop()
    print("summary: " + "; ".join(f"{name} first scans {first:.2f}, repeats {repeat:.2f} × /healthz "
                                  f"(bar {BARS[name.split(',')[0]]:.2f}) {'OK' if status == BARS_MET else 'FAILED'}"
                                  for name, (status, first, repeat) in verdicts.items())
          + f"; load average {os.getloadavg()[0]:.1f}")
    return max(status for status, _first, _repeat in verdicts.values())


def bench(args, env):
    data = json.loads(run_python(SETUP % {"slug": SLUG, "registrations": args.registrations,
                                          "operator": OPERATOR}, env, after_migrating=True))
    headers = {"Authorization": f"Bearer {data['api_token']}"}

    def check_ins(expected):
        return [("POST", "/api/v1/checkins", {"token": token, "event": SLUG, "device": "bench"}, expected)
                for token in data["tokens"]]

    with gunicorn(env, workers=args.workers, threads=args.threads, worker_class=args.worker_class) as base:
        # Warm every worker and its connection pool before measuring.
        run_pass(base, headers, [("GET", f"/api/v1/events/{SLUG}/counts", None, 200)] * 200, args.clients)
        run_pass(base, {}, [("GET", "/healthz", None, 200)] * 500, args.clients)
        first, first_baseline = interleaved(base, headers, check_ins(201), args.rounds, args.clients)
        repeat, repeat_baseline = interleaved(base, headers, check_ins(200), args.rounds, args.clients)
    baseline = combine([first_baseline, repeat_baseline])

    stored = json.loads(run_python(VERIFY % {"slug": SLUG}, env))
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    if database == "PostgreSQL":
        fsync = run_python(FSYNC_PROBE, env).strip()
        print(f"  {fsync}")
    print(f"check-in load on {database}: {args.registrations} registrations, {args.clients} clients, "
          f"gunicorn {args.workers} {args.worker_class} workers × {args.threads} threads, "
          f"day {data['day']} by default, each pass in {args.rounds} slices interleaved with /healthz")
    print(f"  {'':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>7}"
          f" {'server CPU µs/req':>18} {'client CPU µs/req':>18}")
    for label, figures, against in (
        ("GET /healthz (all slices)", baseline, baseline),
        ("  /healthz beside the first pass", first_baseline, first_baseline),
        ("check-in, first (201)", first, first_baseline),
        ("  /healthz beside the repeats", repeat_baseline, repeat_baseline),
        ("check-in, repeat (200)", repeat, repeat_baseline),
    ):
        ratio = figures["rps"] / against["rps"]
        print(f"  {label:34} {figures['rps']:8.1f} {figures['p50']:8.1f} {figures['p99']:8.1f} "
              f"{len(figures['errors']):7d} {ratio:7.2f} {figures['server_us']:18.0f} {figures['client_us']:18.0f}")
    errors = baseline["errors"] + first["errors"] + repeat["errors"]
    if errors:
        print(f"  first errors: {sorted(set(errors))[:5]}")
    print(f"  attendance rows: {stored['attendances']} for {stored['registrations']} registrations, "
          f"{stored['exactly_one']} with exactly one")
    first_ratio, repeat_ratio = first["rps"] / first_baseline["rps"], repeat["rps"] / repeat_baseline["rps"]
    bar = BARS[database]
    right = (not errors and stored["registrations"] == args.registrations
             and stored["exactly_one"] == stored["attendances"] == args.registrations)
    ok = right and min(first_ratio, repeat_ratio) >= bar
    print(f"  verdict: {'OK' if ok else 'FAILED'} (zero errors, one row each, check-ins at "
          f"{min(first_ratio, repeat_ratio):.2f} × the trivial endpoint's req/s beside them; the bar is {bar:.2f}); "
          f"load average {os.getloadavg()[0]:.1f}")
    if args.profile:
        print(run_python(PROFILE % {"slug": SLUG, "count": 300, "api_token": data["api_token"]}, env))
    return exit_status(wrong=not right, slow=not ok), first_ratio, repeat_ratio


if __name__ == "__main__":
    sys.exit(main())
