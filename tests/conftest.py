"""Fixtures: the app on SQLite and on PostgreSQL, a client, a CLI runner, factories.

Every test that uses `app` runs once per database: SQLite always, PostgreSQL when
TEST_DATABASE_URL names a server (in CI it must). Each run builds its schema with
the migrations in a database of its own and drops it at the end.
"""
import re
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

from app import create_app
from app.cache import forget_everything
from app.extensions import db
from config import TestingConfig
from tests import factories
from tests.databases import postgres_database, redis_url


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        # Browser tests run against SQLite only; everything else on both databases.
        in_browser_folder = "browser" in metafunc.definition.path.parts
        names = ["sqlite"] if in_browser_folder else ["sqlite", "postgresql"]
        metafunc.parametrize("database_url", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'hadir.sqlite'}"
        return
    with postgres_database("test") as url:
        yield url


@pytest.fixture
def scratch_database_url(database_url, tmp_path):
    """An empty database of this test's own, of the same kind as `database_url` (no migration run yet)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    with postgres_database("scratch") as url:
        yield url


@pytest.fixture
def blank_app(scratch_database_url, tmp_path):
    """An app on an empty database of its own (the suite's shared one is already at head), in its context."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url,
                     UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _migrated_app(database_url, tmp_path_factory):
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
    )
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables():
    db.session.remove()
    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE's fixed cost per table (new files for
            # each table and index) was most of a PostgreSQL test's teardown. Every sequence starts again at 1,
            # as after TRUNCATE … RESTART IDENTITY (and as SQLite's ids do in an emptied table).
            connection.exec_driver_sql("; ".join(f'DELETE FROM "{name}"' for name in reversed(tables)))
            connection.exec_driver_sql("SELECT setval(oid::regclass, 1, false) FROM pg_class WHERE relkind = 'S'")
        else:
            for name in reversed(tables):
                connection.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app(_migrated_app, tmp_path):
    """The app with an empty database and its own upload folder, inside an app context."""
    upload_folder = tmp_path / "uploads"
    upload_folder.mkdir()
    saved = dict(_migrated_app.config)
    _migrated_app.config["UPLOAD_FOLDER"] = str(upload_folder)
    with _migrated_app.app_context():
        try:
            yield _migrated_app
        finally:
            _empty_all_tables()
            forget_everything()
            _migrated_app.config.clear()
            _migrated_app.config.update(saved)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """The factories of tests/factories.py, bound to this test's database."""
    return factories


@pytest.fixture
def desk(make):
    """A check-in desk: an event, an operator assigned to it and the bearer header of the operator's token."""
    from app.tenants.operators import assign_operator

    event = make.event()
    operator = make.user("meja@example.go.id", role="operator")
    assign_operator(operator, event)
    db.session.commit()
    headers = {"Authorization": f"Bearer {make.api_token(operator)}"}
    return event, operator, headers


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email, password=factories.PASSWORD):
        return self._client.post("/masuk/", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/masuk/keluar")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def _signed_in_admin(make, auth):
    user = make.user()
    auth.login(user.email)
    return user


@pytest.fixture
def admin(make, auth):
    """The install's administrator (admin@example.go.id, no tenant), signed in on `client`; returns the User."""
    return _signed_in_admin(make, auth)


@pytest.fixture
def admin_with_tenant(make, auth):
    """As `admin`, with one tenant made first: a new event's form then picks that tenant."""
    make.tenant()
    return _signed_in_admin(make, auth)


@pytest.fixture
def admin_with_an_event(admin, make):
    """As `admin`, and the test event (bimtek-uji) made after the sign-in; returns the event."""
    return make.event()


@pytest.fixture
def limited_app(app):
    """limited_app(**settings): the test client of a second app with rate limits on (the suite's app has
    them off), on the same database, counting in memory://."""
    from app.extensions import limiter

    was_enabled, made = limiter.enabled, []

    def client_of_a_limited_app(**settings):
        limited = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                             UPLOAD_FOLDER=app.config["UPLOAD_FOLDER"], RATELIMIT_ENABLED=True,
                             RATELIMIT_STORAGE_URI="memory://", **settings)
        made.append(limited)
        return limited.test_client()

    yield client_of_a_limited_app
    limiter.enabled = was_enabled
    for limited in made:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free port, for the browser tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) in this process, the app's MAIL_* settings pointed at it."""
    from tests.smtp_support import serve_smtp

    yield from serve_smtp(app)


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 in server mode (ThreadedMotoServer) on a free port of 127.0.0.1, for the whole run."""
    from tests.s3_support import start_moto

    server, endpoint = start_moto()
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(app, moto_endpoint):
    """A fresh bucket; the app's STORAGE_* settings point at it for this test."""
    from tests.s3_support import Bucket

    bucket = Bucket(moto_endpoint)
    saved = {key: app.config.get(key) for key in bucket.settings}
    app.config.update(bucket.settings)
    try:
        yield bucket
    finally:
        app.config.update(saved)
        bucket.drop()


@pytest.fixture
def scratch_redis():
    """This worker's Redis database (tests/databases.py), emptied before and after; skips without Redis."""
    from redis import Redis

    connection = Redis.from_url(redis_url())
    try:
        connection.ping()
    except Exception:
        pytest.skip("no Redis at 127.0.0.1:6379")
    connection.flushdb()
    try:
        yield connection
    finally:
        connection.flushdb()


@pytest.fixture
def redis_job_queue(app, scratch_redis):
    """JOB_QUEUE_URL on this worker's Redis database (emptied before and after); yields the connection."""
    app.config["JOB_QUEUE_URL"] = redis_url()
    return scratch_redis


# The files whose tests last longest (10–30 s each: gunicorn, Chromium, a walk of every route) run first, so that
# pytest-xdist hands them out while there are short tests left to balance them: no worker is left alone at the end
# with a long one while the others wait.
LONG_FIRST = ("test_fuzz_routes.py", "test_bench_scripts.py", "test_two_hosts.py", "test_demo.py", "test_scopes.py",
              "test_deploy_files.py", "test_accessibility_browser.py", "test_station_never_loses_browser.py",
              "test_demo_browser.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.path.name not in LONG_FIRST)  # stable: otherwise in the collected order


ON_POSTGRES = re.compile(r"[\[-]postgresql[\]-]")


def pytest_terminal_summary(terminalreporter):
    """The line .ci/run reads to know that the mandatory suites ran: tests passed on PostgreSQL and in
    Chromium (under xdist, the controller sees every worker's reports)."""
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", [])]
    postgres = sum(1 for nodeid in passed if ON_POSTGRES.search(nodeid))
    browser = sum(1 for nodeid in passed if nodeid.startswith("tests/browser/"))
    terminalreporter.write_line(f"hadir: {postgres} passed on PostgreSQL, {browser} passed in Chromium")
