"""evaluation forms: "Hanya peserta yang sudah hadir" (present_only), on for new forms

Revision ID: 0025_form_windows
Revises: 0026_event_copies
Create Date: 2026-12-06 05:00:00

A new form is answered only by people checked in (on its session's day, for a speaker form). Forms
that exist keep what they were made with: anyone registered may answer them (present_only false),
so that a form already in use does not start refusing people half-way.
"""
from alembic import op
import sqlalchemy as sa


revision = "0025_form_windows"
down_revision = "0026_event_copies"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("present_only", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.execute(sa.text("UPDATE evaluation_forms SET present_only = :no").bindparams(no=False))


def downgrade():
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.drop_column("present_only")
