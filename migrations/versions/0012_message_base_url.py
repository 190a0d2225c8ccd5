"""message base url: the address a scheduled message was scheduled from, for its links; and its channel

Revision ID: 0012_message_base_url
Revises: 0009
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0012_message_base_url"
down_revision = "0013_certificate_snapshot"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("base_url", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=20), server_default="email", nullable=False))
        batch_op.create_check_constraint(op.f("ck_scheduled_reminders_channel_known"),
                                         "channel IN ('email', 'whatsapp')")


def downgrade():
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_scheduled_reminders_channel_known"), type_="check")
        batch_op.drop_column("channel")
        batch_op.drop_column("base_url")
