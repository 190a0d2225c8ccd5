"""agenda JP flag: whether an agenda item's minutes count for the certificate's JP

Revision ID: 0017_agenda_jp
Revises: 0013_certificate_snapshot
Create Date: 2026-12-10 10:00:00

Existing items are decided by their title: registration, opening and closing, speeches, breaks
and prayers are not counted; everything else is, as before.
"""
import re

from alembic import op
import sqlalchemy as sa


revision = "0017_agenda_jp"
down_revision = "0012_message_base_url"
branch_labels = None
depends_on = None

# A copy of app/events/agenda_jp.py as it was at this revision (a migration must not import app code).
NOT_TEACHING = re.compile(
    r"\b(registrasi|registration|pembukaan|penutupan|sambutan|ishoma|istirahat|coffee[\s-]*break|rehat|doa)\b",
    re.IGNORECASE,
)


def upgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counts_for_jp", sa.Boolean(), server_default=sa.true(), nullable=False))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, title FROM agenda_items")).all()
    not_counted = [{"id": item_id, "no": False} for item_id, title in rows if NOT_TEACHING.search(title or "")]
    if not_counted:
        connection.execute(sa.text("UPDATE agenda_items SET counts_for_jp = :no WHERE id = :id"), not_counted)


def downgrade():
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_column("counts_for_jp")
