"""Two app hosts and everything they share, as a national install runs them; used by
bench/two_hosts.py and tests/test_two_hosts.py.

- two gunicorn servers of this app (real processes), each with its own instance folder and
  upload folder (left empty: files go to the object store);
- one PostgreSQL database, created here and dropped at the end;
- Redis (a database other than 0, emptied before and after) for the rate limits and RQ;
- an RQ worker per host (`flask messages work`), with RQ's scheduler;
- moto's S3 in server mode as the object store; an SMTP server (aiosmtpd) that keeps what arrives.
"""
import json
import re
import subprocess
import sys
import uuid
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _server import ROOT, bench_env, gunicorn, postgres_database, run_python  # noqa: E402

SLUG = "dua-host"
ADMIN = "admin@dua-host.example.go.id"
PASSWORD = "kata-sandi-dua-host-123"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
RATE_LIMIT = 3  # forgotten-ticket requests per minute, counted across both hosts

SETUP = """
import json
from zoneinfo import ZoneInfo
from app import create_app
from app.auth.services import create_user, issue_api_token
from app.tenants.operators import assign_operator
from app.checkin.services import today_in
from app.events.services import (
    SEED_DATA, add_organizations_to_event, create_event, read_organizations_csv, upsert_organizations,
)
from app.extensions import db
from app.tenants.services import create_tenant

class Jakarta:
    tz = ZoneInfo("Asia/Jakarta")

app = create_app()
with app.app_context():
    tenant, _ = create_tenant("dua-host", "Dua Host")
    event = create_event(tenant=tenant, slug="%(slug)s", title="Dua Host", organizer_name="Diskominfo",
                         venue="Aula", dates=[today_in(Jakarta)], default_quota=1000, status="open")
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), tenant)
    add_organizations_to_event(event, organizations)
    create_user("%(admin)s", "%(password)s", "admin")
    operator = create_user("operator@dua-host.example.go.id", "%(password)s", "operator")
    assign_operator(operator, event)
    secret = issue_api_token(operator, "dua-host")
    db.session.commit()
    print(json.dumps({"api_token": secret, "organization": organizations[0].id}))
"""

FACTS = """
import json
from app import create_app
from app.extensions import db
from app.models import Attendance, OutboxMessage, Registration
app = create_app()
with app.app_context():
    person = db.session.execute(db.select(Registration).filter_by(ticket_token=%(token)r)).scalar_one()
    print(json.dumps({
        "attendances": db.session.execute(db.select(Attendance).filter_by(registration_id=person.id)).scalars().all()
                       .__len__(),
        "messages": [[m.kind, m.status, m.attempts] for m in db.session.execute(
            db.select(OutboxMessage).filter_by(registration_id=person.id)).scalars()],
    }))
"""


def nip(n):
    """A NIP of the right structure (birth date, TMT CPNS, sex, serial), different for every n."""
    born = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{born:%Y%m%d}2005011{n % 999 + 1:03d}"


class Browser:
    """A device: its cookies, sent to whichever host it talks to (as behind one proxy address)."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, method, path, body=None, headers=None):
        url = urlparse(base)
        connection = HTTPConnection(url.hostname, url.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def get(self, base, path):
        return self.request(base, "GET", path)

    def csrf(self, base, path):
        status, _headers, page = self.get(base, path)
        assert status == 200, (path, status)
        return CSRF.search(page.decode()).group(1)

    def post_form(self, base, path, fields, csrf_from=None):
        fields = {"csrf_token": self.csrf(base, csrf_from or path), **fields}
        return self.request(base, "POST", path, urlencode(fields, doseq=True),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, base, path, fields, files):
        """A multipart POST: `files` is [(field, file name, bytes)]."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrf_token": self.csrf(base, path), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for field, filename, content in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(base, "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


class Cluster:
    def __init__(self, hosts, setup, inbox, bucket, env):
        self.a, self.b = hosts
        self.setup = setup
        self.inbox = inbox
        self.bucket = bucket
        self.env = env

    @property
    def api_headers(self):
        return {"Authorization": f"Bearer {self.setup['api_token']}", "Content-Type": "application/json"}

    def register(self, host, n):
        """Sign up participant `n` through the public form; returns the ticket token."""
        fields = {"full_name": f"Peserta Dua Host {n}", "nip": nip(n), "position": "Analis", "rank": "Penata (III/c)",
                  "organization": self.setup["organization"], "phone": f"0812{n:08d}",
                  "email": f"peserta{n}@dua-host.example.go.id", "consent": "y"}
        status, headers, page = Browser().post_form(host, f"/e/{SLUG}/daftar", fields)
        assert status == 303 and "/tiket/" in headers.get("Location", ""), (status, page[-2000:])
        return headers["Location"].split("/tiket/")[1].split("?")[0]

    def check_in(self, host, token):
        status, _headers, body = Browser().request(host, "POST", "/api/v1/checkins", json.dumps({"token": token}),
                                                   self.api_headers)
        return status, json.loads(body)

    def admin(self, host):
        browser = Browser()
        status, headers, _page = browser.post_form(host, "/masuk/", {"email": ADMIN, "password": PASSWORD})
        assert status == 302, status
        return browser

    def facts(self, token):
        return json.loads(run_python(FACTS % {"token": token}, self.env))


@contextmanager
def rq_worker(env):
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "messages", "work"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def two_hosts(server_url, redis_url, *, workers=2, threads=2, worker_class="gthread"):
    """The cluster, up; everything it made is gone when the block ends."""
    from aiosmtpd.controller import Controller
    from redis import Redis

    from tests.s3_support import Bucket, start_moto
    from tests.smtp_support import Inbox, free_port

    with ExitStack() as stack:
        redis = Redis.from_url(redis_url)
        redis.flushdb()
        stack.callback(redis.flushdb)
        moto, endpoint = start_moto()
        stack.callback(moto.stop)
        bucket = Bucket(endpoint)
        stack.callback(bucket.drop)
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        stack.callback(controller.stop)
        database_url, drop = postgres_database(server_url)
        stack.callback(drop)
        shared = dict(
            bucket.settings, RATELIMIT_ENABLED="true", RATELIMIT_STORAGE_URI=redis_url,
            RATELIMIT_FORGOT_TICKET=f"{RATE_LIMIT} per minute",
            RATELIMIT_FORGOT_TICKET_ADDRESS=f"{RATE_LIMIT} per minute",
            JOB_QUEUE_URL=redis_url, MESSAGES_POLL_SECONDS="1",
            MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_DEFAULT_SENDER="Panitia <panitia@example.go.id>",
        )
        # bench_env gives each host a folder of its own (instance, uploads); they share nothing on disk.
        env_a, env_b = bench_env(database_url, **shared), bench_env(database_url, **shared)
        setup = json.loads(run_python(SETUP % {"slug": SLUG, "admin": ADMIN, "password": PASSWORD}, env_a,
                                      after_migrating=True))
        a = stack.enter_context(gunicorn(env_a, workers=workers, threads=threads, worker_class=worker_class))
        b = stack.enter_context(gunicorn(env_b, workers=workers, threads=threads, worker_class=worker_class))
        stack.enter_context(rq_worker(env_a))
        stack.enter_context(rq_worker(env_b))
        cluster = Cluster((a, b), setup, inbox, bucket, env_a)
        cluster.folders = [Path(env_a["UPLOAD_FOLDER"]), Path(env_b["UPLOAD_FOLDER"])]
        yield cluster
