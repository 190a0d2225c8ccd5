"""Migration 0025_form_windows WITH data, on SQLite and PostgreSQL: forms that exist keep "anyone registered
may answer"; a form made after it is "Hanya peserta yang sudah hadir" unless said otherwise."""
import importlib

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

# The revision before, from the script itself: the lead re-chains migrations when merging.
BEFORE = importlib.import_module("migrations.versions.0025_form_windows").down_revision


def add_form(id_, **present_only):
    columns = ", present_only" if present_only else ""
    values = ", :present_only" if present_only else ""
    run(f"INSERT INTO evaluation_forms (id, event_id, kind, title, anonymous, show_score, created_at{columns}) "
        f"VALUES (:id, 1, 'evaluasi', 'Evaluasi', :no, :no, '2022-06-01 08:00:00'{values})",
        id=id_, no=False, **present_only)


def test_0025_keeps_existing_forms_open_to_everyone_and_new_ones_to_those_present(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    add_form(1)
    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    add_form(2)
    add_form(3, present_only=False)
    assert run("SELECT id, present_only FROM evaluation_forms ORDER BY id").all() == [(1, False), (2, True),
                                                                                       (3, False)]
    downgrade(revision=BEFORE)
    assert run("SELECT id FROM evaluation_forms ORDER BY id").scalars().all() == [1, 2, 3]
    upgrade()
