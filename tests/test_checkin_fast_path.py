"""The check-in API's fast path: how few statements a scan takes, and how stale what it
remembers may get (CHECKIN_CACHE_SECONDS, app/cache.py), on SQLite and PostgreSQL."""
import threading

import pytest
from sqlalchemy import delete, event, update
from sqlalchemy.engine import Engine

from app.extensions import db
from app.models import ApiToken, Attendance, EventOperator, ScanLog, utcnow
from app.tenants.operators import assign_operator

SLUG = "bimtek-uji"  # make.event()'s


@pytest.fixture
def clock(monkeypatch):
    """The memos' clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr("app.cache.monotonic", lambda: now[0])
    return now


def scan(client, headers, token, slug):
    return client.post("/api/v1/checkins", json={"token": token, "event": slug, "day": "2022-06-13"},
                       headers=headers)


@pytest.fixture
def statements(app):
    """Every SQL statement sent from now on, as its first word, the table it writes or reads first
    and whether it was sent in autocommit (psycopg's connection says): counted through SQLAlchemy's
    engine events, which see every statement the app sends. Both INSERTs of a WITH are one:
    ("INSERT", "attendances+scan_logs", …)."""
    sent = []

    def record(connection, _cursor, statement, *_args):
        words = statement.split()
        dbapi_connection = connection.connection.dbapi_connection
        autocommit = connection.dialect.name == "postgresql" and dbapi_connection.autocommit
        if words[0] == "WITH":
            inserted = [words[n + 1] for n, word in enumerate(words) if word == "INTO"]
            sent.append(("INSERT", "+".join(inserted), autocommit))
            return
        if words[0] == "INSERT":
            table = words[2]
        elif "FROM" in words:
            table = words[words.index("FROM") + 1]
        else:
            table = words[1]
        sent.append((words[0], table, autocommit))

    event.listen(Engine, "before_cursor_execute", record)  # every engine: the scans' own too
    yield sent
    event.remove(Engine, "before_cursor_execute", record)


def test_a_scan_takes_three_statements_and_a_repeat_four_or_in_autocommit_two_and_three(client, make, desk,
                                                                                        statements):
    """SQLite: the ticket's SELECT and two INSERTs in the Session's transaction. PostgreSQL: the two
    INSERTs are one statement, and the scan's statements run in autocommit (no BEGIN, no COMMIT)."""
    event_, _operator, headers = desk
    warm, token = make.registration(event_).ticket_token, make.registration(event_).ticket_token
    assert scan(client, headers, warm, SLUG).status_code == 201  # remembers token, operator and event
    db.session.close()  # the test's own reads ended: the request's Session is unused when it scans
    statements.clear()
    assert scan(client, headers, token, SLUG).status_code == 201
    if db.engine.dialect.name == "postgresql":
        assert statements == [("SELECT", "registrations", True), ("INSERT", "attendances+scan_logs", True)]
    else:
        assert statements == [("SELECT", "registrations", False), ("INSERT", "attendances", False),
                              ("INSERT", "scan_logs", False)]
    statements.clear()
    assert scan(client, headers, token, SLUG).status_code == 200
    if db.engine.dialect.name == "postgresql":
        assert statements == [("SELECT", "registrations", True), ("INSERT", "attendances+scan_logs", True),
                              ("SELECT", "attendances", True)]
    else:
        assert statements == [("SELECT", "registrations", False), ("INSERT", "attendances", False),
                              ("SELECT", "attendances", False), ("INSERT", "scan_logs", False)]


def test_a_scan_on_a_session_already_in_use_stays_in_its_transaction(app, make, desk, statements):
    """A login session's scan (the station page) has read its user through the Session: the scan
    joins that transaction instead of taking a second connection."""
    event_, operator, headers = desk
    warm, token, email = make.registration(event_).ticket_token, make.registration(event_).ticket_token, operator.email
    db.session.close()

    def station():  # in a thread: its requests have app contexts (and Sessions) of their own, as in a worker
        client = app.test_client()
        scan(client, headers, warm, SLUG)  # remembers token, operator and event
        client.post("/masuk/", data={"email": email, "password": make.PASSWORD})
        statements.clear()
        statuses.append(client.post("/api/v1/checkins", json={"token": token, "event": SLUG,
                                                             "day": "2022-06-13"}).status_code)

    statuses = []
    thread = threading.Thread(target=station)
    thread.start()
    thread.join()
    assert statuses == [201]
    assert ("SELECT", "users", False) in statements
    assert [autocommit for *_statement, autocommit in statements] == [False] * len(statements)


def test_a_scan_that_waits_on_another_desks_check_in_answers_with_that_desks(app, make, desk):
    """Another desk has checked the same person in and not yet committed: the scan's INSERT waits for it
    (PostgreSQL's unique index, SQLite's write lock), inserts nothing, and the scan answers 200 with that
    desk's record, logged as a repeat."""
    event_, operator, headers = desk
    registration = make.registration(event_)
    token, registration_id, day_id = registration.ticket_token, registration.id, event_.days[0].id
    db.session.close()
    answers = []

    def desk_scan():  # in a thread, as in another worker: its request has an app context of its own
        answers.append(scan(app.test_client(), headers, token, SLUG))

    with db.engine.connect() as other_desk:
        other_desk.execute(db.insert(Attendance).values(
            event_id=event_.id, registration_id=registration_id, event_day_id=day_id, method="scanner",
            device="meja-lain", checked_in_at=utcnow(), created_at=utcnow()))
        waiting = threading.Thread(target=desk_scan)
        waiting.start()
        waiting.join(timeout=1)
        assert waiting.is_alive(), answers and answers[0].get_json()  # it waits for the other desk's commit
        other_desk.commit()
    waiting.join(timeout=30)
    [answer] = answers
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["result"] == "already_checked_in" and answer.get_json()["device"] == "meja-lain"
    assert db.session.execute(db.select(db.func.count()).select_from(Attendance)).scalar_one() == 1
    assert [log.result for log in db.session.execute(db.select(ScanLog)).scalars()] == ["already_checked_in"]


def test_a_revoked_token_is_refused_once_the_memo_is_older_than_the_bound(app, client, make, desk, clock):
    event_, _operator, headers = desk
    token = make.registration(event_).ticket_token
    assert scan(client, headers, token, SLUG).status_code == 201
    db.session.execute(update(ApiToken).values(revoked_at=utcnow()))
    db.session.commit()
    clock[0] += app.config["CHECKIN_CACHE_SECONDS"] - 0.1
    assert scan(client, headers, token, SLUG).status_code == 200  # remembered, within the bound
    clock[0] += 0.2
    assert scan(client, headers, token, SLUG).status_code == 401


def test_without_the_memo_a_revoked_token_is_refused_at_once(app, client, make, desk, clock):
    app.config["CHECKIN_CACHE_SECONDS"] = 0
    event_, _operator, headers = desk
    token = make.registration(event_).ticket_token
    assert scan(client, headers, token, SLUG).status_code == 201
    db.session.execute(update(ApiToken).values(revoked_at=utcnow()))
    db.session.commit()
    assert scan(client, headers, token, SLUG).status_code == 401


def test_an_operator_removed_from_the_event_is_refused_within_the_bound(app, client, make, desk, clock):
    event_, _operator, headers = desk
    token = make.registration(event_).ticket_token
    assert scan(client, headers, token, SLUG).status_code == 201
    db.session.execute(delete(EventOperator))
    db.session.commit()
    clock[0] += app.config["CHECKIN_CACHE_SECONDS"] + 0.1
    assert scan(client, headers, token, SLUG).status_code == 404


def test_a_refusal_is_not_remembered(client, make, desk, clock):
    # An operator assigned a moment after a refused scan may scan at once.
    event_, _operator, headers = desk
    other = make.event(slug="lain")
    token = make.registration(other).ticket_token
    assert scan(client, headers, token, "lain").status_code == 404
    assign_operator(_operator, other)
    db.session.commit()
    assert scan(client, headers, token, "lain").status_code == 201


def test_a_cancellation_counts_at_the_next_scan(client, make, desk, clock):
    # The ticket itself is never remembered: its status is read with every scan.
    event_, _operator, headers = desk
    registration = make.registration(event_)
    assert scan(client, headers, registration.ticket_token, SLUG).status_code == 201
    registration.status = "cancelled"
    db.session.commit()
    response = scan(client, headers, registration.ticket_token, SLUG)
    assert (response.status_code, response.get_json()["result"]) == (409, "cancelled")


def test_a_first_scan_committed_by_another_desk_during_the_scan_is_answered_as_a_repeat(app, make, desk):
    """Another desk's INSERT of the same person's attendance, not yet committed when this scan's
    statement begins: the scan waits for it and answers already_checked_in with that desk's row, read
    after its INSERT did nothing."""
    from datetime import timedelta

    from sqlalchemy import create_engine, text
    from sqlalchemy.orm import Session

    from app.models import Attendance, ScanLog

    event_, _operator, headers = desk
    registration = make.registration(event_)
    day, token = event_.days[0], registration.ticket_token
    warm = make.registration(event_).ticket_token
    other_desk = create_engine(db.engine.url)
    earlier = utcnow() - timedelta(minutes=1)
    statuses = []

    def station():
        client = app.test_client()
        scan(client, headers, warm, SLUG)  # remembers token, operator and event: the scan below is the fast one
        response = scan(client, headers, token, SLUG)
        statuses.append((response.status_code, response.get_json()))

    with Session(other_desk) as other:
        other.add(Attendance(event_id=event_.id, registration_id=registration.id, event_day_id=day.id,
                             checked_in_at=earlier, method="scanner", device="meja-lain"))
        other.flush()  # the row is written and locked, not committed
        thread = threading.Thread(target=station)
        thread.start()
        if db.engine.dialect.name == "postgresql":
            for _ in range(200):  # until the scan's INSERT waits for ours
                with other_desk.connect() as watcher:  # a transaction per look: pg_stat_activity is read once in one
                    if watcher.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                            "AND query LIKE 'WITH attendance%'")).scalar_one():
                        break
                threading.Event().wait(0.05)
            else:
                raise AssertionError("the scan never waited for the other desk's row")
        else:
            threading.Event().wait(0.5)  # SQLite: the scan waits for the write lock (its busy timeout)
        other.commit()
        thread.join()
    other_desk.dispose()
    [(status, body)] = statuses
    assert (status, body["result"], body["device"]) == (200, "already_checked_in", "meja-lain")
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count()).select_from(Attendance)).scalar_one() == 2
    logged = db.session.execute(db.select(ScanLog.result).where(ScanLog.registration_id == registration.id))
    assert [result.value if hasattr(result, "value") else result for result in logged.scalars()] == [
        "already_checked_in"]
