"""Migration 0021_device_tokens WITH data, on SQLite and PostgreSQL: API tokens stay and keep no end; a
desk's token may carry one; a downgrade drops the column and keeps the tokens."""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

REVISION = "0021_device_tokens"


def revision_before():
    """Taken from the script, not written here: the migrations may be re-chained."""
    return ScriptDirectory(str(Path(__file__).parents[1] / "migrations")).get_revision(REVISION).down_revision


def test_0021_lets_a_token_expire_and_keeps_the_tokens_there_were(blank_app):  # noqa: F811
    before = revision_before()
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=before)
    run("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES "
        "(7, 2, 'pemindai', :hash, '2022-06-01 08:00:00')", hash="a" * 64)
    tokens = run("SELECT id FROM api_tokens ORDER BY id").all()
    assert tokens == [(7,)]

    upgrade()  # to the head: the models are compared with every migration applied
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    assert run("SELECT id, expires_at FROM api_tokens ORDER BY id").all() == [(id_, None) for (id_,) in tokens]

    downgrade(revision=before)
    assert run("SELECT id FROM api_tokens ORDER BY id").all() == tokens
    upgrade()
