"""Two app hosts, one truth, measured: scans sent to two gunicorn servers in turn, on one PostgreSQL,
Redis (rate limits, RQ), moto's S3 and an SMTP server (bench/_cluster.py, the cluster the test
tests/test_two_hosts.py runs).

    python bench/two_hosts.py [--registrations 1000] [--clients 8] [--workers 2]

PostgreSQL: the server DATABASE_URL names (default postgresql://postgres@127.0.0.1:5432/postgres);
a database is created and dropped. Redis: REDIS_URL (default redis://127.0.0.1:6379/9, emptied before
and after). Prints the scans per second across both hosts against /healthz on both hosts in the same
run (the ratio is what compares across machines), whether every ticket has exactly one attendance,
and the time a material uploaded on host A takes to download from host B (through the object store).
"""
import argparse
import http.client
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cluster import SLUG, Browser, two_hosts  # noqa: E402
from _server import exit_status, percentile, run_python, run_threads  # noqa: E402

from tests.materials_support import pdf  # noqa: E402

PEOPLE = """
import json
from app import create_app
from app.extensions import db
from app.models import Event, Registration
app = create_app()
with app.app_context():
    event = db.session.execute(db.select(Event).filter_by(slug="%(slug)s")).scalar_one()
    organization_id = %(organization)d
    people = [Registration(event_id=event.id, organization_id=organization_id, full_name=f"Peserta {n}",
                           nip=f"{199001010000000000 + n}", position="Analis", phone=f"+62813{n:08d}",
                           email=f"muat{n}@example.go.id") for n in range(%(count)d)]
    db.session.add_all(people)
    db.session.commit()
    print(json.dumps([p.ticket_token for p in people]))
"""

COUNT = """
from sqlalchemy import func
from app import create_app
from app.extensions import db
from app.models import Attendance
app = create_app()
with app.app_context():
    rows = db.session.execute(db.select(Attendance.registration_id, func.count()).group_by(Attendance.registration_id))
    counts = [n for _, n in rows]
    print(len(counts), max(counts, default=0))
"""


class Desk:
    """A keep-alive connection to one host."""

    def __init__(self, base, headers):
        url = urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        self.headers = headers

    def request(self, method, path, body=None):
        self.connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                headers=self.headers)
        response = self.connection.getresponse()
        response.read()
        return response.status


def run_pass(hosts, headers, jobs, clients):
    """Send `jobs` [(method, path, body, expected statuses)] from `clients` threads, each client
    alternating between the hosts; returns (wall seconds, latencies, errors)."""
    queue, lock, latencies, errors = iter(enumerate(jobs)), threading.Lock(), [], []

    def client():
        desks = [Desk(host, headers) for host in hosts]
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            n, (method, path, body, expected) = job
            started = time.perf_counter()
            try:
                status = desks[n % len(desks)].request(method, path, body)
            except (OSError, http.client.HTTPException) as failure:
                status = repr(failure)
                desks = [Desk(host, headers) for host in hosts]
            with lock:
                latencies.append(time.perf_counter() - started)
                if status not in expected:
                    errors.append(status)

    wall = run_threads(client, clients)
    return wall, latencies, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registrations", "-n", type=int, default=1000)
    parser.add_argument("--clients", "-c", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per host")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's server logs every request
    server_url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")

    with two_hosts(server_url, redis_url, workers=args.workers, threads=1, worker_class="sync") as cluster:
        tokens = json.loads(run_python(PEOPLE % {"slug": SLUG, "count": args.registrations,
                                                 "organization": cluster.setup["organization"]}, cluster.env))
        hosts = [cluster.a, cluster.b]
        health = run_pass(hosts, {}, [("GET", "/healthz", None, (200,))] * len(tokens), args.clients)
        scans = run_pass(hosts, cluster.api_headers,
                         [("POST", "/api/v1/checkins", {"token": t}, (201,)) for t in tokens], args.clients)
        again = run_pass(hosts, cluster.api_headers,
                         [("POST", "/api/v1/checkins", {"token": t}, (200,)) for t in reversed(tokens)], args.clients)
        registrations, most = map(int, run_python(COUNT, cluster.env).split())

        admin = cluster.admin(cluster.a)
        content = pdf(os.urandom(5 * 1024 * 1024 // 2).hex().encode())  # a 5 MB PDF
        status, headers, _page = admin.post_files(cluster.a, f"/admin/acara/{SLUG}/materi", {"visibility": "public"},
                                                  [("files", "Paparan.pdf", content)])
        material = headers.get("Location", "#materi-0").split("#materi-")[1] if status == 303 else None
        started = time.perf_counter()
        download = Browser().get(cluster.b, f"/e/{SLUG}/materi/{material}") if material else (status, {}, b"")
        download_seconds = time.perf_counter() - started

    def rate(result):
        return len(tokens) / result[0]

    errors = health[2] + scans[2] + again[2]
    print(f"two hosts on PostgreSQL, Redis, RQ and S3 (moto): {len(tokens)} tickets, {args.clients} clients, "
          f"{args.workers} sync gunicorn workers per host, requests alternating between the hosts")
    print(f"  /healthz on both          {rate(health):8.1f} req/s  p50 {percentile(health[1], .5) * 1000:6.1f} ms")
    print(f"  first scans               {rate(scans):8.1f} req/s  p50 {percentile(scans[1], .5) * 1000:6.1f} ms"
          f"  ({rate(scans) / rate(health):.2f} of /healthz)")
    print(f"  repeat scans              {rate(again):8.1f} req/s  p50 {percentile(again[1], .5) * 1000:6.1f} ms"
          f"  ({rate(again) / rate(health):.2f} of /healthz)")
    print(f"  errors                    {len(errors):8d}  {sorted(set(map(str, errors)))[:5]}")
    print(f"  attendances               {registrations:8d} tickets, at most {most} each (want {len(tokens)}, 1)")
    ok_download = download[0] == 200 and download[2] == content
    print(f"  5 MB material A → B       {download_seconds * 1000:8.1f} ms  (status {download[0]})")
    good = not errors and registrations == len(tokens) and most == 1 and ok_download
    print("  verdict                  ", "OK" if good else "FAILED")
    return exit_status(wrong=not good)


if __name__ == "__main__":
    sys.exit(main())
