"""OPD links and waiting lists under load, through the real pages (CSRF and all) under gunicorn.

    python bench/opd_links.py [--opds 50] [--quota 3] [--clients 16] [--waiting 200]

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL is set (an empty database).
Phase 1: every OPD's contact names its `quota` delegates through its own link, plus one too many, by
`clients` clients at once; beside it, in the same run, the same number of sign-ups through the public
registration form of a second event (the baseline for the time per submission).
Phase 2: `waiting` people join the OPDs' waiting lists while the OPDs take delegates off (one each) and
a worker process offers the freed seats, pass after pass.
At the end: no OPD over its quota (registrations plus seats on hold), no accepted submission lost, every
waiting-list offer made once (one offer message per offered entry).
"""
import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import (  # noqa: E402
    ROOT,
    Client,
    bench_env,
    exit_status,
    gunicorn,
    percentile,
    run_python,
    run_threads,
)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The link of an OPD, and the cancel button of each of its delegates.
CANCEL = re.compile(r'action="(/opd/[^"]+/\d+/batal)"')

SETUP = """
import json
from datetime import UTC, date, datetime
from app import create_app
from app.extensions import db
from app.tenants.services import create_tenant
from app.events.services import create_event, upsert_organizations, add_organizations_to_event
from app.delegates import services
app = create_app()
with app.app_context():
    tenant, _ = create_tenant("bench", "Bench")
    rows = [{"short_name": f"OPD{n}", "name": f"Dinas Bench {n:03d}", "kind": "dinas"} for n in range(%(opds)d)]
    organizations = upsert_organizations(rows, tenant)
    found = {}
    for slug in ("bench-opd", "bench-form"):
        event = create_event(tenant=tenant, slug=slug, title="Bench", organizer_name="Bench", venue="Bench",
                             dates=[date(2030, 6, 13), date(2030, 6, 14)], default_quota=%(quota)d,
                             registration_closes_at=datetime(2030, 6, 1, tzinfo=UTC), status="open")
        add_organizations_to_event(event, organizations)
        db.session.flush()
        found[slug] = event
    services.issue_links(found["bench-opd"])
    db.session.commit()
    links = services.links_of(found["bench-opd"])
    print(json.dumps([[o.id, links[o.id].token] for o in organizations]))
"""

OFFER_LOOP = """
import time
from app import create_app
from app.waitlist.services import offer_everywhere
app = create_app()
with app.app_context():
    deadline = time.monotonic() + %(seconds)f
    made = 0
    while time.monotonic() < deadline:
        made += offer_everywhere("http://bench")
        time.sleep(0.05)
    made += offer_everywhere("http://bench")
    print(made)
"""

VERIFY = """
import json
from sqlalchemy import func
from app import create_app
from app.extensions import db
from app.models import Event, EventOrganization, OutboxMessage, Registration
from app.models.waitlist import WaitlistEntry
app = create_app()
with app.app_context():
    event = db.session.execute(db.select(Event).filter_by(slug="bench-opd")).scalar_one()
    active = dict(db.session.execute(db.select(Registration.organization_id, func.count()).where(
        Registration.event_id == event.id, Registration.status == "registered").group_by(
        Registration.organization_id)).all())
    held = dict(db.session.execute(db.select(WaitlistEntry.organization_id, func.count()).where(
        WaitlistEntry.event_id == event.id, WaitlistEntry.status == "offered").group_by(
        WaitlistEntry.organization_id)).all())
    statuses = dict(db.session.execute(db.select(WaitlistEntry.status, func.count()).group_by(
        WaitlistEntry.status)).all())
    offers = db.session.execute(db.select(func.count()).select_from(OutboxMessage).filter_by(
        kind="waitlist_offer")).scalar_one()
    distinct_offers = db.session.execute(db.select(func.count(func.distinct(OutboxMessage.recipient))).filter_by(
        kind="waitlist_offer")).scalar_one()
    names = db.session.execute(db.select(Registration.full_name).where(Registration.event_id == event.id)).scalars()
    print(json.dumps({"active": {str(k): v for k, v in active.items()}, "held": {str(k): v for k, v in held.items()},
                      "statuses": statuses, "offers": offers, "distinct_offers": distinct_offers,
                      "names": sorted(names)}))
"""


def nip(n):
    born = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{born:%Y%m%d}2005011{n % 999 + 1:03d}"


def person(n, prefix):
    return {"full_name": f"{prefix} {n}", "nip": nip(n), "position": "Analis", "rank": "",
            "phone": f"0812{n:08d}", "email": f"{prefix.lower().replace(' ', '')}{n}@example.go.id"}


def post_form(client, page_path, post_path, data):
    status, _, page = client.request("GET", page_path)
    if status != 200:
        return status, None, b""
    found = CSRF.search(page.decode())
    if found is None:  # a page without a form (the waiting list when no OPD is full)
        return status, None, page
    return client.request("POST", post_path, urlencode({"csrf_token": found.group(1), **data}))


def run_jobs(base, jobs, clients, handle):
    """Run `jobs` through `clients` keep-alive clients; returns (wall, latencies, outcomes, errors)."""
    lock, queue = threading.Lock(), iter(jobs)
    latencies, outcomes, errors = [], [], []

    def worker():
        client = Client(base)
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            started = time.perf_counter()
            try:
                outcome = handle(client, job)
            except (OSError, http.client.HTTPException) as failure:
                outcome, client = f"error {failure!r}", Client(base)
            with lock:
                latencies.append(time.perf_counter() - started)
                (errors if outcome.startswith("error") else outcomes).append(outcome)

    return run_threads(worker, clients), latencies, outcomes, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--opds", type=int, default=50)
    parser.add_argument("--quota", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--waiting", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = bench_env(os.environ.get("DATABASE_URL"), RATELIMIT_ENABLED="false")
    links = json.loads(run_python(SETUP % {"opds": args.opds, "quota": args.quota}, env, after_migrating=True))
    per_opd = args.quota + 1  # one too many: refused, not lost
    opd_jobs = [(n, token) for n, (_id, token) in enumerate(
        (link for link in links for _ in range(per_opd)), start=1)]
    form_jobs = [(n + 100_000, organization_id) for n, (organization_id, _token) in enumerate(
        (link for link in links for _ in range(per_opd)), start=1)]

    def through_link(client, job):
        n, token = job
        status, location, page = post_form(client, f"/opd/{token}", f"/opd/{token}", person(n, "Delegasi"))
        if status == 303:
            return "accepted"
        if status == 422 and "sudah penuh" in page.decode():
            return "quota_full"
        return f"error link {status}"

    def through_form(client, job):
        n, organization_id = job
        status, _location, page = post_form(client, "/e/bench-form/daftar", "/e/bench-form/daftar",
                                            {**person(n, "Formulir"), "organization": organization_id, "consent": "y"})
        if status == 303:
            return "accepted"
        if status == 422 and "sudah penuh" in page.decode():
            return "quota_full"
        return f"error form {status}"

    with gunicorn(env, workers=args.workers) as base:
        form_wall, form_latencies, form_outcomes, form_errors = run_jobs(base, form_jobs, args.clients, through_form)
        link_wall, link_latencies, link_outcomes, link_errors = run_jobs(base, opd_jobs, args.clients, through_link)

        # Phase 2: people join the waiting lists while each OPD takes one delegate off and a worker offers.
        seconds = 5.0 if args.waiting >= 50 else 2.0
        offers = subprocess.Popen([sys.executable, "-c", OFFER_LOOP % {"seconds": seconds}], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, text=True)
        wait_jobs = [("join", n, links[n % len(links)][0]) for n in range(1, args.waiting + 1)]
        wait_jobs += [("cancel", None, token) for _id, token in links]
        wait_jobs.sort(key=lambda job: (job[1] or 0) % 7)  # cancels spread among the joins

        def waiting(client, job):
            kind, n, value = job
            if kind == "cancel":
                _status, _location, page = client.request("GET", f"/opd/{value}")
                found = CANCEL.findall(page.decode())
                if not found:
                    return "error no delegate to cancel"
                status, _location, page = post_form(client, f"/opd/{value}", found[0], {"confirmed": "yes"})
                return "cancelled" if status == 303 else f"error cancel {status}"
            status, _location, page = post_form(client, "/e/bench-opd/daftar-tunggu", "/e/bench-opd/daftar-tunggu",
                                                {**person(n + 200_000, "Menunggu"), "organization": value,
                                                 "consent": "y"})
            if status == 200 and "urutan ke-" in page.decode():
                return "waiting"
            if (status == 422 and "Pilih OPD" in page.decode()) or "masih punya tempat" in page.decode():
                return "has_room"  # its seat was free at that moment: the form, not the list
            return f"error wait {status}"

        wait_wall, _wait_latencies, wait_outcomes, wait_errors = run_jobs(base, wait_jobs, args.clients, waiting)
        made = int(offers.communicate(timeout=120)[0].strip() or 0)

    stored = json.loads(run_python(VERIFY, env))
    held = {k: stored["held"].get(k, 0) for k in stored["active"]}
    over = {k: v + held[k] for k, v in stored["active"].items() if v + held[k] > args.quota}
    accepted = link_outcomes.count("accepted")
    delegates = [name for name in stored["names"] if name.startswith("Delegasi")]
    offered_entries = sum(stored["statuses"].get(s, 0) for s in ("offered", "taken", "expired"))
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"OPD links on {database}: {args.opds} OPDs × quota {args.quota} (+1 refused each), {args.clients} "
          f"clients, {args.workers} gunicorn workers × 4 threads")
    print(f"  registration form  {len(form_jobs) / form_wall:8.1f} submissions/s   p50 "
          f"{percentile(form_latencies, 0.5) * 1000:7.1f} ms   (baseline: GET + POST each)")
    print(f"  OPD links          {len(opd_jobs) / link_wall:8.1f} submissions/s   p50 "
          f"{percentile(link_latencies, 0.5) * 1000:7.1f} ms   ratio to the form "
          f"{percentile(link_latencies, 0.5) / percentile(form_latencies, 0.5):5.2f}")
    print(f"  accepted / refused {accepted:5d} / {link_outcomes.count('quota_full'):5d}   stored {len(delegates)}")
    print(f"  waiting list       {wait_outcomes.count('waiting')} joined, {wait_outcomes.count('cancelled')} seats "
          f"freed, {made} offers made in {wait_wall:.1f} s")
    print(f"  offers             {offered_entries} entries offered, {stored['offers']} offer messages "
          f"({stored['distinct_offers']} recipients)")
    print(f"  errors             {len(form_errors) + len(link_errors) + len(wait_errors)}  "
          f"{sorted(set(form_errors + link_errors + wait_errors))[:4]}")
    print(f"  OPDs over quota    {len(over)}")
    ok = (not form_errors and not link_errors and not wait_errors and not over
          and accepted == args.opds * args.quota and len(delegates) == accepted
          and stored["offers"] == offered_entries == stored["distinct_offers"])
    print("  verdict            " + ("OK: 0 over quota, 0 lost, every offer made once" if ok else "FAILED"))
    return exit_status(wrong=not ok)


if __name__ == "__main__":
    sys.exit(main())
