"""A scan is all stored or none of it (one transaction on the request's Session, or on PostgreSQL
one statement in autocommit), every scan path holds one connection at a time, on SQLite and
PostgreSQL, and SQLite writers from several processes wait for each other instead of failing."""
import multiprocessing
import threading

import pytest
from sqlalchemy import event as sa_event

from app import create_app
from app.cache import forget_everything
from app.extensions import db
from app.models import ApiToken, Attendance, ScanLog
from app.tenants.operators import assign_operator
from config import TestingConfig


def attendances():
    db.session.expire_all()
    return db.session.execute(db.select(Attendance)).scalars().all()


def scan_logs():
    return db.session.execute(db.select(ScanLog)).scalars().all()


def test_a_scan_that_fails_half_way_stores_nothing(app, client, make, desk):
    event, _operator, headers = desk
    token = make.registration(event).ticket_token
    db.session.commit()

    def fail_on_the_scan_log(_connection, _cursor, statement, *_args):
        if "INSERT INTO scan_logs" in statement:  # PostgreSQL: in the attendance INSERT's statement
            raise RuntimeError("the disk is full")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    sa_event.listen(db.engine, "before_cursor_execute", fail_on_the_scan_log)
    try:
        response = client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"}, headers=headers)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", fail_on_the_scan_log)
    assert response.status_code == 500
    # The attendance INSERT ran before the failure, in the same transaction (SQLite) or statement
    # (PostgreSQL): rolled back with it.
    assert attendances() == []
    assert scan_logs() == []
    again = client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"}, headers=headers)
    assert again.status_code == 201


@pytest.fixture
def pool_of_one(app, database_url):
    """Another app on the same database whose pool holds one connection and waits for it 1 s."""
    tight = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"],
                       SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_timeout": 1})
    forget_everything()  # nothing remembered: every memo loads within the requests below
    yield tight
    with tight.app_context():
        db.engine.dispose()


def in_own_context(function):
    """Run `function` in a thread, so that its requests have app contexts of their own (as in a
    worker) instead of the test's, whose Session would otherwise be shared."""
    outcome = []
    thread = threading.Thread(target=lambda: outcome.append(function()))
    thread.start()
    thread.join()
    return outcome[0]


def test_every_scan_path_holds_one_connection_at_a_time(app, make, desk, pool_of_one):
    event, operator, headers = desk
    opds = make.event_organization_list(event)
    first, second, third = (make.registration(event, opds[n]).ticket_token for n in range(3))
    manual_id, slug, email = make.registration(event, opds[0]).id, event.slug, operator.email
    db.session.close()

    def scans():
        client = pool_of_one.test_client()

        def scan(**body):
            return client.post("/api/v1/checkins", json=dict(body, day="2022-06-13"), headers=headers).status_code

        statuses = [
            scan(token=first, event=slug),  # the token is marked used and committed first
            scan(token=second),  # no event: the event's days are loaded on the scan's connection
            scan(token=second),  # a repeat: one more SELECT
            scan(token="tidak-ada", event=slug),
            client.post(f"/api/v1/events/{slug}/registrations/{manual_id}/checkins",
                        json={"day": "2022-06-13"}, headers=headers).status_code,
            client.get(f"/api/v1/events/{slug}/counts?day=2022-06-13", headers=headers).status_code,
        ]
        # The station page's own calls: the login session loads the user through the Session first.
        client.post("/masuk/", data={"email": email, "password": make.PASSWORD})
        statuses.append(client.post("/api/v1/checkins", json={"token": third, "event": slug,
                                                              "day": "2022-06-13"}).status_code)
        return statuses

    assert in_own_context(scans) == [201, 201, 200, 404, 201, 200, 201]
    assert len(attendances()) == 4


def test_a_token_used_for_a_get_only_is_marked_used(app, make, desk, pool_of_one):
    event, _operator, headers = desk
    slug = event.slug
    db.session.close()
    status = in_own_context(lambda: pool_of_one.test_client().get(
        f"/api/v1/events/{slug}/counts", headers=headers).status_code)
    assert status == 200
    db.session.expire_all()
    assert db.session.execute(db.select(ApiToken.last_used_at)).scalar_one() is not None


def _scan_from_another_process(database_url, upload_folder, headers, tokens, start, results):
    worker = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_FOLDER=upload_folder)
    client = worker.test_client()
    start.wait(timeout=30)
    results.put(sorted(client.post("/api/v1/checkins", json={"token": token, "day": "2022-06-13"},
                                   headers=headers).status_code for token in tokens))


def test_two_worker_processes_scanning_the_same_tickets_at_once(app, make, desk, database_url):
    # Two gunicorn workers: on SQLite their writers wait in the busy handler, none fails with
    # "database is locked"; on both databases the unique constraint lets one of each pair in.
    _event, operator, headers = desk
    big = make.event(slug="besar", opds=2, quota=20)
    assign_operator(operator, big)
    tokens = [make.registration(big, opd).ticket_token for opd in make.event_organization_list(big) for _ in range(20)]
    db.session.commit()
    db.session.close()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_scan_from_another_process,
                               args=(database_url, app.config["UPLOAD_FOLDER"], headers, tokens, start, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    statuses = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(statuses[0] + statuses[1]) == [200] * 40 + [201] * 40
    assert len(attendances()) == 40
    assert len(scan_logs()) == 80


def test_connections_the_server_dropped_cost_one_failed_scan_then_the_pool_starts_afresh(app, client, make, desk):
    """No pre-ping per request: disconnects are handled the optimistic way (SQLAlchemy's pooling docs).
    The first statement on a dead connection fails that one request; SQLAlchemy then discards the whole
    pool, and the next request connects afresh."""
    import psycopg

    event, _operator, headers = desk
    opds = make.event_organization_list(event)
    first, second, third = (make.registration(event, opds[n]).ticket_token for n in range(3))
    db.session.commit()
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    scan = client.post("/api/v1/checkins", json={"token": first, "day": "2022-06-13"}, headers=headers)
    assert scan.status_code == 201
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        # What a server restart does to the pool's connections.
        admin = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True) as connection:
            killed = connection.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                        "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert killed >= 1
        expected_first = 500
    else:
        # A SQLite file cannot hang up: the pool's connections stay good.
        expected_first = 201
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        failed = client.post("/api/v1/checkins", json={"token": second, "day": "2022-06-13"}, headers=headers)
        assert failed.status_code == expected_first
        db.session.remove()
        again = client.post("/api/v1/checkins", json={"token": third, "day": "2022-06-13"}, headers=headers)
        assert again.status_code == 201
    finally:
        db.session.remove()
        db.engine.dispose()  # whatever happened above, the suite's next test starts with a good pool
    # Nothing half-stored: the failed scan is absent and can be sent again.
    if expected_first == 500:
        db.session.remove()
        assert client.post("/api/v1/checkins", json={"token": second, "day": "2022-06-13"},
                           headers=headers).status_code == 201
