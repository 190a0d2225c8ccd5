"""Migration 0004 adds the enums' CHECK constraints to a database that already holds rows, and keeps them.

Runs on SQLite and PostgreSQL, each in a scratch database of its own: migrated to the
revision before 0004, filled, upgraded, checked, downgraded.
"""
import os

from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from config import TestingConfig

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


ROWS = [
    "INSERT INTO users (id, email, name, password_hash, role, active, created_at) "
    "VALUES (1, 'op@example.go.id', 'Op', 'x', 'operator', true, '2022-06-01 00:00:00')",
    "INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at) "
    "VALUES (1, 'bimtek', 'Bimtek', 'Diskominfo', 'Hotel', '', 'Asia/Jakarta', '2022-06-01 00:00:00')",
    "INSERT INTO event_days (id, event_id, date) VALUES (1, 1, '2022-06-13')",
    "INSERT INTO organizations (id, short_name, name, kind) VALUES (1, 'Diskominfo', 'Dinas Kominfo', 'dinas')",
    "INSERT INTO organizations (id, short_name, name, kind) VALUES (2, 'Kec. Serang', 'Kecamatan Serang', 'kecamatan')",
    "INSERT INTO event_organizations (id, event_id, organization_id, quota) VALUES (1, 1, 1, 3)",
    "INSERT INTO registrations (id, event_id, organization_id, full_name, position, phone, email, status, "
    "ticket_token, consented_at, source, created_at, updated_at) VALUES (1, 1, 1, 'Siti', 'Analis', "
    "'+6281200000001', 'siti@example.go.id', 'registered', 'tok-1', '2022-06-01 00:00:00', 'form', "
    "'2022-06-01 00:00:00', '2022-06-01 00:00:00')",
    "INSERT INTO attendances (id, event_id, registration_id, event_day_id, checked_in_at, method, operator_id, "
    "created_at) VALUES (1, 1, 1, 1, '2022-06-13 00:58:00', 'scanner', 1, '2022-06-13 00:58:00')",
    "INSERT INTO scan_logs (id, event_id, registration_id, event_day_id, token_hint, result, method, operator_id, "
    "created_at) VALUES (1, 1, 1, 1, 'tok-', 'checked_in', 'scanner', 1, '2022-06-13 00:58:00')",
    "INSERT INTO scan_logs (id, event_id, token_hint, result, method, created_at) "
    "VALUES (2, 1, 'xxx', 'unknown_ticket', NULL, '2022-06-13 00:59:00')",
]
SNAPSHOT = {
    "organizations": "SELECT id, short_name, kind FROM organizations ORDER BY id",
    "registrations": "SELECT id, organization_id, status FROM registrations ORDER BY id",
    "attendances": "SELECT id, registration_id, method, operator_id FROM attendances ORDER BY id",
    "scan_logs": "SELECT id, registration_id, result, method FROM scan_logs ORDER BY id",
    "event_organizations": "SELECT id, organization_id FROM event_organizations ORDER BY id",
}
REFUSED_AFTER = [
    "UPDATE organizations SET kind = 'rsud' WHERE id = 2",
    "UPDATE attendances SET method = 'telepati'",
    "UPDATE scan_logs SET result = 'lolos' WHERE id = 2",
    "UPDATE scan_logs SET method = 'telepati' WHERE id = 1",
]


def snapshot():
    return {name: [tuple(row) for row in db.session.execute(text(query))] for name, query in SNAPSHOT.items()}


def refused(statement):
    try:
        db.session.execute(text(statement))
    except IntegrityError:
        return True
    finally:
        db.session.rollback()
    return False


def test_0004_adds_the_checks_and_keeps_every_row(scratch_database_url, tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url, UPLOAD_FOLDER=str(tmp_path / "up"))
    with app.app_context():
        before = ScriptDirectory(MIGRATIONS).get_revision("0004").down_revision
        upgrade(directory=MIGRATIONS, revision=before)
        for statement in ROWS:
            db.session.execute(text(statement))
        db.session.commit()
        rows = snapshot()
        assert not any(refused(statement) for statement in REFUSED_AFTER)  # no constraint yet

        upgrade(directory=MIGRATIONS, revision="0004")
        assert snapshot() == rows
        assert all(refused(statement) for statement in REFUSED_AFTER)
        # The constraints the tables had before are still there, and so are the foreign keys.
        assert refused("UPDATE registrations SET status = 'hadir'")
        assert refused("UPDATE users SET role = 'superuser'")
        assert refused("DELETE FROM organizations WHERE id = 1")
        assert refused("INSERT INTO registrations (id, event_id, organization_id, full_name, position, phone, "
                       "email, status, ticket_token, consented_at, source, created_at, updated_at) VALUES "
                       "(2, 1, 2, 'Budi', 'Analis', '+6281200000002', 'budi@example.go.id', 'registered', "
                       "'tok-2', '2022-06-01 00:00:00', 'form', '2022-06-01 00:00:00', '2022-06-01 00:00:00')")
        if db.engine.dialect.name == "sqlite":
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1

        downgrade(directory=MIGRATIONS, revision=before)
        assert snapshot() == rows
        assert not any(refused(statement) for statement in REFUSED_AFTER)
        assert refused("UPDATE registrations SET status = 'hadir'")
        db.session.remove()
        db.engine.dispose()
