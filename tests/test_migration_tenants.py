"""Migration 0007 from the 0003 schema WITH data, on SQLite and PostgreSQL: everything lands in the
default tenant, nothing cascades away while SQLite rebuilds tables, imported rows lose their invented
consent time, and the result is exactly the models."""
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from app.models import Registration
from tests.migration_support import BEFORE, CONSENT, fill_the_0003_schema, run


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
