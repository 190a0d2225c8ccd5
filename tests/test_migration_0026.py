"""Migration 0026_event_copies WITH data, on SQLite and PostgreSQL: materials keep their files, two
materials may then share one stored file (a copied event's), and a downgrade is refused while they do."""
import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = importlib.import_module("migrations.versions.0026_event_copies").down_revision
NAME = "0123456789abcdef0123456789abcdef"


def material(id_):
    run("INSERT INTO materials (id, event_id, title, original_name, stored_name, content_type, size, visibility,"
        " position, created_at, updated_at) VALUES (:id, 1, 'KAK', 'kak.pdf', :name, 'application/pdf', 10,"
        " 'public', 0, '2022-06-01 00:00:00', '2022-06-01 00:00:00')", id=id_, name=NAME)


def test_0026_lets_materials_share_a_stored_file(blank_app, capfd):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    material(1)
    with pytest.raises(IntegrityError):
        material(2)  # the old key: one material per stored file

    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    material(2)
    assert run("SELECT id, stored_name FROM materials ORDER BY id").all() == [(1, NAME), (2, NAME)]

    with pytest.raises(SystemExit):  # Flask-Migrate logs the RuntimeError and exits
        downgrade(revision=BEFORE)
    assert "share a stored file" in capfd.readouterr().err
    assert run("SELECT count(*) FROM materials").scalar_one() == 2  # nothing changed
    run("DELETE FROM materials WHERE id = 2")
    downgrade(revision=BEFORE)
    assert run("SELECT id, stored_name FROM materials").all() == [(1, NAME)]
    with pytest.raises(IntegrityError):
        material(2)
    upgrade()
