"""events: a status, draft or open; every existing event is open

Revision ID: 0024_event_status
Revises: 0020_reminder_channel_key
Create Date: 2026-12-06 05:00:00

A new event starts as a draft (set up, takes no registration) and "Buka pendaftaran" opens it
once its checklist is complete. Events that exist already were taking registrations, so they are
`open`; so is a row written later without the column (the server default), as before this change.
The column is a VARCHAR kept to its values by a CHECK constraint, like the other enums (0004).
"""
from alembic import op
import sqlalchemy as sa


revision = "0024_event_status"
down_revision = "0020_reminder_channel_key"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="open", nullable=False))
        batch_op.create_check_constraint(op.f("ck_events_status_known"), "status IN ('draft', 'open')")


def downgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_events_status_known"), type_="check")
        batch_op.drop_column("status")
