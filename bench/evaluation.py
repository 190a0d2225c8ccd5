"""2,000 participants answer a 10-question evaluation through the real route, then the committee
opens the results page and downloads the workbook.

    python bench/evaluation.py [--responses 2000] [--clients 16] [--workers 4]

SQLite in a temporary folder by default; PostgreSQL when DATABASE_URL is set (an empty
database: the bench migrates it and adds its own event). Each client is a phone: it opens
the form from its ticket link (GET, for the CSRF token) and sends its answers (POST). The
baseline, measured in the same run by the same clients, is the ticket page itself (GET).
At the end the database must hold exactly one response per accepted answer, each with its
ten answers, and the results page must cost as many queries for 2,000 responses as for 20.
"""
import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
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

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

SETUP = """
import json
from datetime import date
from sqlalchemy import insert
from app import create_app
from app.extensions import db
from app.events.services import create_event, add_organizations_to_event, upsert_organizations
from app.tenants.services import create_tenant
from app.evaluation.services import create_form, add_questions, QuestionSpec
from app.models import Registration
app = create_app()
with app.app_context():
    tenant, _created = create_tenant("bench", "Bench")
    event = create_event(tenant=tenant, slug="bench-evaluasi", title="Bench", organizer_name="Bench", venue="Bench",
                         dates=[date(2022, 6, 13), date(2022, 6, 14)], status="open")
    organizations = upsert_organizations([{"short_name": f"OPD{i}", "name": f"Dinas {i}", "kind": "dinas"}
                                          for i in range(20)], tenant)
    add_organizations_to_event(event, organizations)
    db.session.execute(insert(Registration), [
        {"event_id": event.id, "organization_id": organizations[n % 20].id, "full_name": f"Peserta {n}",
         "nip": f"{198001010000000000 + n}", "position": "Analis", "phone": f"+62812{n:08d}",
         "email": f"p{n}@example.go.id"} for n in range(PEOPLE)])
    forms = []
    for title in ("Evaluasi Bench", "Evaluasi Kecil"):
        # Open to everyone registered: what is measured is answering, not the check-in rule.
        form = create_form(event, kind="evaluasi", title=title, present_only=False)
        add_questions(form, [QuestionSpec("likert", f"Pertanyaan {i}") for i in range(1, 8)] + [
            QuestionSpec("single", "Sesi terbaik", choices=["Pagi", "Siang", "Sore"]),
            QuestionSpec("multiple", "Yang perlu diperbaiki", choices=["Ruang", "Konsumsi", "Waktu", "Materi"]),
            QuestionSpec("long", "Saran", required=False),
        ])
        forms.append(form)
    db.session.commit()
    tokens = db.session.execute(db.select(Registration.ticket_token).order_by(Registration.id)).scalars().all()
    print(json.dumps({"forms": [[form.id, [q.id for q in form.questions]] for form in forms], "tokens": tokens}))
"""

MEASURE = """
import io, json, time
from sqlalchemy import event as sa_event
from app import create_app
from app.extensions import db
from app.models import Answer, Completion, EvaluationForm, Registration, Response, User
from app.evaluation.services import submit_response
from app.auth.services import create_user
from app.exports.data import attendance_data
from app.exports.workbook import build_attendance_workbook

app = create_app()
app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
with app.app_context():
    big, small = (db.session.get(EvaluationForm, form_id) for form_id in FORM_IDS)
    counts = {name: db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
              for name, model in (("responses", Response), ("answers", Answer), ("completions", Completion))}
    for registration in db.session.execute(db.select(Registration).order_by(Registration.id).limit(20)).scalars():
        submit_response(small, registration, {q.id: ["3"] if q.kind == "likert" else ["0"] for q in small.questions})
    create_user("bench@example.go.id", "kata-sandi-bench-yang-panjang", "admin")
    db.session.commit()
    statements = []
    sa_event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    client = app.test_client()
    client.post("/masuk/", data={"email": "bench@example.go.id", "password": "kata-sandi-bench-yang-panjang"})
    timings, queries = {}, {}
    for name, form in (("big", big), ("small", small)):
        url = f"/admin/acara/bench-evaluasi/evaluasi/{form.id}/hasil"
        assert client.get(url).status_code == 200
        runs = []
        for _ in range(5):
            statements.clear()
            started = time.perf_counter()
            assert client.get(url).status_code == 200
            runs.append(time.perf_counter() - started)
        timings[name], queries[name] = sorted(runs)[2], len(statements)
    started = time.perf_counter()
    stream = io.BytesIO()
    event = big.event
    build_attendance_workbook(attendance_data(event), stream)
    workbook_seconds = time.perf_counter() - started
    print(json.dumps({"counts": counts, "results_seconds": timings, "results_queries": queries,
                      "workbook_seconds": workbook_seconds, "workbook_bytes": stream.tell()}))
"""


def answers(n, question_ids):
    """Ten answers, varied by n: seven Likert values, one choice, two of the multiple, a suggestion."""
    likert, single, multiple, text = question_ids[:7], question_ids[7], question_ids[8], question_ids[9]
    body = [(f"q-{qid}", str(1 + (n + i) % 5)) for i, qid in enumerate(likert)]
    body += [(f"q-{single}", str(n % 3)), (f"q-{multiple}", str(n % 4)), (f"q-{multiple}", str((n + 1) % 4)),
             (f"q-{text}", f"Saran nomor {n}: =1+1 tetap teks")]
    return body


def drive(base, jobs, clients, act):
    """Run `act(client, job)` for every job over `clients` connections; returns (wall, latencies, outcomes)."""
    queue, lock = iter(jobs), threading.Lock()
    latencies, outcomes = [], []

    def worker():
        client = Client(base)
        while True:
            with lock:
                job = next(queue, None)
            if job is None:
                return
            started = time.perf_counter()
            try:
                outcome = act(client, job)
            except (OSError, http.client.HTTPException) as failure:
                outcome, client = f"error {failure!r}", Client(base)
            with lock:
                latencies.append(time.perf_counter() - started)
                outcomes.append(outcome)

    return run_threads(worker, clients), latencies, outcomes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    env = bench_env(os.environ.get("DATABASE_URL"), RATELIMIT_ENABLED="false")
    setup = json.loads(run_python(SETUP.replace("PEOPLE", str(args.responses)), env, after_migrating=True))
    (form_id, question_ids), (small_id, _small_questions) = setup["forms"]
    tokens = setup["tokens"]

    def ticket_page(client, token):
        status, _location, _page = client.request("GET", f"/tiket/{token}")
        return "ok" if status == 200 else f"status {status}"

    def respond(client, n_token):
        n, token = n_token
        url = f"/tiket/{token}/evaluasi/{form_id}"
        status, _location, page = client.request("GET", url)
        if status != 200:
            return f"form {status}"
        body = [("csrf_token", CSRF.search(page.decode()).group(1)), *answers(n, question_ids)]
        status, _location, page = client.request("POST", url, urlencode(body))
        return "stored" if status == 200 and "sudah tersimpan" in page.decode() else f"post {status}"

    with gunicorn(env, workers=args.workers) as base:
        base_wall, base_latencies, base_outcomes = drive(base, tokens, args.clients, ticket_page)
        wall, latencies, outcomes = drive(base, list(enumerate(tokens)), args.clients, respond)
    measured = json.loads(run_python(MEASURE.replace("FORM_IDS", str([form_id, small_id])), env))

    stored = outcomes.count("stored")
    errors = [outcome for outcome in outcomes + base_outcomes if outcome not in ("stored", "ok")]
    counts = measured["counts"]
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    baseline_rate, rate = len(tokens) / base_wall, args.responses / wall
    print(f"evaluation on {database}: {args.responses} responses to a 10-question form, {args.clients} clients, "
          f"{args.workers} gunicorn workers × 4 threads")
    print(f"  baseline: ticket page GET   {baseline_rate:8.1f} /s   "
          f"p50 {percentile(base_latencies, .5) * 1000:6.1f} ms")
    print(f"  responses (GET form + POST) {rate:8.1f} /s   p50 {percentile(latencies, .5) * 1000:6.1f} ms"
          f"   p99 {percentile(latencies, .99) * 1000:6.1f} ms")
    print(f"  ratio responses / ticket pages  {rate / baseline_rate:5.2f}")
    print(f"  stored responses {counts['responses']}, completions {counts['completions']}, "
          f"answers {counts['answers']} (expected {stored * 11}), errors {len(errors)} {sorted(set(errors))[:3]}")
    queries = measured["results_queries"]
    seconds = measured["results_seconds"]
    print(f"  results page: {queries['big']} queries / {seconds['big'] * 1000:.0f} ms with {args.responses} "
          f"responses, {queries['small']} queries / {seconds['small'] * 1000:.0f} ms with 20")
    print(f"  workbook with the Evaluasi sheet: {measured['workbook_seconds']:.2f} s, "
          f"{measured['workbook_bytes'] / 1024:.0f} KiB")
    ok = (not errors and stored == args.responses and counts["responses"] == stored
          and counts["completions"] == stored and counts["answers"] == stored * 11
          and queries["big"] == queries["small"])
    print("  verdict " + ("OK: zero errors, zero lost or doubled, results queries independent of responses"
                          if ok else "FAILED"))
    return exit_status(wrong=not ok)


if __name__ == "__main__":
    sys.exit(main())
