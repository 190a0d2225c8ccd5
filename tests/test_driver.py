"""app/driver.py: SQLAlchemy statements on the driver's cursor, on SQLite and PostgreSQL, and the
rule that a scan holds one connection at a time (a pool of one is enough for every scan path)."""
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, select

from app import create_app
from app.cache import forget_everything
from app.checkin.services import _LOG_INSERT
from app.driver import Unsupported, driver_connection
from app.extensions import db
from app.models import ApiToken, Attendance, ScanLog
from config import TestingConfig
from tests.concurrency import lock_is_free

SCAN_LOGS = ScanLog.__table__
WIB = timezone(timedelta(hours=7))


def log_row(event_id, **fields):
    row = {"event_id": event_id, "registration_id": None, "event_day_id": None, "token_hint": "abcdef",
           "result": "unknown_ticket", "method": "scanner", "device": "meja-1", "operator_id": None,
           "scanned_at": datetime(2022, 6, 13, 7, 58, 1, tzinfo=WIB), "created_at": datetime.now(UTC)}
    return dict(row, **fields)


def scan_logs():
    db.session.expire_all()
    return db.session.execute(db.select(ScanLog)).scalars().all()


def writers_lock_held():
    """On SQLite, whether some connection holds the writers' turn (app/sqlite_writes.py); PostgreSQL
    queues its writers itself and has none."""
    if db.engine.dialect.name != "sqlite":
        return None
    return not lock_is_free(db.engine.url.database + ".writers")


def on_sqlite(value):
    return value if db.engine.dialect.name == "sqlite" else None


def test_values_go_through_the_column_types_both_ways(make):
    event_id = make.event().id
    db.session.close()  # the driver takes a connection of its own, as in a scan
    with driver_connection() as connection:
        connection.execute(_LOG_INSERT, log_row(event_id))
        connection.commit()
    (stored,) = scan_logs()
    # UTCDateTime: 07:58:01 WIB is stored as 00:58:01 UTC and read back aware.
    assert stored.scanned_at == datetime(2022, 6, 13, 0, 58, 1, tzinfo=UTC)
    db.session.close()
    with driver_connection() as connection:
        row = connection.execute(
            select(SCAN_LOGS.c.id, SCAN_LOGS.c.scanned_at, SCAN_LOGS.c.device)
            .where(SCAN_LOGS.c.event_id == bindparam("event_id")), {"event_id": event_id}
        ).one()
    assert (row.id, row.scanned_at, row.device) == (stored.id, stored.scanned_at, "meja-1")
    assert row.scanned_at.utcoffset() == timedelta(0)


def test_what_is_not_committed_is_rolled_back_and_the_writers_turn_given_back(make):
    event_id = make.event().id
    db.session.close()
    with pytest.raises(RuntimeError, match="mid-scan"), driver_connection() as connection:
        connection.execute(_LOG_INSERT, log_row(event_id))
        assert writers_lock_held() == on_sqlite(True)
        raise RuntimeError("mid-scan")
    assert writers_lock_held() == on_sqlite(False)
    assert scan_logs() == []


def test_commit_gives_the_writers_turn_back_and_ends_the_connection(make):
    event_id = make.event().id
    db.session.close()
    with driver_connection() as connection:
        connection.execute(_LOG_INSERT, log_row(event_id))
        connection.commit()
        assert writers_lock_held() == on_sqlite(False)  # before the answer is built and the connection goes back
        with pytest.raises(RuntimeError, match="done once committed"):
            connection.execute(_LOG_INSERT, log_row(event_id))
    assert len(scan_logs()) == 1


def test_it_refuses_what_sqlalchemy_would_do_per_execution(make):
    event_id = make.event().id
    db.session.close()
    with driver_connection() as connection:
        with pytest.raises(Unsupported):  # a bind left out would be sent as NULL
            connection.execute(select(SCAN_LOGS.c.id).where(SCAN_LOGS.c.event_id == bindparam("event_id")), {})
        with pytest.raises(Unsupported):  # an expanding IN list
            connection.execute(select(SCAN_LOGS.c.id).where(SCAN_LOGS.c.event_id.in_([event_id])), {})
        without_created_at = log_row(event_id)
        del without_created_at["created_at"]
        with pytest.raises(Unsupported):  # a column default (created_at=utcnow)
            connection.execute(_LOG_INSERT, without_created_at)


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
            scan(token=first, event=slug),
            scan(token=second),  # no event: the event's days load on the scan's connection
            scan(token=second),  # a repeat: one more SELECT
            scan(token="tidak-ada", event=slug),
            client.post(f"/api/v1/events/{slug}/registrations/{manual_id}/checkins",
                        json={"day": "2022-06-13"}, headers=headers).status_code,
            client.get(f"/api/v1/events/{slug}/counts?day=2022-06-13", headers=headers).status_code,
        ]
        # The station page's own calls: the login session loaded the user through the Session first.
        client.post("/masuk/", data={"email": email, "password": make.PASSWORD})
        statuses.append(client.post("/api/v1/checkins", json={"token": third, "event": slug,
                                                              "day": "2022-06-13"}).status_code)
        return statuses

    assert in_own_context(scans) == [201, 201, 200, 404, 201, 200, 201]
    assert writers_lock_held() == on_sqlite(False)
    db.session.expire_all()
    assert len(db.session.execute(db.select(Attendance)).scalars().all()) == 4


def test_a_token_used_for_a_get_only_is_marked_used(app, make, desk, pool_of_one):
    event, _operator, headers = desk
    slug = event.slug
    db.session.close()
    status = in_own_context(lambda: pool_of_one.test_client().get(
        f"/api/v1/events/{slug}/counts", headers=headers).status_code)
    assert status == 200
    db.session.expire_all()
    assert db.session.execute(db.select(ApiToken.last_used_at)).scalar_one() is not None
