"""Scratch resources the tests share with nothing else: PostgreSQL databases and a Redis database.

`make test` runs the suite in several pytest-xdist workers at once, so whatever lives outside a
test's tmp_path is named after the worker (PYTEST_XDIST_WORKER: gw0, gw1…; `main` without xdist).
"""
import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_SERVER = "redis://127.0.0.1:6379"
# Redis has databases 0-15; the tests take 8-15, one per worker, and leave 0-7 to a developer's `make run`.
FIRST_REDIS_DATABASE = 8
REDIS_DATABASES = 8


def worker_name():
    """This pytest process's name among the xdist workers (`main` when the suite runs in one process)."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgres_server_url():
    """The server TEST_DATABASE_URL names, as a SQLAlchemy URL; skips (fails in CI) without one."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite is mandatory in CI.")
        pytest.skip("TEST_DATABASE_URL is not set; PostgreSQL tests skipped")
    return make_url(url).set(drivername="postgresql+psycopg")


@contextmanager
def postgres_database(purpose):
    """A new, empty database on the test server, dropped on exit; yields its URL (as a string).

    Its name carries the purpose, the worker and a random part, so workers and runs never meet.
    """
    import psycopg

    server = postgres_server_url()
    name = f"hadir_{purpose}_{worker_name()}_{uuid.uuid4().hex[:8]}"
    dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url():
    """This worker's Redis database: gw0 → 8, gw1 → 9 … (`main` → 8)."""
    worker = worker_name()
    number = int(worker[2:]) if worker.startswith("gw") else 0
    if number >= REDIS_DATABASES:
        pytest.fail(f"worker {worker}: Redis has databases for {REDIS_DATABASES} test workers only (use -n 8 or fewer)")
    return f"{REDIS_SERVER}/{FIRST_REDIS_DATABASE + number}"
