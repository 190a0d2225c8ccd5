"""The database keeps the invariants, on SQLite and PostgreSQL alike, and the migrations match the models."""
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Attendance, Registration, RegistrationStatus


def test_migrations_build_exactly_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_sqlite_connections_have_wal_foreign_keys_and_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def insert_fails(model, **values):
    db.session.add(model(**values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_one_attendance_per_person_per_day(make):
    event = make.event()
    registration = make.registration(event)
    db.session.add(Attendance(event_id=event.id, registration_id=registration.id, event_day_id=event.days[0].id))
    db.session.commit()
    insert_fails(Attendance, event_id=event.id, registration_id=registration.id, event_day_id=event.days[0].id)


def test_attendance_day_must_belong_to_the_registrations_event(make):
    event = make.event()
    other = make.event(slug="lain", dates=(date(2022, 7, 1),))
    registration = make.registration(event)
    insert_fails(Attendance, event_id=event.id, registration_id=registration.id, event_day_id=other.days[0].id)
    insert_fails(Attendance, event_id=other.id, registration_id=registration.id, event_day_id=other.days[0].id)


def test_a_registration_needs_an_opd_taking_part_in_its_event(make):
    event = make.event(opds=1)
    outsider = make.organizations(2)[1]
    insert_fails(Registration, event_id=event.id, organization_id=outsider.id, ticket_token="t1",
                 **make.participant())


def test_ticket_tokens_nip_and_email_are_unique_per_event(make):
    event = make.event()
    first = make.registration(event)
    organization_id = first.organization_id
    base = dict(event_id=event.id, organization_id=organization_id, full_name="X", position="Y", phone="+6281200000000")
    insert_fails(Registration, ticket_token=first.ticket_token, email="lain@example.go.id", **base)
    insert_fails(Registration, nip=first.nip, email="lain2@example.go.id", **base)
    insert_fails(Registration, email=first.email, **base)
    insert_fails(Registration, nip="123", email="lain3@example.go.id", **base)


def test_the_database_refuses_a_status_outside_the_enum(make):
    event = make.event()
    registration = make.registration(event)
    assert registration.status is RegistrationStatus.REGISTERED
    base = make.participant()
    # Python lets the string through: the CHECK constraint is what refuses it.
    insert_fails(Registration, event_id=event.id, organization_id=registration.organization_id,
                 status="hadir", **base)
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE registrations SET status = 'hadir'"))
    db.session.rollback()
    db.session.execute(text("UPDATE registrations SET status = 'cancelled'"))
    db.session.commit()
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.CANCELLED


@pytest.mark.parametrize(("table", "column", "good", "bad"), [
    ("users", "role", "operator", "superuser"),
    ("organizations", "kind", "kelurahan", "rsud"),
    ("attendances", "method", "camera", "telepati"),
    ("scan_logs", "result", "unknown_ticket", "lolos"),
    ("scan_logs", "method", "scanner", "telepati"),
    ("materials", "visibility", "public", "rahasia"),
])
def test_every_enum_column_has_its_check_constraint(make, table, column, good, bad):
    event = make.event()
    registration = make.registration(event)
    operator = make.user("op@example.go.id", role="admin")
    db.session.execute(text(
        "INSERT INTO attendances (event_id, registration_id, event_day_id, checked_in_at, method, created_at) "
        "VALUES (:event, :registration, :day, CURRENT_TIMESTAMP, 'manual', CURRENT_TIMESTAMP)"
    ), {"event": event.id, "registration": registration.id, "day": event.days[0].id})
    db.session.execute(text(
        "INSERT INTO scan_logs (event_id, result, method, created_at, operator_id) "
        "VALUES (:event, 'checked_in', 'camera', CURRENT_TIMESTAMP, :operator)"
    ), {"event": event.id, "operator": operator.id})
    db.session.execute(text(
        "INSERT INTO materials (event_id, title, original_name, stored_name, content_type, size, visibility, "
        "position, created_at, updated_at) VALUES (:event, 'T', 'a.pdf', 's1', 'application/pdf', 1, "
        "'participants', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    ), {"event": event.id})
    db.session.commit()

    db.session.execute(text(f"UPDATE {table} SET {column} = :value"), {"value": good})
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text(f"UPDATE {table} SET {column} = :value"), {"value": bad})
    db.session.rollback()
