"""message templates: the committee's own subject and body per event and kind of message

Revision ID: 0019_message_templates
Revises: 0018_one_test_each
Create Date: 2026-12-11 10:00:00

A new table only: every existing row stays as it is, and an event without a template keeps the
built-in texts. A downgrade drops the committee's texts (the built-in ones are used again).
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = "0019_message_templates"
down_revision = "0018_one_test_each"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("confirmation", "ticket", "reminder_before", "reminder_day", "absent",
                                  name="kind_known", native_enum=False, create_constraint=True, length=30),
                  nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_message_templates_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_templates")),
        sa.UniqueConstraint("event_id", "kind", name=op.f("uq_message_templates_event_id_kind")),
    )


def downgrade():
    op.drop_table("message_templates")
