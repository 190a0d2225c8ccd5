"""Migration 0022_anonymous_batches WITH data, on SQLite and PostgreSQL: existing forms get k = 5, the
database refuses a k below 3, and answers waiting for their batch go with their form."""
import importlib.util
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

_path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / "0022_anonymous_batches.py"
_spec = importlib.util.spec_from_file_location("migration_0022", _path)
assert _spec is not None and _spec.loader is not None
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)
BEFORE = _migration.down_revision  # whatever the lead chains it after


def test_0022_gives_every_form_k_and_a_table_for_answers_waiting(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    run("INSERT INTO evaluation_forms (id, event_id, kind, title, anonymous, show_score, created_at)"
        " VALUES (1, 1, 'evaluasi', 'Evaluasi Penyelenggaraan', :yes, :no, '2022-06-14 00:00:00')", yes=True, no=False)

    upgrade()
    assert run("SELECT min_respondents FROM evaluation_forms").scalar_one() == 5
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    with pytest.raises(IntegrityError):
        run("UPDATE evaluation_forms SET min_respondents = 2")
    run("INSERT INTO evaluation_pending_answers (token, form_id, sealed) VALUES ('a1', 1, :sealed)", sealed=b"x")
    run("DELETE FROM evaluation_forms")
    assert run("SELECT count(*) FROM evaluation_pending_answers").scalar_one() == 0

    downgrade(revision=BEFORE)
    upgrade()
