"""Migration 0006 on a database that already holds data, on SQLite and PostgreSQL."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from app import create_app
from config import TestingConfig

BEFORE = "0003_scan_log_indexes"


def test_0006_gives_each_user_a_generation_of_their_own_and_goes_back(scratch_database_url, tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url, UPLOAD_FOLDER=str(tmp_path))
    engine = create_engine(scratch_database_url)
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
