"""certificate snapshot: what a certificate states is fixed at issue; an event's numbers may start later

Revision ID: 0013_certificate_snapshot
Revises: 0009
Create Date: 2026-12-08 10:00:00

Existing certificates get today's values of their registration (NIP, role) and of their event's
settings (signer, place, issue date), which is what their PDF showed until now.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


revision = "0013_certificate_snapshot"
down_revision = "0009"
branch_labels = None
depends_on = None

SNAPSHOT_COLUMNS = ("nip", "role", "signer_name", "signer_nip", "signer_position", "issue_place", "issued_on")


def upgrade():
    with op.batch_alter_table("certificate_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq_start", sa.Integer(), server_default=sa.text("1"), nullable=False))
        batch_op.create_check_constraint(batch_op.f("ck_certificate_settings_seq_start_positive"), "seq_start >= 1")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nip", sa.String(length=18), server_default="", nullable=False))
        batch_op.add_column(sa.Column("role", sa.String(length=20), server_default="peserta", nullable=False))
        batch_op.add_column(sa.Column("signer_name", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signer_nip", sa.String(length=18), server_default="", nullable=False))
        batch_op.add_column(sa.Column("signer_position", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("issue_place", sa.String(length=100), server_default="", nullable=False))
        batch_op.add_column(sa.Column("issued_on", sa.Date(), nullable=True))
    _fill_from_current_values()
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.alter_column("issued_on", existing_type=sa.Date(), nullable=False)


def _fill_from_current_values():
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT c.id, c.issued_at, r.nip, r.role, e.timezone, s.signer_name, s.signer_nip, s.signer_position, "
        "s.issue_place, s.issue_date FROM certificates c "
        "JOIN registrations r ON r.id = c.registration_id JOIN events e ON e.id = c.event_id "
        "LEFT JOIN certificate_settings s ON s.event_id = c.event_id"
    )).all()
    update = sa.text(
        "UPDATE certificates SET nip = :nip, role = :role, signer_name = :signer_name, signer_nip = :signer_nip, "
        "signer_position = :signer_position, issue_place = :issue_place, issued_on = :issued_on WHERE id = :id"
    )
    for (certificate_id, issued_at, nip, role, timezone, signer_name, signer_nip, signer_position,
         issue_place, issue_date) in rows:
        connection.execute(update, {
            "id": certificate_id, "nip": nip or "", "role": role or "peserta", "signer_name": signer_name or "",
            "signer_nip": signer_nip or "", "signer_position": signer_position or "",
            "issue_place": issue_place or "", "issued_on": _as_date(issue_date) or _local_date(issued_at, timezone),
        })


def _as_date(value):
    if value is None or not isinstance(value, str):
        return value
    return datetime.fromisoformat(value).date()


def _local_date(issued_at, timezone):
    """The issue date in the event's time zone, from a stored UTC time (a string on SQLite)."""
    if isinstance(issued_at, str):
        issued_at = datetime.fromisoformat(issued_at)
    if issued_at.tzinfo is None:
        issued_at = issued_at.replace(tzinfo=UTC)
    return issued_at.astimezone(ZoneInfo(timezone or "Asia/Jakarta")).date()


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        for name in reversed(SNAPSHOT_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("certificate_settings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_certificate_settings_seq_start_positive"), type_="check")
        batch_op.drop_column("seq_start")
