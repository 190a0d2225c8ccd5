"""message base url: the address a scheduled message was scheduled from, for its links

Revision ID: 0012_message_base_url
Revises: 0009
Create Date: 2026-12-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0012_message_base_url"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("base_url", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("scheduled_reminders", schema=None) as batch_op:
        batch_op.drop_column("base_url")
