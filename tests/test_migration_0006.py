"""Migration 0006 on a database that already holds data, on SQLite and PostgreSQL."""
import os
import uuid

import psycopg
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from config import TestingConfig

BEFORE = "0003_scan_log_indexes"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite'}"
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set; PostgreSQL tests skipped")
    admin = make_url(url).set(drivername="postgresql")
    name = f"hadir_mig_{uuid.uuid4().hex[:8]}"
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_0006_gives_each_user_a_generation_of_their_own_and_goes_back(empty_database, tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database, UPLOAD_FOLDER=str(tmp_path))
    engine = create_engine(empty_database)
    try:
        with app.app_context():
            upgrade(revision=BEFORE)
            with engine.begin() as connection:
                for n in (1, 2):
                    connection.execute(text(
                        "INSERT INTO users (email, name, password_hash, role, active, created_at) "
                        f"VALUES ('u{n}@example.go.id', '', 'x', 'admin', true, '2026-01-01 00:00:00')"))
                connection.execute(text(
                    "INSERT INTO events (slug, title, organizer_name, venue, description, timezone, created_at) "
                    "VALUES ('lama', 'Lama', 'X', 'Y', '', 'Asia/Jakarta', '2026-01-01 00:00:00')"))
            upgrade()
            with engine.connect() as connection:
                generations = connection.execute(text("SELECT session_generation FROM users")).scalars().all()
                allowed = connection.execute(text("SELECT foreign_phones_allowed FROM events")).scalar_one()
                assert connection.execute(text("SELECT count(*) FROM login_failures")).scalar_one() == 0
            assert len(set(generations)) == 2 and all(len(g) == 32 for g in generations)
            assert allowed in (False, 0)
            downgrade(revision=BEFORE)
            with engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM users")).scalar_one() == 2
            upgrade()
    finally:
        engine.dispose()
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
