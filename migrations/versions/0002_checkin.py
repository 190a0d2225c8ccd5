"""check-in: which events an operator may work on

Revision ID: 0002_checkin
Revises: a793b66e3311
Create Date: 2026-11-28 06:15:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.types


revision = "0002_checkin"
down_revision = "a793b66e3311"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "event_operators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_operators_event_id_events"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_operators_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_operators")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_operators_event_id_user_id")),
    )
    with op.batch_alter_table("event_operators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_operators_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_operators_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("event_operators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_operators_user_id"))
        batch_op.drop_index(batch_op.f("ix_event_operators_event_id"))
    op.drop_table("event_operators")
