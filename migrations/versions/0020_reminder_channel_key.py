"""scheduled reminders: the same message may be scheduled once per channel (e-mail and WhatsApp)

Revision ID: 0020_reminder_channel_key
Revises: 0019_message_templates
Create Date: 2026-12-12 10:00:00

The key that makes the standard reminders, scheduled twice, one reminder now includes the channel:
before, a WhatsApp copy of a message already scheduled by e-mail was refused as "already
scheduled". The old constraint's name was longer than PostgreSQL's 63 characters (the server cut
it), so it is found by its columns; the new one has a short name of its own. Rows are kept; a
downgrade drops the WhatsApp copies that the old key cannot hold beside their e-mail twin.
"""
from alembic import op
import sqlalchemy as sa


revision = "0020_reminder_channel_key"
down_revision = "0019_message_templates"
branch_labels = None
depends_on = None

OLD_COLUMNS = ["event_id", "kind", "audience", "event_day_id", "send_at"]
OLD_NAME = "uq_scheduled_reminders_event_id_kind_audience_event_day_id_send_at"
NEW_NAME = "uq_scheduled_reminders_once"


def _unique_named(columns):
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("scheduled_reminders"):
        if constraint["column_names"] == columns:
            return constraint["name"]
    return None


def upgrade():
    old = _unique_named(OLD_COLUMNS)
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        if old:
            batch_op.drop_constraint(old, type_="unique")
        batch_op.create_unique_constraint(NEW_NAME, [*OLD_COLUMNS, "channel"])


def downgrade():
    reminders = sa.table("scheduled_reminders", *(sa.column(name) for name in ["id", *OLD_COLUMNS, "channel"]))
    twin = reminders.alias("twin")
    op.execute(
        reminders.delete().where(
            reminders.c.channel == "whatsapp",
            sa.exists().where(twin.c.channel != "whatsapp",
                              *(twin.c[name] == reminders.c[name] for name in OLD_COLUMNS)),
        )
    )
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.drop_constraint(NEW_NAME, type_="unique")
        batch_op.create_unique_constraint(op.f(OLD_NAME), OLD_COLUMNS)
