"""transferred seats: "ganti peserta" makes a new registration; "Lupa tiket?" lookups wait for the worker

Revision ID: 0023_transferred_seats
Revises: 0021_device_tokens
Create Date: 2026-12-06 05:00:00

A seat handed to a colleague is a new registration; the old one keeps the previous holder's data
for the SPJ with the status `transferred` and a link to the new one (`transferred_to_id`). The
status's CHECK constraint and the scan log's result (a transferred ticket scanned) take the new
value. `ticket_lookups` holds a "Lupa tiket?" request until the worker looks the person up, so
the request itself does the same work for a known and an unknown address.

A downgrade refuses while a registration is transferred (the old schema cannot say so).
"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = "0023_transferred_seats"
down_revision = "0021_device_tokens"
branch_labels = None
depends_on = None

OLD_STATUSES = "'registered', 'cancelled'"
NEW_STATUSES = "'registered', 'cancelled', 'transferred'"
OLD_RESULTS = "'checked_in', 'already_checked_in', 'unknown_ticket', 'cancelled', 'not_event_day', 'future_day', 'undone'"
NEW_RESULTS = OLD_RESULTS + ", 'transferred'"


def upgrade():
    op.create_table(
        "ticket_lookups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("typed", sa.String(length=254), nullable=False),
        sa.Column("base_url", sa.String(length=200), nullable=True),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_ticket_lookups_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_lookups")),
    )
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("transferred_to_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_registrations_transferred_to_id"), ["transferred_to_id"])
        batch_op.create_foreign_key(batch_op.f("fk_registrations_transferred_to_id_registrations"), "registrations",
                                    ["transferred_to_id"], ["id"], ondelete="SET NULL")
        batch_op.drop_constraint(batch_op.f("ck_registrations_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_status_known"),
                                         f"status IN ({NEW_STATUSES})")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_transfer_has_status"),
                                         "transferred_to_id IS NULL OR status = 'transferred'")
    with op.batch_alter_table("scan_logs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_scan_logs_result_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_scan_logs_result_known"), f"result IN ({NEW_RESULTS})")


def downgrade():
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT count(*) FROM registrations WHERE status = 'transferred'").scalar():
        raise RuntimeError("registrations hold transferred seats, which the older schema cannot keep")
    bind.exec_driver_sql("DELETE FROM scan_logs WHERE result = 'transferred'")
    with op.batch_alter_table("scan_logs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_scan_logs_result_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_scan_logs_result_known"), f"result IN ({OLD_RESULTS})")
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_registrations_transfer_has_status"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_registrations_status_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_status_known"),
                                         f"status IN ({OLD_STATUSES})")
        batch_op.drop_constraint(batch_op.f("fk_registrations_transferred_to_id_registrations"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_registrations_transferred_to_id"), type_="unique")
        batch_op.drop_column("transferred_to_id")
    op.drop_table("ticket_lookups")
