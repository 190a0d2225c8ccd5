"""messages: the outbox, scheduled reminders, the edit link's secret, change history, the event's contact

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-01 14:45:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = "0008"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("cause", sa.String(length=100), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("lease_expires_at", app.models.types.UTCDateTime(), nullable=True),
        sa.Column("sent_at", app.models.types.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("channel IN ('email', 'whatsapp')", name=op.f("ck_outbox_messages_channel_known")),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')",
                           name=op.f("ck_outbox_messages_status_known")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_outbox_messages_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"],
                                name=op.f("fk_outbox_messages_registration_id_registrations"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("cause", "kind", "channel", "recipient",
                            name=op.f("uq_outbox_messages_cause_kind_channel_recipient")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_messages_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_messages_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_messages_registration_id"), ["registration_id"], unique=False)

    op.create_table(
        "registration_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("old_values", sa.Text(), nullable=False),
        sa.Column("changed_at", app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"],
                                name=op.f("fk_registration_changes_registration_id_registrations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_changes")),
    )
    with op.batch_alter_table("registration_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_changes_registration_id"), ["registration_id"],
                              unique=False)

    op.create_table(
        "scheduled_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("audience", sa.String(length=40), nullable=False),
        sa.Column("event_day_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("send_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("done_at", app.models.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'done')", name=op.f("ck_scheduled_reminders_status_known")),
        sa.ForeignKeyConstraint(["event_day_id"], ["event_days.id"],
                                name=op.f("fk_scheduled_reminders_event_day_id_event_days"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_scheduled_reminders_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_reminders")),
        sa.UniqueConstraint("event_id", "kind", "audience", "event_day_id", "send_at",
                            name=op.f("uq_scheduled_reminders_event_id_kind_audience_event_day_id_send_at")),
    )
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_reminders_event_id"), ["event_id"], unique=False)

    # No table is rebuilt (SQLite's batch mode would drop and copy it, and with foreign keys on, dropping
    # events or registrations cascades to their registrations or attendances): columns are added in
    # place, and the edit secret's uniqueness is a unique index.
    op.add_column("events", sa.Column("contact_name", sa.String(length=200), nullable=True))
    op.add_column("events", sa.Column("contact_phone", sa.String(length=20), nullable=True))
    op.add_column("events", sa.Column("edits_close_at", app.models.types.UTCDateTime(), nullable=True))

    # Every existing registration gets its own edit secret.
    op.add_column("registrations", sa.Column("edit_token", sa.String(length=64), nullable=False, server_default=""))
    connection = op.get_bind()
    registrations = sa.table("registrations", sa.column("id", sa.Integer), sa.column("edit_token", sa.String))
    for (registration_id,) in connection.execute(sa.select(registrations.c.id)).all():
        connection.execute(
            registrations.update().where(registrations.c.id == registration_id)
            .values(edit_token=secrets.token_urlsafe(32))
        )
    op.create_index(op.f("ix_registrations_edit_token"), "registrations", ["edit_token"], unique=True)
    if connection.dialect.name == "postgresql":
        op.alter_column("registrations", "edit_token", server_default=None)


def downgrade():
    # SQLite 3.35+ drops a column in place (no rebuild, so no cascade).
    op.drop_index(op.f("ix_registrations_edit_token"), table_name="registrations")
    op.drop_column("registrations", "edit_token")
    op.drop_column("events", "edits_close_at")
    op.drop_column("events", "contact_phone")
    op.drop_column("events", "contact_name")
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_reminders_event_id"))
    op.drop_table("scheduled_reminders")
    with op.batch_alter_table("registration_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_changes_registration_id"))
    op.drop_table("registration_changes")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_messages_registration_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_event_id"))
        batch_op.drop_index("ix_outbox_messages_due")
    op.drop_table("outbox_messages")
