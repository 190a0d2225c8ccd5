"""Burst of sign-ups through the real registration form (CSRF and all) under gunicorn.

    python bench/registration_burst.py [--signups 2000] [--clients 32] [--quota 60]

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL is set (the
database must be empty: the bench migrates it and adds its own event). Every client
opens the form, then posts it, like a phone would. OPDs have a quota, and 32 OPDs ×
60 places are fewer than 2,000 sign-ups, so some are refused as "quota full": those
are expected answers, not errors. At the end the database must hold exactly the
accepted sign-ups, and no OPD more than its quota.
"""
import argparse
import http.client
import json
import os
import random
import re
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import (  # noqa: E402
    Client,
    bench_env,
    exit_status,
    gunicorn,
    percentile,
    run_python,
    run_threads,
)

SLUG = "bench-burst"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

SETUP = """
from datetime import date, timedelta
from app import create_app
from app.extensions import db
from app.tenants.services import create_tenant
from app.events.services import (
    SEED_DATA, create_event, read_organizations_csv, upsert_organizations, add_organizations_to_event,
)
import json
app = create_app()
with app.app_context():
    tenant, _ = create_tenant("bench", "Bench")
    event = create_event(tenant=tenant, slug="%(slug)s", title="Bench", organizer_name="Bench", venue="Bench",
                         dates=[date.today() + timedelta(days=30), date.today() + timedelta(days=31)],
                         default_quota=%(quota)d, status="open")
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), tenant)
    add_organizations_to_event(event, organizations)
    db.session.commit()
    print(json.dumps([o.id for o in organizations]))
"""

VERIFY = """
import json
from sqlalchemy import func
from app import create_app
from app.extensions import db
from app.models import Event, Registration
app = create_app()
with app.app_context():
    event = db.session.execute(db.select(Event).filter_by(slug="%(slug)s")).scalar_one()
    rows = db.session.execute(db.select(Registration.organization_id, func.count())
                              .where(Registration.event_id == event.id).group_by(Registration.organization_id)).all()
    tokens = db.session.execute(
        db.select(Registration.ticket_token).where(Registration.event_id == event.id)
    ).scalars().all()
    print(json.dumps({"per_opd": {str(k): v for k, v in rows}, "tokens": tokens}))
"""


def nip(n):
    """A NIP of the right structure (birth date, TMT CPNS, sex, serial), different for every n."""
    born = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{born:%Y%m%d}2005011{n % 999 + 1:03d}"


def sign_up(client, n, organization_id):
    status, _, page = client.request("GET", f"/e/{SLUG}/daftar")
    if status != 200:
        return "error", f"form {status}", None
    token = CSRF.search(page.decode()).group(1)
    form = {
        "csrf_token": token, "full_name": f"Peserta Bench {n}", "nip": nip(n),
        "position": "Analis", "rank": "Penata (III/c)", "organization": organization_id,
        "phone": f"0812{n:08d}", "email": f"bench{n}@example.go.id", "consent": "y",
    }
    status, location, page = client.request("POST", f"/e/{SLUG}/daftar", urlencode(form))
    if status == 303 and location and "/tiket/" in location:
        return "accepted", None, location.split("/tiket/")[1].split("?")[0]
    if status == 422 and "Kuota peserta untuk OPD ini sudah penuh" in page.decode():
        return "quota_full", None, None
    return "error", f"post {status}", None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signups", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--quota", type=int, default=60, help="places per OPD (32 OPDs)")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    # A burst from one venue comes from one address: the rate limit is not what is measured here.
    env = bench_env(os.environ.get("DATABASE_URL"), RATELIMIT_ENABLED="false")
    organization_ids = json.loads(run_python(SETUP % {"slug": SLUG, "quota": args.quota}, env, after_migrating=True))
    rng = random.Random(7)
    plan = [(n, rng.choice(organization_ids)) for n in range(1, args.signups + 1)]

    results, latencies, errors, lock = {}, [], [], threading.Lock()
    with gunicorn(env, workers=args.workers) as base:
        queue = iter(plan)

        def worker():
            client = Client(base)
            while True:
                with lock:
                    job = next(queue, None)
                if job is None:
                    return
                n, organization_id = job
                started = time.perf_counter()
                try:
                    outcome, error, token = sign_up(client, n, organization_id)
                except (OSError, http.client.HTTPException) as failure:
                    outcome, error, token = "error", repr(failure), None
                    client = Client(base)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    results[n] = (outcome, token)
                    if error:
                        errors.append(error)

        wall = run_threads(worker, args.clients)

    stored = json.loads(run_python(VERIFY % {"slug": SLUG}, env))
    accepted_tokens = {token for outcome, token in results.values() if outcome == "accepted"}
    accepted = len(accepted_tokens)
    refused = sum(1 for outcome, _ in results.values() if outcome == "quota_full")
    over_quota = {k: v for k, v in stored["per_opd"].items() if v > args.quota}
    lost = accepted_tokens - set(stored["tokens"])
    extra = set(stored["tokens"]) - accepted_tokens

    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"registration burst on {database}: {args.signups} sign-ups, {args.clients} clients, "
          f"{args.workers} gunicorn workers × 4 threads, quota {args.quota} × {len(organization_ids)} OPDs")
    print(f"  wall time          {wall:8.2f} s")
    print(f"  sign-ups/s         {args.signups / wall:8.1f}  (form GET + POST each)")
    print(f"  accepted/s         {accepted / wall:8.1f}")
    print(f"  latency p50        {percentile(latencies, 0.50) * 1000:8.1f} ms")
    print(f"  latency p99        {percentile(latencies, 0.99) * 1000:8.1f} ms")
    print(f"  accepted           {accepted:8d}")
    print(f"  refused, quota     {refused:8d}")
    print(f"  errors             {len(errors):8d}  {sorted(set(errors))[:5]}")
    print(f"  stored             {len(stored['tokens']):8d}  (lost {len(lost)}, unexpected {len(extra)})")
    print(f"  OPDs over quota    {len(over_quota):8d}")
    ok = not errors and not lost and not extra and not over_quota and accepted + refused == args.signups
    print("  verdict            " + ("OK: zero errors, zero lost sign-ups, no OPD over quota" if ok else "FAILED"))
    return exit_status(wrong=not ok)


if __name__ == "__main__":
    sys.exit(main())
