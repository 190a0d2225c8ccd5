"""tenants: events, OPDs and accounts belong to a tenant; legal basis, retention, audit log, deletion requests

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:45:00

Everything that exists moves into one default tenant, "Pemerintah Kota Serang" (slug
kota-serang; rename it with `flask create-tenant kota-serang "NAME"`). Existing accounts
keep their role with no tenant: admins become install administrators.

Registrations imported by the committee (source = 'import') were given an invented consent
time: they get the legal basis public_task and no consent time. Self-registrations
(source = 'form') keep their consent time with the legal basis consent. The migration logs
how many rows it changed.
"""
import logging

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

DEFAULT_TENANT = {"slug": "kota-serang", "name": "Pemerintah Kota Serang", "short_name": "Kota Serang"}
OLD_ROLES = ("admin", "operator")
NEW_ROLES = ("admin", "committee", "operator", "pengamat")
ACCESS_ACTIONS = ("export", "import", "search", "edit", "material_download", "erase", "deletion_request")
REQUEST_STATES = ("pending", "deleted", "refused")


def _count(connection, table):
    return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def _default_tenant(connection):
    """The id of the tenant that receives existing data, created only if there is data to receive."""
    if not any(_count(connection, table) for table in ("events", "organizations")):
        return None
    tenants = sa.table(
        "tenants", sa.column("id", sa.Integer), sa.column("slug", sa.String), sa.column("name", sa.String),
        sa.column("short_name", sa.String), sa.column("logo_path", sa.String), sa.column("letterhead", sa.Text),
        sa.column("privacy_contact", sa.String), sa.column("privacy_notice", sa.Text),
        sa.column("retention_days", sa.Integer), sa.column("audit_retention_days", sa.Integer),
        sa.column("created_at", app.models.types.UTCDateTime()),
    )
    connection.execute(tenants.insert().values(
        **DEFAULT_TENANT, logo_path="", letterhead="", privacy_contact="", privacy_notice="",
        retention_days=730, audit_retention_days=1095, created_at=app.models.types.utcnow(),
    ))
    return connection.execute(
        sa.text("SELECT id FROM tenants WHERE slug = :slug"), {"slug": DEFAULT_TENANT["slug"]}
    ).scalar_one()


def upgrade():
    connection = op.get_bind()
    op.create_table(
        "tenants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=60), nullable=False),
        sa.Column("logo_path", sa.String(length=255), nullable=False),
        sa.Column("letterhead", sa.Text(), nullable=False),
        sa.Column("privacy_contact", sa.String(length=300), nullable=False),
        sa.Column("privacy_notice", sa.Text(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("audit_retention_days", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("retention_days >= 0", name=op.f("ck_tenants_retention_not_negative")),
        sa.CheckConstraint("audit_retention_days >= 0", name=op.f("ck_tenants_audit_retention_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_tenants_slug")),
    )
    tenant_id = _default_tenant(connection)
    if tenant_id is not None:
        log.info("0007: existing events and OPDs moved into the tenant %s (%s)",
                 DEFAULT_TENANT["name"], DEFAULT_TENANT["slug"])

    for table in ("events", "organizations"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("tenant_id", sa.Integer(), nullable=True))
            if table == "events":
                batch_op.add_column(sa.Column("retention_days", sa.Integer(), nullable=True))
        if tenant_id is not None:
            connection.execute(sa.text(f"UPDATE {table} SET tenant_id = :id"), {"id": tenant_id})

    with op.batch_alter_table("events") as batch_op:
        batch_op.alter_column("tenant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_events_tenant_id_tenants"), "tenants", ["tenant_id"], ["id"],
                                    ondelete="RESTRICT")
        batch_op.create_index(batch_op.f("ix_events_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_check_constraint(
            batch_op.f("ck_events_retention_not_negative"), "retention_days IS NULL OR retention_days >= 0"
        )

    with op.batch_alter_table("organizations") as batch_op:
        batch_op.alter_column("tenant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_organizations_name", type_="unique")
        batch_op.drop_constraint("uq_organizations_short_name", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_organizations_tenant_id_short_name"),
                                          ["tenant_id", "short_name"])
        batch_op.create_unique_constraint(batch_op.f("uq_organizations_tenant_id_name"), ["tenant_id", "name"])
        batch_op.create_foreign_key(batch_op.f("fk_organizations_tenant_id_tenants"), "tenants", ["tenant_id"],
                                    ["id"], ondelete="RESTRICT")

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("tenant_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_users_tenant_id_tenants"), "tenants", ["tenant_id"], ["id"],
                                    ondelete="RESTRICT")
        batch_op.create_index(batch_op.f("ix_users_tenant_id"), ["tenant_id"], unique=False)
        batch_op.drop_constraint(batch_op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role_known"), f"role IN {NEW_ROLES!r}")

    with op.batch_alter_table("registrations") as batch_op:
        batch_op.add_column(sa.Column("legal_basis", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("personal_data_erased_at", app.models.types.UTCDateTime(), nullable=True))
        batch_op.alter_column("consented_at", existing_type=app.models.types.UTCDateTime(), nullable=True)
        batch_op.alter_column("phone", existing_type=sa.String(length=20), nullable=True)
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=True)
    imported = connection.execute(sa.text(
        "UPDATE registrations SET legal_basis = 'public_task', consented_at = NULL WHERE source = 'import'"
    )).rowcount
    consented = connection.execute(sa.text(
        "UPDATE registrations SET legal_basis = 'consent' WHERE legal_basis IS NULL"
    )).rowcount
    log.info("0007: %d imported registration(s) now have the legal basis public_task and no consent time; "
             "%d self-registration(s) keep their consent time (legal basis consent)", imported, consented)
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.alter_column("legal_basis", existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(batch_op.f("ck_registrations_legal_basis_known"),
                                         "legal_basis IN ('consent', 'public_task')")
        batch_op.create_check_constraint(batch_op.f("ck_registrations_consent_has_a_time"),
                                         "legal_basis <> 'consent' OR consented_at IS NOT NULL")

    op.create_table(
        "personal_data_accesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint(f"action IN {ACCESS_ACTIONS!r}", name=op.f("ck_personal_data_accesses_action_known")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_personal_data_accesses_event_id_events"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"],
                                name=op.f("fk_personal_data_accesses_tenant_id_tenants"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_personal_data_accesses_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_accesses")),
    )
    with op.batch_alter_table("personal_data_accesses") as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_data_accesses_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_data_accesses_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("refusal_reason", sa.Text(), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.Column("resolved_at", app.models.types.UTCDateTime(), nullable=True),
        sa.CheckConstraint(f"status IN {REQUEST_STATES!r}", name=op.f("ck_deletion_requests_status_known")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_deletion_requests_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["registration_id"], ["registrations.id"],
                                name=op.f("fk_deletion_requests_registration_id_registrations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"],
                                name=op.f("fk_deletion_requests_resolved_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_requests")),
        sa.UniqueConstraint("registration_id", name=op.f("uq_deletion_requests_registration_id")),
    )
    with op.batch_alter_table("deletion_requests") as batch_op:
        batch_op.create_index(batch_op.f("ix_deletion_requests_event_id"), ["event_id"], unique=False)


def downgrade():
    """Back to one OPD list for the whole install: fails if two tenants have an OPD of the same name,
    or if personal data was erased (phone and e-mail were required)."""
    op.drop_table("deletion_requests")
    op.drop_table("personal_data_accesses")
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE registrations SET consented_at = created_at WHERE consented_at IS NULL"
    ))
    with op.batch_alter_table("registrations") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_registrations_consent_has_a_time"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_registrations_legal_basis_known"), type_="check")
        batch_op.alter_column("email", existing_type=sa.String(length=254), nullable=False)
        batch_op.alter_column("phone", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("consented_at", existing_type=app.models.types.UTCDateTime(), nullable=False)
        batch_op.drop_column("personal_data_erased_at")
        batch_op.drop_column("legal_basis")
    connection.execute(sa.text(f"UPDATE users SET role = 'operator' WHERE role NOT IN {OLD_ROLES!r}"))
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role_known"), f"role IN {OLD_ROLES!r}")
        batch_op.drop_index(batch_op.f("ix_users_tenant_id"))
        batch_op.drop_constraint(batch_op.f("fk_users_tenant_id_tenants"), type_="foreignkey")
        batch_op.drop_column("tenant_id")
    with op.batch_alter_table("organizations") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organizations_tenant_id_tenants"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_organizations_tenant_id_name"), type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_organizations_tenant_id_short_name"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_organizations_short_name"), ["short_name"])
        batch_op.create_unique_constraint(batch_op.f("uq_organizations_name"), ["name"])
        batch_op.drop_column("tenant_id")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_events_retention_not_negative"), type_="check")
        batch_op.drop_index(batch_op.f("ix_events_tenant_id"))
        batch_op.drop_constraint(batch_op.f("fk_events_tenant_id_tenants"), type_="foreignkey")
        batch_op.drop_column("retention_days")
        batch_op.drop_column("tenant_id")
    op.drop_table("tenants")
