"""How fast the message worker empties the outbox over real SMTP, and whether it loses or doubles any.

2,000 registrations each get a confirmation e-mail queued through the app's own service
(queue_confirmation: the text and HTML are rendered, as at registration). Then, in the same run:

- baseline: the same 2,000 prepared messages sent by a bare smtplib loop on one connection, no
  database: the ceiling the SMTP server and Python's smtplib set;
- worker: `deliver_due()` (claim a batch of MESSAGES_BATCH, 50, with a lease, send it over one
  connection, record its outcomes in one transaction), the path `flask messages work` runs, measured
  in chunks of 250 claims, the process's resident memory (VmRSS) read after each chunk;
- two workers (threads, one connection each) on a second outbox of 2,000, to show the claims keep
  them apart.

The SMTP server is aiosmtpd in this process, counting messages per recipient and per Message-ID.
Printed: messages/s for each, the ratio worker/baseline, lost and doubled counts (must be 0 and 0),
and RSS per chunk (flat: the worker keeps no message after it is sent).

    python bench/messages.py                     # SQLite in a temporary folder, 2,000 messages
    N=5000 python bench/messages.py
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/messages.py   # a fresh database there
"""
import os
import smtplib
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _server import exit_status  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

N = int(os.environ.get("N", "2000"))
RATIO_BAR = 0.7  # the worker's messages/s over bare smtplib's
CHUNK = 250


class CountingInbox:
    def __init__(self):
        self.recipients = Counter()
        self.message_ids = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message_id = None
        for line in envelope.original_content.split(b"\r\n"):
            if not line:
                break
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.recipients[recipient] += 1
            self.message_ids[message_id] += 1
        return "250 OK"

    def reset(self):
        with self.lock:
            self.recipients.clear()
            self.message_ids.clear()


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(folder):
    base = os.environ.get("DATABASE_URL")
    if not base:
        return f"sqlite:///{folder}/bench.sqlite", None
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(base).set(drivername="postgresql")
    name = f"hadir_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False), drop


def fill(app, slug, count):
    """An event with `count` registrations (one OPD, no quota) and a queued confirmation for each."""
    from datetime import date

    from sqlalchemy import insert

    from app.events.services import add_organizations_to_event, create_event, upsert_organizations
    from app.extensions import db
    from app.messages.services import queue_confirmation
    from app.models import Registration, new_ticket_token, utcnow
    from app.tenants.services import create_tenant

    tenant, _created = create_tenant("kota-serang", "Pemerintah Kota Serang")
    event = create_event(tenant=tenant, slug=slug, title="Bimtek Penyusunan Masterplan Kota Cerdas",
                         organizer_name="Diskominfo", venue="Hotel Flamenggo, Serang",
                         dates=[date(2030, 6, 13), date(2030, 6, 14)], status="open")
    [organization] = upsert_organizations([{"short_name": f"OPD-{slug}", "name": f"Dinas {slug}", "kind": "dinas"}],
                                          tenant)
    add_organizations_to_event(event, [organization], quota=None)
    db.session.commit()
    now = utcnow()
    db.session.execute(insert(Registration), [
        {"event_id": event.id, "organization_id": organization.id, "full_name": f"Peserta {n}, S.Kom.",
         "nip": None, "position": "Analis", "rank": None, "phone": f"+62812{n:08d}",
         "email": f"{slug}-{n}@example.go.id", "status": "registered", "ticket_token": new_ticket_token(),
         "edit_token": new_ticket_token(), "consented_at": now, "source": "form", "created_at": now,
         "updated_at": now}
        for n in range(count)
    ])
    db.session.commit()
    registrations = db.session.execute(db.select(Registration).filter_by(event_id=event.id)).scalars().all()
    with app.test_request_context(base_url="https://hadir.example.go.id"):
        for registration in registrations:
            queue_confirmation(registration)
    db.session.commit()
    db.session.expunge_all()
    return [f"{slug}-{n}@example.go.id" for n in range(count)]


def check(inbox, expected):
    lost = sum(1 for address in expected if inbox.recipients[address] == 0)
    doubled = sum(1 for address in expected if inbox.recipients[address] > 1)
    doubled_ids = sum(1 for count in inbox.message_ids.values() if count > 1)
    return lost, doubled, doubled_ids


def baseline(port, app):
    """The same messages, prepared in memory, sent by a bare smtplib loop on one connection."""
    from email.message import EmailMessage

    from app.extensions import db
    from app.models import OutboxMessage

    rows = db.session.execute(db.select(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body_text,
                                        OutboxMessage.body_html).order_by(OutboxMessage.id)).all()
    messages = []
    for recipient, subject, text, html in rows:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "Panitia <panitia@example.go.id>", recipient, subject
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        messages.append(message)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for message in messages:
            connection.send_message(message)
    return len(messages) / (time.perf_counter() - started)


def main():
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.messages.delivery import deliver_due
    from config import TestingConfig

    inbox = CountingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database_url(folder)
        try:
            app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=folder, MAIL_SERVER="127.0.0.1",
                             MAIL_PORT=port, MAIL_DEFAULT_SENDER="Panitia <panitia@example.go.id>")
            with app.app_context():
                upgrade()
                print(f"{N} confirmations, database {db.engine.dialect.name}, SMTP aiosmtpd on 127.0.0.1:{port}")
                expected = fill(app, "satu", N)

                rate = baseline(port, app)
                print(f"baseline (bare smtplib, no database):  {rate:8.0f} msgs/s")
                inbox.reset()

                rss = [rss_mb()]
                started = time.perf_counter()
                sent = 0
                while True:
                    outcome = deliver_due(limit=CHUNK)
                    db.session.remove()
                    sent += outcome.sent
                    rss.append(rss_mb())
                    if outcome.sent == 0:
                        break
                elapsed = time.perf_counter() - started
                lost, doubled, doubled_ids = check(inbox, expected)
                worker_rate = sent / elapsed
                print(f"worker (claim, send, record a batch): {worker_rate:8.0f} msgs/s  "
                      f"= {worker_rate / rate:.2f} x baseline")
                print(f"  sent {sent}, lost {lost}, doubled {doubled} (Message-IDs seen twice: {doubled_ids})")
                wrong = bool(lost or doubled or doubled_ids or sent != N)
                slow = worker_rate / rate < RATIO_BAR
                print("  RSS MB after each 250: " + " ".join(f"{value:.1f}" for value in rss)
                      + f"  (growth after the first chunk: {max(rss[1:]) - rss[1]:+.1f} MB)")

                expected = fill(app, "dua", N)
                inbox.reset()
                errors = []

                def work():
                    with app.app_context():
                        try:
                            deliver_due(batch=50)
                        except Exception as error:  # reported below
                            errors.append(error)
                        finally:
                            db.session.remove()

                started = time.perf_counter()
                threads = [threading.Thread(target=work) for _ in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                elapsed = time.perf_counter() - started
                lost, doubled, doubled_ids = check(inbox, expected)
                print(f"two workers (threads):                 {N / elapsed:8.0f} msgs/s  "
                      f"lost {lost}, doubled {doubled}, errors {len(errors)}")
                wrong = wrong or bool(lost or doubled or doubled_ids or errors)
                print("verdict: " + ("WRONG: a message lost, doubled or failed" if wrong else
                                     f"FAILED: the worker under {RATIO_BAR} x baseline" if slow else "OK"))
                db.session.remove()
                db.engine.dispose()
        finally:
            controller.stop()
            if drop:
                drop()
    return exit_status(wrong=wrong, slow=slow)


if __name__ == "__main__":
    sys.exit(main())
