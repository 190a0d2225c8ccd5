"""accounts: a session generation per user, failed logins per account, foreign phones per event

On SQLite, batch mode rebuilds `users` (a column made NOT NULL) and `events` (a column with a
server default): it copies the table and drops the old one. With foreign keys on (the app turns
them on for every connection), dropping `events` would cascade to its registrations, days and
attendances, and dropping `users` to operators' event access and API tokens; so migrations/env.py
turns foreign keys off for the whole run and checks them once at its end.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.String(length=32), nullable=True))
    # Each user a value of their own. Sessions made before (whose id has no generation) end.
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_generation", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_generation=secrets.token_hex(16))
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("session_generation", existing_type=sa.String(length=32), nullable=False)

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("foreign_phones_allowed", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failed_at", app.models.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_email_failed_at", ["email", "failed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_failed_at"), ["failed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_failed_at"))
        batch_op.drop_index("ix_login_failures_email_failed_at")
    op.drop_table("login_failures")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("foreign_phones_allowed")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
