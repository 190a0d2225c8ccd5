"""one pre-test and one post-test per event, kept by the database

Revision ID: 0018_one_test_each
Revises: 0013_certificate_snapshot
Create Date: 2026-12-10 10:00:00

Until now only the code refused a second pre-test or post-test, so two admins creating one at the
same moment could make two. Where an event has more than one, the first (lowest id) stays the test:
it is the one the results and the certificate rule already read. Every later one is kept, with its
questions and responses, as an evaluation form ("evaluasi") whose title says what it was, e.g.
"Post-test Hari 2 (post-test kedua #14)"; each one changed is logged. Nothing is deleted.
A downgrade drops the index and leaves the converted forms as they are.
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = "0018_one_test_each"
down_revision = "0017_agenda_jp"
branch_labels = None
depends_on = None

TESTS = "kind IN ('pretest', 'posttest')"
log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    _convert_extra_tests()
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.create_index("uq_evaluation_forms_one_test_each", ["event_id", "kind"], unique=True,
                              sqlite_where=sa.text(TESTS), postgresql_where=sa.text(TESTS))


def downgrade():
    with op.batch_alter_table("evaluation_forms", schema=None) as batch_op:
        batch_op.drop_index("uq_evaluation_forms_one_test_each")


def _convert_extra_tests():
    connection = op.get_bind()
    forms = sa.table("evaluation_forms", sa.column("id", sa.Integer), sa.column("event_id", sa.Integer),
                     sa.column("kind", sa.String), sa.column("title", sa.String))
    rows = connection.execute(
        sa.select(forms.c.id, forms.c.event_id, forms.c.kind, forms.c.title)
        .where(forms.c.kind.in_(("pretest", "posttest"))).order_by(forms.c.id)
    ).all()
    first = set()
    for form_id, event_id, kind, title in rows:
        if (event_id, kind) not in first:
            first.add((event_id, kind))
            continue
        new_title = f"{title} ({kind} kedua #{form_id})"[:300]
        connection.execute(forms.update().where(forms.c.id == form_id).values(kind="evaluasi", title=new_title))
        log.warning("evaluation form %s of event %s was a second %s: kept as an evaluation form titled %r",
                    form_id, event_id, kind, new_title)
