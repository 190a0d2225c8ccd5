"""The database keeps the invariants, on SQLite and PostgreSQL alike, and the migrations match the models."""
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Attendance, Registration


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
