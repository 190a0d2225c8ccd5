"""certificates: per-event settings, certificates, and a role and badge-printed time on registrations

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-01 14:40:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("jp_override", sa.Integer(), nullable=True),
        sa.Column("jp_rounding", sa.String(length=10), nullable=False),
        sa.Column("min_days", sa.Integer(), nullable=True),
        sa.Column("require_evaluation", sa.Boolean(), nullable=False),
        sa.Column("min_post_test_score", sa.Integer(), nullable=True),
        sa.Column("number_pattern", sa.String(length=200), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_nip", sa.String(length=18), nullable=False),
        sa.Column("signer_position", sa.String(length=200), nullable=False),
        sa.Column("signer_image", sa.String(length=100), nullable=True),
        sa.Column("background", sa.String(length=100), nullable=True),
        sa.Column("background_kind", sa.String(length=10), nullable=True),
        sa.Column("layout", sa.Text(), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("issue_place", sa.String(length=100), nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("jp_override IS NULL OR jp_override >= 0",
                           name=op.f("ck_certificate_settings_jp_not_negative")),
        sa.CheckConstraint("min_days IS NULL OR min_days >= 1", name=op.f("ck_certificate_settings_min_days_positive")),
        sa.CheckConstraint("min_post_test_score IS NULL OR min_post_test_score BETWEEN 0 AND 100",
                           name=op.f("ck_certificate_settings_min_post_test_score_percent")),
        sa.CheckConstraint("jp_rounding IN ('down', 'nearest', 'up')",
                           name=op.f("ck_certificate_settings_jp_rounding_known")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_certificate_settings_event_id_events"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_settings")),
        sa.UniqueConstraint("event_id", name=op.f("uq_certificate_settings_event_id")),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("organization_name", sa.String(length=300), nullable=False),
        sa.Column("jp", sa.Integer(), nullable=False),
        sa.Column("issued_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", app.models.types.UTCDateTime(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=300), nullable=False),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_certificates_seq_positive")),
        sa.CheckConstraint("jp >= 0", name=op.f("ck_certificates_jp_not_negative")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_certificates_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id", "event_id"], ["registrations.id", "registrations.event_id"],
                                name=op.f("fk_certificates_registration_id_event_id_registrations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("event_id", "seq", name=op.f("uq_certificates_event_id_seq")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_registration_id"), ["registration_id"], unique=False)
        batch_op.create_index("uq_certificates_active_registration", ["registration_id"], unique=True,
                              sqlite_where=sa.text("revoked_at IS NULL"),
                              postgresql_where=sa.text("revoked_at IS NULL"))
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), server_default="peserta", nullable=False))
        batch_op.add_column(sa.Column("badge_printed_at", app.models.types.UTCDateTime(), nullable=True))
        batch_op.create_check_constraint("role_known", "role IN ('peserta', 'narasumber', 'panitia')")


def downgrade():
    with op.batch_alter_table("registrations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_registrations_role_known"), type_="check")
        batch_op.drop_column("badge_printed_at")
        batch_op.drop_column("role")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("uq_certificates_active_registration")
        batch_op.drop_index(batch_op.f("ix_certificates_registration_id"))
    op.drop_table("certificates")
    op.drop_table("certificate_settings")
