"""Migration 0020_reminder_channel_key WITH data, on SQLite and PostgreSQL: scheduled reminders stay, the
same message may then be scheduled once per channel, and a downgrade keeps the e-mail one of twins."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = "0019_message_templates"


def schedule(id_, channel):
    run("INSERT INTO scheduled_reminders (id, event_id, kind, audience, subject, body, send_at, status, created_at,"
        " channel, event_day_id) VALUES (:id, 1, 'reminder_day', 'all', '', '', '2022-06-12 08:00:00', 'pending',"
        " '2022-06-01 08:00:00', :channel, 1)", id=id_, channel=channel)


def test_0020_lets_one_message_be_scheduled_once_per_channel(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    schedule(1, "email")
    with pytest.raises(IntegrityError):
        schedule(2, "whatsapp")  # the old key: "already scheduled"

    upgrade()
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    schedule(2, "whatsapp")
    with pytest.raises(IntegrityError):
        schedule(3, "whatsapp")
    assert run("SELECT id, channel FROM scheduled_reminders ORDER BY id").all() == [(1, "email"), (2, "whatsapp")]

    downgrade(revision=BEFORE)
    assert run("SELECT id, channel FROM scheduled_reminders ORDER BY id").all() == [(1, "email")]
    upgrade()
