"""enums: CHECK constraints on an OPD's kind, a check-in's method and a scan's result and method

The models' enums (app/models) are VARCHAR columns with a CHECK constraint each
(`sa.Enum(..., native_enum=False, create_constraint=True)`). Registration status, user
role and material visibility had theirs already (same names, same SQL); this adds the
others. The columns keep their type and their rows.

SQLite cannot add a constraint to a table, so batch mode copies each table into a new
one. `organizations` is referenced by other tables, and SQLite would refuse to drop it
while its rows are referenced: migrations/env.py turns foreign keys off for the whole run
(Alembic's advice for batch mode) and checks them once at its end.

Revision ID: 0004
Revises: 0003_scan_log_indexes
Create Date: 2026-12-01 14:40:00

"""
from alembic import op

revision = "0004"
down_revision = "0003_scan_log_indexes"
branch_labels = None
depends_on = None

METHODS = "'camera', 'scanner', 'manual', 'import'"
RESULTS = "'checked_in', 'already_checked_in', 'unknown_ticket', 'cancelled', 'not_event_day', 'future_day', 'undone'"
KINDS = "'sekretariat', 'inspektorat', 'badan', 'dinas', 'satuan', 'kecamatan', 'kelurahan', 'lainnya'"

# table → [(constraint name, condition)]
CHECKS = {
    "organizations": [("ck_organizations_kind_known", f"kind IN ({KINDS})")],
    "attendances": [("ck_attendances_method_known", f"method IN ({METHODS})")],
    "scan_logs": [
        ("ck_scan_logs_result_known", f"result IN ({RESULTS})"),
        ("ck_scan_logs_method_known", f"method IN ({METHODS})"),
    ],
}


def _refuse_unknown_values():
    """Stop with a readable message rather than a constraint error if a row holds another value."""
    bind = op.get_bind()
    for table, checks in CHECKS.items():
        for name, condition in checks:
            column = condition.split()[0]
            found = bind.exec_driver_sql(
                f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL AND NOT ({condition})"
            ).scalars().all()
            if found:
                raise RuntimeError(f"{table}.{column} holds values {name} would refuse: {found!r}; correct them first")


def upgrade():
    _refuse_unknown_values()
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(op.f(name), condition)


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _condition in checks:
                batch_op.drop_constraint(op.f(name), type_="check")
