"""event copies: a material's stored file may be shared by the materials of several events

Revision ID: 0026_event_copies
Revises: 0024_event_status
Create Date: 2026-12-06 05:00:00

"Salin acara" copies an event's materials as references to the same stored files, so
materials.stored_name is no longer unique: it becomes a plain index (a download finds its file
by it, a deletion asks whether another material still holds it). A downgrade is refused while
two materials share a file: the old key cannot hold them, and a migration copies no files.
"""
from alembic import op
import sqlalchemy as sa


revision = "0026_event_copies"
down_revision = "0024_event_status"  # merged from firstbimtek-a; the lead re-chains
branch_labels = None
depends_on = None

INDEX = "ix_materials_stored_name"


def _unique_on_stored_name():
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("materials"):
        if constraint["column_names"] == ["stored_name"]:
            return constraint["name"]
    return None


def upgrade():
    old = _unique_on_stored_name()
    with op.batch_alter_table("materials", schema=None) as batch_op:
        if old:
            batch_op.drop_constraint(old, type_="unique")
        batch_op.create_index(INDEX, ["stored_name"], unique=False)


def downgrade():
    shared = op.get_bind().execute(sa.text(
        "SELECT stored_name FROM materials GROUP BY stored_name HAVING count(*) > 1"
    )).first()
    if shared is not None:
        raise RuntimeError("materials of several events share a stored file: delete the copies' materials first")
    with op.batch_alter_table("materials", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
        batch_op.create_unique_constraint(op.f("uq_materials_stored_name"), ["stored_name"])
