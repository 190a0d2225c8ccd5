"""attendances: recorded late ("susulan"), when and by whom

Revision ID: 0005
Revises: 0011_evaluation
Create Date: 2026-12-01 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from app.models.types import UTCDateTime

revision = "0005"
down_revision = "0011_evaluation"  # today's head (its id is the full name)
branch_labels = None
depends_on = None


def upgrade():
    # Rows already there were recorded the old way: none of them is marked late.
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_late_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("recorded_late_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_attendances_recorded_late_by_id_users"), "users", ["recorded_late_by_id"], ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("attendances", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_attendances_recorded_late_by_id_users"), type_="foreignkey")
        batch_op.drop_column("recorded_late_by_id")
        batch_op.drop_column("recorded_late_at")
