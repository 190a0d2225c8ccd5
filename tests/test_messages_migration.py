"""Migration 0008 on a database that already holds registrations: each gets its own edit secret, and it
goes back down. On SQLite and PostgreSQL, in a database of its own."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestingConfig


def test_upgrading_gives_every_registration_its_own_edit_secret_and_downgrading_works(scratch_database_url, tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url, UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        upgrade(revision="0003_scan_log_indexes")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at) "
                "VALUES (1, 'e', 'E', 'O', 'V', '', 'Asia/Jakarta', '2022-06-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO organizations (id, short_name, name, kind) VALUES (1, 'D', 'Dinas D', 'dinas')"))
            connection.execute(text("INSERT INTO event_organizations (event_id, organization_id) VALUES (1, 1)"))
            for n in (1, 2):
                connection.execute(text(
                    "INSERT INTO registrations (id, event_id, organization_id, full_name, position, phone, email, "
                    "status, ticket_token, consented_at, source, created_at, updated_at) VALUES "
                    f"({n}, 1, 1, 'P{n}', 'A', '+6281200000{n:03d}', 'p{n}@x.id', 'registered', 't{n}', "
                    "'2022-06-01 00:00:00', 'form', '2022-06-01 00:00:00', '2022-06-01 00:00:00')"))
            connection.execute(text("INSERT INTO event_days (id, event_id, date) VALUES (1, 1, '2022-06-13')"))
            connection.execute(text(
                "INSERT INTO attendances (event_id, registration_id, event_day_id, checked_in_at, method, created_at) "
                "VALUES (1, 1, 1, '2022-06-13 01:00:00', 'scanner', '2022-06-13 01:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            tokens = connection.execute(text("SELECT edit_token FROM registrations ORDER BY id")).scalars().all()
        assert len(tokens) == 2 and len(set(tokens)) == 2 and all(len(token) >= 43 for token in tokens)
        # Nothing was rebuilt, so nothing cascaded away.
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM attendances")).scalar() == 1
        downgrade(revision="0003_scan_log_indexes")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM registrations")).scalar() == 2
            assert connection.execute(text("SELECT count(*) FROM attendances")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_upgrading_through_0006_keeps_what_refers_to_users_and_events(scratch_database_url, tmp_path):
    """0006 rebuilds `users` and `events` on SQLite: an operator's event access, an API token, the operator
    of a check-in and the event's registrations must all survive the copies, both ways."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url, UPLOAD_FOLDER=str(tmp_path))
    statements = [
        "INSERT INTO users (id, email, name, password_hash, role, active, created_at) "
        "VALUES (1, 'op@x.id', 'Op', 'x', 'operator', true, '2022-06-01 00:00:00')",
        "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) "
        "VALUES (1, 1, 'scanner', 'h', '2022-06-01 00:00:00')",
        "INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at) "
        "VALUES (1, 'e', 'E', 'O', 'V', '', 'Asia/Jakarta', '2022-06-01 00:00:00')",
        "INSERT INTO event_operators (id, event_id, user_id, created_at) VALUES (1, 1, 1, '2022-06-01 00:00:00')",
        "INSERT INTO organizations (id, short_name, name, kind) VALUES (1, 'D', 'Dinas D', 'dinas')",
        "INSERT INTO event_organizations (event_id, organization_id) VALUES (1, 1)",
        "INSERT INTO registrations (id, event_id, organization_id, full_name, position, phone, email, status, "
        "ticket_token, consented_at, source, created_at, updated_at) VALUES (1, 1, 1, 'P', 'A', '+6281200000001', "
        "'p@x.id', 'registered', 't1', '2022-06-01 00:00:00', 'form', '2022-06-01 00:00:00', '2022-06-01 00:00:00')",
        "INSERT INTO event_days (id, event_id, date) VALUES (1, 1, '2022-06-13')",
        "INSERT INTO attendances (event_id, registration_id, event_day_id, checked_in_at, method, operator_id, "
        "created_at) VALUES (1, 1, 1, '2022-06-13 01:00:00', 'scanner', 1, '2022-06-13 01:00:00')",
    ]
    counts = ("SELECT (SELECT count(*) FROM api_tokens), (SELECT count(*) FROM event_operators), "
              "(SELECT count(*) FROM registrations), (SELECT count(*) FROM event_days), "
              "(SELECT operator_id FROM attendances)")
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
        upgrade(revision="0006")
        with db.engine.connect() as connection:
            assert tuple(connection.execute(text(counts)).one()) == (1, 1, 1, 1, 1)
            assert connection.execute(text("SELECT session_generation FROM users")).scalar()
        downgrade(revision="0005")
        with db.engine.connect() as connection:
            assert tuple(connection.execute(text(counts)).one()) == (1, 1, 1, 1, 1)
        db.session.remove()
        db.engine.dispose()


def test_upgrading_to_0012_keeps_scheduled_messages_by_e_mail_with_no_address(scratch_database_url, tmp_path):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database_url, UPLOAD_FOLDER=str(tmp_path))
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO tenants (id, slug, name, short_name, logo_path, letterhead, privacy_contact, "
                "privacy_notice, retention_days, audit_retention_days, created_at) VALUES (1, 'kota-serang', "
                "'Pemerintah Kota Serang', 'Serang', '', '', '', '', 730, 1095, '2022-06-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at, "
                "tenant_id) SELECT 1, 'e', 'E', 'O', 'V', '', 'Asia/Jakarta', '2022-06-01 00:00:00', min(id) "
                "FROM tenants"))
            connection.execute(text(
                "INSERT INTO scheduled_reminders (id, event_id, kind, audience, subject, body, send_at, status, "
                "created_at) VALUES (1, 1, 'free', 'all', 'S', 'B', '2030-06-12 08:00:00', 'pending', "
                "'2022-06-01 00:00:00')"))
        upgrade(revision="0012_message_base_url")
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT subject, base_url, channel FROM scheduled_reminders")).one() == (
                "S", None, "email")
            connection.execute(text("UPDATE scheduled_reminders SET base_url = 'https://hadir.example.go.id'"))
        downgrade(revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM scheduled_reminders")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
