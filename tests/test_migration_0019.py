"""Migration 0019_message_templates WITH data, on SQLite and PostgreSQL: the events, registrations and
messages already there stay as they were, a template can then be stored once per event and kind, and
a downgrade drops only the committee's texts."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = "0018_one_test_each"


def add_template(id_, kind, subject="Besok: {acara}"):
    run("INSERT INTO message_templates (id, event_id, kind, subject, body, updated_at)"
        " VALUES (:id, 1, :kind, :subject, 'Yth. {nama}, {tautan_tiket}', '2022-06-12 08:00:00')",
        id=id_, kind=kind, subject=subject)


def test_0019_keeps_every_row_and_holds_one_template_per_event_and_kind(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    before = run("SELECT id, full_name, email FROM registrations ORDER BY id").all()
    assert before

    upgrade()
    assert run("SELECT id, full_name, email FROM registrations ORDER BY id").all() == before
    assert run("SELECT title FROM events").scalar_one() == "Bimtek"
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    add_template(1, "reminder_before")
    add_template(2, "ticket")
    with pytest.raises(IntegrityError):
        add_template(3, "reminder_before", "Besok lagi")
    with pytest.raises(IntegrityError):
        add_template(4, "free")
    assert run("SELECT kind, subject FROM message_templates ORDER BY id").all() == [
        ("reminder_before", "Besok: {acara}"), ("ticket", "Besok: {acara}")]

    downgrade(revision=BEFORE)
    assert run("SELECT id, full_name, email FROM registrations ORDER BY id").all() == before
    upgrade()
    assert run("SELECT count(*) FROM message_templates").scalar_one() == 0
