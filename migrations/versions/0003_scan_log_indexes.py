"""scan logs: drop the indexes nothing reads (each costs a page write per scan)

Revision ID: 0003_scan_log_indexes
Revises: 0002_checkin
Create Date: 2026-11-28 08:30:00

"""
from alembic import op


revision = "0003_scan_log_indexes"
down_revision = "0002_checkin"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("scan_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_logs_created_at"))
        batch_op.drop_index(batch_op.f("ix_scan_logs_event_id"))


def downgrade():
    with op.batch_alter_table("scan_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_logs_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_logs_created_at"), ["created_at"], unique=False)
