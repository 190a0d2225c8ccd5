"""Migration 0007 from the 0003 schema WITH data, on SQLite and PostgreSQL: everything lands in the
default tenant, nothing cascades away while SQLite rebuilds tables, imported rows lose their invented
consent time, and the result is exactly the models."""
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import Registration
from config import TestingConfig

BEFORE = "0003_scan_log_indexes"
CONSENT = datetime(2022, 6, 1, 2, 0)
INVENTED = datetime(2022, 6, 5, 3, 0)


@pytest.fixture
def blank_app(database_url, tmp_path):
    """An app on an empty database of its own (the suite's shared one is already at head)."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
        dsn = None
    else:
        server = make_url(database_url)
        name = f"hadir_mig_{uuid.uuid4().hex[:10]}"
        dsn = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = server.set(database=name).render_as_string(hide_password=False)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(tmp_path / "uploads"))
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if dsn:
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(sql, **params):
    with db.engine.begin() as connection:
        return connection.execute(text(sql), params)


def fill_the_0003_schema():
    """The demo's shape as 0003 knew it: one event, two days, two OPDs, a form and an import
    registration, an attendance, a scan, an admin and an operator assigned to the event."""
    now = datetime(2022, 6, 1, 0, 0)
    run("INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at) "
        "VALUES (1, 'bimtek', 'Bimtek', 'Diskominfo', 'Hotel', '', 'Asia/Jakarta', :now)", now=now)
    run("INSERT INTO event_days (id, event_id, date) VALUES (1, 1, '2022-06-13'), (2, 1, '2022-06-14')")
    run("INSERT INTO organizations (id, short_name, name, kind) VALUES (1, 'Bappeda', 'Bappeda Kota Serang', 'badan'),"
        " (2, 'Diskominfo', 'Dinas Komunikasi dan Informatika', 'dinas')")
    run("INSERT INTO event_organizations (id, event_id, organization_id, quota) VALUES (1, 1, 1, 3), (2, 1, 2, 3)")
    for id_, source, consented, email in ((1, "form", CONSENT, "a@x.go.id"), (2, "import", INVENTED, "b@x.go.id")):
        run("INSERT INTO registrations (id, event_id, organization_id, full_name, nip, position, phone, email, status,"
            " ticket_token, consented_at, source, created_at, updated_at) VALUES (:id, 1, :org, :name, NULL, 'Analis',"
            " '+6281200000000', :email, 'registered', :token, :consented, :source, :now, :now)",
            id=id_, org=id_, name=f"Peserta {id_}", email=email, token=f"token-{id_}", consented=consented,
            source=source, now=now)
    run("INSERT INTO users (id, email, name, password_hash, role, active, created_at) VALUES "
        "(1, 'admin@x.go.id', '', 'x', 'admin', :yes, :now), (2, 'op@x.go.id', '', 'x', 'operator', :yes, :now)",
        yes=True, now=now)
    run("INSERT INTO event_operators (id, event_id, user_id, created_at) VALUES (1, 1, 2, :now)", now=now)
    run("INSERT INTO attendances (id, event_id, registration_id, event_day_id, checked_in_at, method, created_at) "
        "VALUES (1, 1, 1, 1, :now, 'scanner', :now)", now=now)
    run("INSERT INTO scan_logs (id, event_id, registration_id, result, created_at) "
        "VALUES (1, 1, 1, 'checked_in', :now)", now=now)


def test_upgrade_from_0003_with_data_moves_everything_into_the_default_tenant(blank_app, capfd):
    upgrade(revision=BEFORE)
    fill_the_0003_schema()
    capfd.readouterr()
    upgrade()
    said = capfd.readouterr().err  # what `flask db upgrade` prints

    tenant = run("SELECT id, slug, name FROM tenants").all()
    assert [(slug, name) for _id, slug, name in tenant] == [("kota-serang", "Pemerintah Kota Serang")]
    tenant_id = tenant[0][0]
    assert run("SELECT tenant_id FROM events").scalars().all() == [tenant_id]
    assert run("SELECT tenant_id FROM organizations").scalars().all() == [tenant_id, tenant_id]
    # Accounts keep their role; an admin without a tenant is the install administrator.
    assert run("SELECT email, role, tenant_id FROM users ORDER BY id").all() == [
        ("admin@x.go.id", "admin", None), ("op@x.go.id", "operator", None)]
    # Nothing was cascaded away while SQLite rebuilt the tables.
    assert run("SELECT count(*) FROM registrations").scalar() == 2
    assert run("SELECT count(*) FROM attendances").scalar() == 1
    assert run("SELECT count(*) FROM scan_logs").scalar() == 1
    assert run("SELECT count(*) FROM event_operators").scalar() == 1
    assert run("SELECT count(*) FROM event_organizations").scalar() == 2

    rows = {source: (basis, consented) for source, basis, consented in db.session.execute(
        db.select(Registration.source, Registration.legal_basis, Registration.consented_at)).all()}
    assert rows["import"] == ("public_task", None)  # the invented consent time is gone
    assert rows["form"] == ("consent", CONSENT.replace(tzinfo=UTC))
    assert "1 imported registration(s) now have the legal basis public_task" in said

    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []

    # A second government can now have its own Bappeda.
    run("INSERT INTO tenants (slug, name, short_name, logo_path, letterhead, privacy_contact, privacy_notice,"
        " retention_days, audit_retention_days, created_at) VALUES ('kota-bogor', 'Pemerintah Kota Bogor', 'Bogor',"
        " '', '', '', '', 730, 1095, :now)", now=datetime.now(UTC).replace(tzinfo=None))
    bogor = run("SELECT id FROM tenants WHERE slug = 'kota-bogor'").scalar()
    run("INSERT INTO organizations (id, tenant_id, short_name, name, kind) VALUES "
        "(3, :t, 'Bappeda', 'Bappeda Kota Serang', 'badan')", t=bogor)


def test_upgrade_of_an_empty_0003_database_creates_no_tenant_and_downgrade_goes_back(blank_app):
    upgrade(revision=BEFORE)
    upgrade()
    assert run("SELECT count(*) FROM tenants").scalar() == 0
    downgrade(revision=BEFORE)
    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []


def test_downgrade_with_data_keeps_the_rows(blank_app):
    upgrade(revision=BEFORE)
    fill_the_0003_schema()
    upgrade()
    downgrade(revision=BEFORE)
    assert run("SELECT count(*) FROM registrations").scalar() == 2
    assert run("SELECT count(*) FROM attendances").scalar() == 1
    assert run("SELECT count(*) FROM registrations WHERE consented_at IS NULL").scalar() == 0
