"""committee: an event's paperwork (signature block, phone switch, transport rate) and the admin audit log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_paperwork",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("signature_place_date", sa.String(length=200), nullable=False),
        sa.Column("signature_role", sa.String(length=200), nullable=False),
        sa.Column("signature_name", sa.String(length=200), nullable=False),
        sa.Column("signature_nip", sa.String(length=18), nullable=True),
        sa.Column("phone_on_daftar_hadir", sa.Boolean(), nullable=False),
        sa.Column("transport_rate", sa.Integer(), nullable=True),
        sa.Column("updated_at", app.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("transport_rate IS NULL OR transport_rate >= 0",
                           name=op.f("ck_event_paperwork_transport_rate_not_negative")),
        sa.CheckConstraint("signature_nip IS NULL OR length(signature_nip) = 18",
                           name=op.f("ck_event_paperwork_signature_nip_18_digits")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_paperwork_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_paperwork")),
    )
    op.create_table(
        "admin_audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_user_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=254), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_admin_audit_log_actor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["target_user_id"], ["users.id"],
                                name=op.f("fk_admin_audit_log_target_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_audit_log")),
    )
    with op.batch_alter_table("admin_audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_audit_log_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_audit_log_target_user_id"), ["target_user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("admin_audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_audit_log_target_user_id"))
        batch_op.drop_index(batch_op.f("ix_admin_audit_log_created_at"))
    op.drop_table("admin_audit_log")
    op.drop_table("event_paperwork")
