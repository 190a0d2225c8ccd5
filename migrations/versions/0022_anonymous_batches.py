"""anonymous answers wait sealed and reach the responses in shuffled batches; k per form

Revision ID: 0022_anonymous_batches
Revises: 0025_form_windows
Create Date: 2026-12-06 05:00:00

`evaluation_forms.min_respondents` (k, 5 by default, 3–500): an anonymous form's answers are written
in batches of at least k and its results are shown from k respondents on. `evaluation_pending_answers`
holds an anonymous answer until its batch is written: sealed, under a random key, with no registration,
no time and (on SQLite) no rowid. Existing responses stay as they are.
"""
from alembic import op
import sqlalchemy as sa


revision = "0022_anonymous_batches"
down_revision = "0025_form_windows"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_respondents", sa.Integer(), server_default="5", nullable=False))
        batch_op.create_check_constraint(op.f("ck_evaluation_forms_min_respondents_in_range"),
                                         "min_respondents >= 3 AND min_respondents <= 500")
    op.create_table(
        "evaluation_pending_answers",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["form_id"], ["evaluation_forms.id"],
                                name=op.f("fk_evaluation_pending_answers_form_id_evaluation_forms"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_evaluation_pending_answers")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("evaluation_pending_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_pending_answers_form_id"), ["form_id"], unique=False)


def downgrade():
    with op.batch_alter_table("evaluation_pending_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_pending_answers_form_id"))
    op.drop_table("evaluation_pending_answers")
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_evaluation_forms_min_respondents_in_range"), type_="check")
        batch_op.drop_column("min_respondents")
