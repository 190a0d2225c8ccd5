"""Durable messages: written with their cause, sent by the worker over real SMTP (aiosmtpd), retried
with backoff, never lost or doubled across a worker killed mid-send."""
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import update

from app.extensions import db
from app.messages.delivery import NOT_CONFIGURED, claim, deliver_due
from app.messages.services import queue_confirmation, queue_ticket_email
from app.models import CHANNEL_EMAIL, OutboxMessage, Registration, utcnow
from tests.messages_support import outbox
from tests.registration_support import URL, form_data
from tests.smtp_support import html_part, text_part

ROOT = Path(__file__).resolve().parent.parent


def register_by_form(client, make, **overrides):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    response = client.post(URL, data=form_data(organization, **overrides))
    assert response.status_code == 303
    registration = db.session.execute(db.select(Registration)).scalar_one()
    return event, registration


def test_registering_sends_the_confirmation_with_the_ticket_and_edit_links(client, make, runner, smtp):
    event, registration = register_by_form(client, make)
    [message] = outbox()
    assert (message.kind, message.channel, message.status) == ("confirmation", "email", "queued")

    result = runner.invoke(args=["messages", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output

    [mail] = smtp.to("budi@serangkota.go.id")
    assert mail["Subject"] == "Pendaftaran diterima: Bimtek Uji Coba"
    assert mail["Message-ID"] == message.message_id
    text = text_part(mail)
    assert f"http://localhost/tiket/{registration.ticket_token}" in text
    assert f"http://localhost/ubah/{registration.edit_token}" in text
    assert registration.edit_token != registration.ticket_token
    assert "Yth. Budi Santoso, S.Kom.," in text
    html = html_part(mail)
    assert f'href="http://localhost/tiket/{registration.ticket_token}"' in html
    [sent] = outbox()
    assert sent.status == "sent" and sent.sent_at is not None and sent.attempts == 1


def test_a_refused_registration_leaves_no_message(client, make, smtp):
    event, registration = register_by_form(client, make)
    organization = make.event_organization_list(event)[0]
    again = client.post(URL, data=form_data(organization, email="lain@serangkota.go.id"))  # same NIP
    assert again.status_code == 422
    assert [m.recipient for m in outbox()] == ["budi@serangkota.go.id"]


def test_without_smtp_the_message_is_logged_and_kept_unsent(client, make, runner, caplog, smtp):
    smtp_port = smtp.port
    current_app.config["MAIL_SERVER"] = None
    register_by_form(client, make)
    with caplog.at_level(logging.WARNING, logger="hadir.messages"):
        result = runner.invoke(args=["messages", "work", "--once"])
    assert result.exit_code == 0
    assert "kept unsent 1" in result.output
    assert "budi@serangkota.go.id" in caplog.text and "Pendaftaran diterima" in caplog.text
    [message] = outbox()
    assert (message.status, message.last_error, message.attempts) == ("queued", NOT_CONFIGURED, 0)
    # Logged once, not at every pass.
    caplog.clear()
    runner.invoke(args=["messages", "work", "--once"])
    assert "budi@serangkota.go.id" not in caplog.text
    # Once SMTP is configured, the kept message goes out.
    current_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port)
    result = runner.invoke(args=["messages", "work", "--once"])
    assert "sent 1" in result.output
    assert len(smtp.to("budi@serangkota.go.id")) == 1


def test_one_message_per_cause_kind_and_recipient(make):
    event = make.event()
    registration = make.registration(event)
    assert queue_confirmation(registration) is not None
    assert queue_confirmation(registration) is None
    db.session.commit()
    assert len(outbox()) == 1


def test_a_temporary_refusal_is_retried_with_backoff_and_a_permanent_one_fails(app, make, smtp):
    event = make.event()
    first = make.registration(event, email="sibuk@example.go.id")
    second = make.registration(event, email="tidakada@example.go.id")
    queue_ticket_email(first)
    queue_ticket_email(second)
    db.session.commit()
    smtp.answer = lambda envelope: (
        "451 4.3.0 coba lagi" if "sibuk@example.go.id" in envelope.rcpt_tos else "550 5.1.1 tidak ada"
    )
    before = utcnow()
    outcome = deliver_due()
    assert (outcome.sent, outcome.retried, outcome.failed) == (0, 1, 1)
    busy, missing = outbox()
    assert busy.status == "queued" and busy.attempts == 1 and "451" in busy.last_error
    assert before + timedelta(seconds=29) < busy.next_attempt_at < utcnow() + timedelta(seconds=31)
    assert missing.status == "failed" and "550" in missing.last_error
    # Not due yet: nothing is sent on the next pass.
    smtp.answer = None
    assert deliver_due().sent == 0
    # The second attempt waits twice as long if refused again.
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == busy.id).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert deliver_due().sent == 1
    assert len(smtp.to("sibuk@example.go.id")) == 1 and smtp.to("tidakada@example.go.id") == []
    assert outbox()[0].attempts == 2


def test_the_last_attempt_gives_up_and_keeps_the_error(app, make, smtp):
    app.config["MESSAGES_MAX_ATTEMPTS"] = 2
    event = make.event()
    queue_ticket_email(make.registration(event))
    db.session.commit()
    smtp.answer = lambda envelope: "421 4.7.0 nanti"
    deliver_due()
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    deliver_due()
    [message] = outbox()
    assert (message.status, message.attempts) == ("failed", 2)
    assert "421" in message.last_error


def test_two_workers_at_once_send_each_message_once(app, make, smtp):
    event = make.event(quota=30)
    for organization in make.event_organization_list(event):
        for _ in range(10):
            queue_ticket_email(make.registration(event, organization))
    db.session.commit()
    errors = []

    def work():
        with app.app_context():
            try:
                deliver_due(batch=5)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    recipients = [address for recipients, _m in smtp.messages for address in recipients]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert {m.status for m in outbox()} == {"sent"}


WORKER = """
import sys
from app import create_app
from config import TestingConfig
app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], MAIL_SERVER="127.0.0.1",
                 MAIL_PORT=int(sys.argv[2]), MESSAGES_LEASE_SECONDS=float(sys.argv[3]))
with app.app_context():
    from app.messages.delivery import deliver_due
    print(deliver_due().__dict__, flush=True)
"""


def test_a_worker_killed_between_claim_and_send_sends_the_message_exactly_once_after_restart(app, make, smtp):
    event = make.event()
    registration = make.registration(event, email="sekali@example.go.id")
    queue_confirmation(registration)
    db.session.commit()
    arrived, release = threading.Event(), threading.Event()

    async def hold_the_first(envelope):
        # The worker is mid-send: the server has the data but has not said 250. Kill it now.
        smtp.answer = None
        arrived.set()
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, release.wait, 30)
        return "451 4.4.2 connection lost"

    smtp.answer = hold_the_first
    url = db.engine.url.render_as_string(hide_password=False)
    worker = subprocess.Popen([sys.executable, "-c", WORKER, url, str(smtp.port), "2"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, HADIR_ENV="testing"))
    try:
        assert arrived.wait(60), worker.stderr.read().decode() if worker.poll() is not None else "no SMTP DATA"
        [claimed] = outbox()
        assert claimed.status == "sending" and claimed.attempts == 1
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        release.set()
        if worker.poll() is None:
            worker.kill()
    assert smtp.to("sekali@example.go.id") == []
    # A restarted worker before the lease runs out leaves it alone …
    assert deliver_due().sent == 0
    # … and after it, sends it once.
    time.sleep(2.1)
    assert deliver_due().sent == 1
    assert deliver_due().sent == 0
    assert len(smtp.to("sekali@example.go.id")) == 1
    [message] = outbox()
    assert (message.status, message.attempts) == ("sent", 2)


def test_claims_skip_a_message_another_worker_holds(app, make):
    event = make.event()
    queue_ticket_email(make.registration(event))
    db.session.commit()
    assert len(claim("a", [CHANNEL_EMAIL])) == 1
    assert claim("b", [CHANNEL_EMAIL]) == []
    assert claim("b", [CHANNEL_EMAIL], now=utcnow() + timedelta(seconds=app.config["MESSAGES_LEASE_SECONDS"] + 1))


def test_with_redis_a_commit_wakes_an_rq_worker_that_sends(client, make, runner, smtp, redis_job_queue):
    from rq import Queue

    register_by_form(client, make)
    assert Queue("hadir-messages", connection=redis_job_queue).count == 1
    result = runner.invoke(args=["messages", "work", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(smtp.to("budi@serangkota.go.id")) == 1
    assert [m.status for m in outbox()] == ["sent"]


def test_a_crash_after_the_servers_250_sends_again_with_the_same_message_id(app, make, smtp):
    """The one window SMTP leaves open: delivered, not yet recorded. The repeat is recognisable."""
    from app.messages.channels import EmailMessenger
    from app.messages.delivery import worker_name

    event = make.event()
    queue_confirmation(make.registration(event, email="dua@example.go.id"))
    db.session.commit()
    worker = worker_name()
    [claimed_id] = claim(worker, [CHANNEL_EMAIL])
    messenger = EmailMessenger()
    messenger.send(db.session.get(OutboxMessage, claimed_id))  # 250 … and the worker dies here
    messenger.close()
    db.session.execute(update(OutboxMessage).values(lease_expires_at=utcnow()))
    db.session.commit()
    assert deliver_due().sent == 1
    first, second = smtp.to("dua@example.go.id")
    assert first["Message-ID"] == second["Message-ID"] == outbox()[0].message_id


def test_a_batch_is_sent_then_recorded_in_one_statement_and_one_commit(app, make, smtp):
    """Claim, send over one connection, record every outcome together: two UPDATEs for a batch."""
    from sqlalchemy import event as sa_event

    event = make.event(quota=5)
    opd = make.event_organization_list(event)[0]
    people = [make.registration(event, opd, email=f"batch{n}@example.go.id") for n in range(5)]
    for person in people:
        queue_ticket_email(person)
    db.session.commit()
    smtp.answer = lambda envelope: "550 5.1.1 tidak ada" if "batch3@" in envelope.rcpt_tos[0] else None
    updates, commits = [], []

    def record(_connection, _cursor, statement, parameters, _context, executemany):
        if statement.startswith("UPDATE outbox_messages"):
            updates.append(len(parameters) if executemany else 1)

    sa_event.listen(db.engine, "before_cursor_execute", record)
    sa_event.listen(db.engine, "commit", lambda _connection: commits.append(1))
    try:
        outcome = deliver_due(batch=10)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    assert (outcome.sent, outcome.failed) == (4, 1)
    # The claim, the five outcomes in one executemany, then a claim that finds nothing left; a commit each.
    assert updates == [1, 5, 1]
    assert len(commits) == 3
    assert [m.status for m in outbox()] == ["sent", "sent", "sent", "failed", "sent"]
    assert all(m.sent_at is not None for m in outbox() if m.status == "sent")


def test_a_batch_stops_at_half_its_lease_and_puts_the_rest_back_unsent(app, make, smtp):
    """A slow mail server must not let the lease run out under a message being sent."""
    import asyncio

    app.config["MESSAGES_LEASE_SECONDS"] = 0.6
    event = make.event(quota=3)
    opd = make.event_organization_list(event)[0]
    for n in range(3):
        queue_ticket_email(make.registration(event, opd, email=f"lambat{n}@example.go.id"))
    db.session.commit()

    async def slow(envelope):
        await asyncio.sleep(0.4)

    smtp.answer = slow
    from app.messages.channels import configured_messengers
    from app.messages.delivery import send_claimed

    messengers = configured_messengers()
    try:
        assert send_claimed(claim("lambat", [CHANNEL_EMAIL]), "lambat", messengers).sent == 1
    finally:
        messengers[CHANNEL_EMAIL].close()
    first, *rest = outbox()
    assert (first.status, first.attempts) == ("sent", 1)
    assert [(m.status, m.attempts, m.lease_expires_at) for m in rest] == [("queued", 0, None)] * 2
    smtp.answer = None
    assert deliver_due(batch=10).sent == 2
    assert len(smtp.messages) == 3


class RecordingGateway:
    """A WhatsApp Business gateway as a Messenger (WHATSAPP_GATEWAY names it)."""

    channel = "whatsapp"
    sent = []

    @classmethod
    def from_config(cls, config):
        return cls()

    def open(self):
        pass

    def close(self):
        pass

    def send(self, message):
        RecordingGateway.sent.append((message.recipient, message.body_text))


def test_a_whatsapp_gateway_plugged_in_sends_the_click_through_messages(app, make):
    from app.messages.services import queue_ticket_whatsapp

    RecordingGateway.sent.clear()
    event = make.event()
    registration = make.registration(event, phone="+6281211112222")
    queue_ticket_whatsapp(registration)
    db.session.commit()
    assert deliver_due().sent == 0  # no gateway: waits for the committee's click
    app.config["WHATSAPP_GATEWAY"] = "tests.test_messages_outbox:RecordingGateway"
    assert deliver_due().sent == 1
    [(recipient, text)] = RecordingGateway.sent
    assert recipient == "+6281211112222" and f"/tiket/{registration.ticket_token}" in text
    assert outbox()[0].status == "sent"


def test_the_status_command_counts_messages_by_channel_and_status(make, runner):
    event = make.event()
    queue_confirmation(make.registration(event))
    db.session.commit()
    result = runner.invoke(args=["messages", "status"])
    assert result.exit_code == 0 and result.output.strip() == "email\tqueued\t1"


def test_with_redis_a_tick_sends_and_chains_the_next_one_once(make, smtp, redis_job_queue):
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    from app.messages.jobs import tick_job

    event = make.event()
    queue_confirmation(make.registration(event, email="rq@example.go.id"))
    db.session.commit()
    redis_job_queue.flushdb()  # the commit's wake-up job is not what this test is about
    assert tick_job()["sent"] == 1
    tick_job()  # a second tick in the same period schedules nothing more
    registry = ScheduledJobRegistry(queue=Queue("hadir-messages", connection=redis_job_queue))
    assert len(registry.get_job_ids()) == 1
    assert len(smtp.to("rq@example.go.id")) == 1


def test_a_redis_that_is_down_costs_the_registration_nothing(client, make, app, caplog):
    app.config["JOB_QUEUE_URL"] = "redis://127.0.0.1:1/11"
    with caplog.at_level(logging.WARNING, logger="hadir.messages"):
        register_by_form(client, make)
    assert [m.status for m in outbox()] == ["queued"]
    assert "could not wake a message worker" in caplog.text


class BrokenGateway(RecordingGateway):
    def send(self, message):
        raise RuntimeError("gateway answered 500")


def test_an_unexpected_error_is_retried_then_failed_never_stuck(app, make):
    from app.messages.services import queue_ticket_whatsapp

    app.config.update(WHATSAPP_GATEWAY="tests.test_messages_outbox:BrokenGateway", MESSAGES_MAX_ATTEMPTS=2)
    queue_ticket_whatsapp(make.registration(make.event()))
    db.session.commit()
    assert deliver_due().retried == 1
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
    db.session.commit()
    assert deliver_due().failed == 1
    [message] = outbox()
    assert message.status == "failed" and "RuntimeError: gateway answered 500" in message.last_error


def test_links_use_public_base_url_when_set(client, make, app):
    app.config["PUBLIC_BASE_URL"] = "https://hadir.example.go.id"
    event, registration = register_by_form(client, make)
    [message] = outbox()
    assert f"https://hadir.example.go.id/tiket/{registration.ticket_token}" in message.body_text
    assert f"https://hadir.example.go.id/ubah/{registration.edit_token}" in message.body_html


def test_with_redis_a_tick_that_raises_once_still_schedules_the_next(make, smtp, redis_job_queue, monkeypatch):
    """A database restart during one tick must not end the chain that writes the scheduled reminders."""
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    import app.messages.worker
    from app.messages.jobs import TICK_KEY, tick_job

    def database_gone(worker=None):
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(app.messages.worker, "tick", database_gone)
    with pytest.raises(RuntimeError):
        tick_job()
    registry = ScheduledJobRegistry(queue=Queue("hadir-messages", connection=redis_job_queue))
    [next_tick] = registry.get_job_ids()
    monkeypatch.undo()
    # The next tick, once the database is back, sends and chains on.
    queue_confirmation(make.registration(make.event(), email="rq@example.go.id"))
    db.session.commit()
    redis_job_queue.delete(TICK_KEY)  # its time has come
    job = Queue("hadir-messages", connection=redis_job_queue).fetch_job(next_tick)
    assert job.func is tick_job and job.perform()["sent"] == 1
    assert len(smtp.to("rq@example.go.id")) == 1


def test_with_redis_a_plain_rq_worker_starts_ticking_on_its_first_wake_up(make, smtp, redis_job_queue):
    """`rq worker --with-scheduler hadir-messages` never runs `flask messages work`: the wake-up job a commit
    enqueues starts the tick chain."""
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    from app.messages.jobs import deliver_job, tick_job

    queue = Queue("hadir-messages", connection=redis_job_queue)
    queue_confirmation(make.registration(make.event(), email="rq@example.go.id"))
    db.session.commit()
    [wake_up] = queue.jobs
    assert wake_up.func is deliver_job
    assert wake_up.perform()["sent"] == 1
    [scheduled] = ScheduledJobRegistry(queue=queue).get_job_ids()
    assert queue.fetch_job(scheduled).func is tick_job
