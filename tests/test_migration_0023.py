"""Migration 0023_transferred_seats WITH data, on SQLite and PostgreSQL: registrations and scans stay, a
registration may then be `transferred` with a link to the one that took its seat (a scan: `transferred`),
"Lupa tiket?" lookups have their table; a downgrade refuses while a seat is transferred."""
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

# The revision before ours, from the script: the lead re-chains the migrations at merge.
BEFORE = ScriptDirectory(str(Path(__file__).resolve().parents[1] / "migrations")).get_revision(
    "0023_transferred_seats").down_revision


def test_0023_lets_a_seat_be_transferred_and_keeps_the_rows(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    with pytest.raises(IntegrityError):
        run("UPDATE registrations SET status = 'transferred' WHERE id = 1")

    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    assert run("SELECT id, status, transferred_to_id FROM registrations ORDER BY id").all() == [
        (1, "registered", None), (2, "registered", None)]
    with pytest.raises(IntegrityError):  # a link only on a transferred registration
        run("UPDATE registrations SET transferred_to_id = 2 WHERE id = 1")
    run("UPDATE registrations SET status = 'transferred', transferred_to_id = 2 WHERE id = 1")
    run("INSERT INTO scan_logs (id, event_id, registration_id, result, created_at) "
        "VALUES (2, 1, 1, 'transferred', '2022-06-13 01:00:00')")
    run("INSERT INTO ticket_lookups (id, event_id, typed, created_at) "
        "VALUES (1, 1, 'a@x.go.id', '2022-06-13 01:00:00')")

    with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's RuntimeError and exits
        downgrade(revision=BEFORE)
    assert run("SELECT status FROM registrations WHERE id = 1").scalar_one() == "transferred"  # nothing undone
    run("UPDATE registrations SET status = 'cancelled', transferred_to_id = NULL WHERE id = 1")
    downgrade(revision=BEFORE)
    assert run("SELECT result FROM scan_logs ORDER BY id").scalars().all() == ["checked_in"]
    assert run("SELECT id, status FROM registrations ORDER BY id").all() == [(1, "cancelled"), (2, "registered")]
    upgrade()
