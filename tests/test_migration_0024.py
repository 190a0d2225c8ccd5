"""Migration 0024_event_status WITH data, on SQLite and PostgreSQL: every existing event is open (it was
taking registrations), a row written without the column is open too, and no other value is stored."""
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = importlib.import_module("migrations.versions.0024_event_status").down_revision


def test_0024_makes_existing_events_open_and_keeps_the_status_to_its_values(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)

    upgrade()
    assert run("SELECT id, status FROM events").all() == [(1, "open")]
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    run("INSERT INTO events (id, slug, tenant_id, title, organizer_name, venue, description, timezone, created_at)"
        " SELECT 2, 'lama', tenant_id, 'Lama', 'X', 'Y', '', 'Asia/Jakarta', created_at FROM events WHERE id = 1")
    run("UPDATE events SET status = 'draft' WHERE id = 1")
    assert run("SELECT id, status FROM events ORDER BY id").all() == [(1, "draft"), (2, "open")]
    with pytest.raises(IntegrityError):
        run("UPDATE events SET status = 'archived' WHERE id = 2")

    downgrade(revision=BEFORE)
    assert run("SELECT count(*) FROM events").scalar_one() == 2
    upgrade()
    assert run("SELECT status FROM events ORDER BY id").scalars().all() == ["open", "open"]
