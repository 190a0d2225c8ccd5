"""What an operator watches: /readyz naming what is down, /metrics behind a bearer token, and a
request id in the answer header, the error pages and the log lines of the request."""
import logging
import re
import uuid
from datetime import timedelta

from app.extensions import db
from app.messages.services import queue_ticket_email
from app.models import OutboxMessage, utcnow
from tests.databases import redis_url
from tests.smtp_support import free_port

TOKEN = "scrape-secret-for-tests"


def closed_port_url(scheme="redis"):
    return f"{scheme}://127.0.0.1:{free_port()}/0"


def metric(text, name, **labels):
    """The value of one sample of the exposition text, or None."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0])) if "{" in line else {}
            if all(found.get(key) == str(value) for key, value in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return None


def test_readyz_is_ready_when_the_database_and_the_store_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "storage": "ok"}}
    assert response.headers["Cache-Control"].startswith("no-store")


def test_readyz_checks_redis_and_the_queue_when_configured(app, client, scratch_redis):
    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url(), JOB_QUEUE_URL=redis_url())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok", "queue": "ok", "storage": "ok"}


def test_readyz_names_each_service_that_does_not_answer(app, client, caplog, moto_endpoint):
    from tests.s3_support import KEYS

    app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=closed_port_url(), JOB_QUEUE_URL=closed_port_url(),
                      STORAGE_URL="s3://no-such-bucket/hadir", STORAGE_ENDPOINT_URL=moto_endpoint, **KEYS)
    try:
        response = client.get("/readyz")
    finally:
        app.config.update(STORAGE_URL=None, STORAGE_ENDPOINT_URL=None, JOB_QUEUE_URL=None, RATELIMIT_ENABLED=False)
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"] == {"database": "ok", "redis": "unreachable (ConnectionError)",
                              "queue": "unreachable (ConnectionError)", "storage": "unreachable (FileNotFoundError)"}
    assert "readiness: storage is not reachable" in caplog.text


def test_readyz_names_the_database_when_it_is_down():
    from app import create_app
    from config import TestingConfig

    down = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "unreachable (OperationalError)"


def test_metrics_are_not_public(app, client):
    assert client.get("/metrics").status_code == 404  # no METRICS_TOKEN: no metrics at all
    app.config["METRICS_TOKEN"] = TOKEN
    refused = client.get("/metrics", headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_count_requests_by_route_scans_by_result_and_read_the_outbox(app, client, make, desk):
    app.config["METRICS_TOKEN"] = TOKEN
    event, _operator, headers = desk
    person = make.registration(event)

    def scrape():
        return client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)

    before = scrape()
    scans = [person.ticket_token, person.ticket_token, "x" * 43]
    for token in scans:
        client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"}, headers=headers)
    queue_ticket_email(person)
    db.session.commit()
    stale = db.session.execute(db.select(OutboxMessage)).scalar_one()
    stale.next_attempt_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    after = scrape()

    def grew(name, **labels):
        return (metric(after, name, **labels) or 0) - (metric(before, name, **labels) or 0)

    assert grew("hadir_scans_total", result="checked_in") == 1
    assert grew("hadir_scans_total", result="already_checked_in") == 1
    assert grew("hadir_scans_total", result="unknown_ticket") == 1
    counted = "hadir_http_request_duration_seconds_count"
    assert grew(counted, method="POST", url_rule="/api/v1/checkins", status=201) == 1
    assert grew(counted, method="POST", url_rule="/api/v1/checkins", status=200) == 1
    assert grew(counted, method="POST", url_rule="/api/v1/checkins", status=404) == 1
    assert person.ticket_token not in after  # routes, never paths
    assert metric(after, "hadir_outbox_messages", status="queued") == 1
    assert 590 < metric(after, "hadir_outbox_oldest_due_age_seconds") < 700
    assert metric(after, counted, url_rule="/metrics") is None  # the scrape itself is not counted


def test_metrics_give_the_job_queue_length(app, client, scratch_redis):
    from app.messages.jobs import deliver_job, job_queue

    app.config.update(METRICS_TOKEN=TOKEN, JOB_QUEUE_URL=redis_url())
    try:
        queue = job_queue(redis_url())
        queue.enqueue(deliver_job)
        queue.enqueue(deliver_job)
        text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    finally:
        app.config["JOB_QUEUE_URL"] = None
    assert metric(text, "hadir_job_queue_jobs") == 2


def test_every_answer_carries_a_request_id_and_the_404_page_shows_it(client):
    first, second = client.get("/tidak-ada"), client.get("/tidak-ada")
    assert first.status_code == 404
    rid = first.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid) and rid != second.headers["X-Request-ID"]
    assert f"Kode permintaan: <code>{rid}</code>" in first.get_data(as_text=True)
    assert client.get("/healthz").headers["X-Request-ID"]


def test_the_500_page_and_the_log_lines_share_the_id(caplog):
    from app import create_app
    from config import TestingConfig

    fresh = create_app(TestingConfig)

    @fresh.get("/_rusak_untuk_uji")
    def broken():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        response = fresh.test_client().get("/_rusak_untuk_uji")
    assert response.status_code == 500
    rid = response.headers["X-Request-ID"]
    assert f"<code>{rid}</code>" in response.get_data(as_text=True)
    [record] = [r for r in caplog.records if "Unhandled error" in r.getMessage()]
    assert record.request_id == rid
    from flask.logging import default_handler

    assert f"[{rid}]" in default_handler.format(record)


def test_the_id_of_a_trusted_proxy_is_kept_and_an_untrusted_one_ignored(app, client):
    sent = uuid.uuid4().hex
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] != sent  # no proxy
    app.config["TRUST_REQUEST_ID"] = True
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent
    for odd in ("a b c d e f g h", "<script>", "x" * 65, "short"):
        assert client.get("/healthz", headers={"X-Request-ID": odd}).headers["X-Request-ID"] != odd

