"""Migration 0018_one_test_each WITH data, on SQLite and PostgreSQL: an event that got two post-tests (the
race the code alone could not stop) keeps every form; the first stays the test, the later one becomes an
evaluation form that says what it was, and from then on the database refuses a second test."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = "0017_agenda_jp"


def add_form(id_, kind, title):
    run("INSERT INTO evaluation_forms (id, event_id, kind, title, anonymous, show_score, created_at)"
        " VALUES (:id, 1, :kind, :title, :no, :no, '2022-06-14 00:00:00')", id=id_, kind=kind, title=title, no=False)


def test_0018_keeps_a_second_test_as_an_evaluation_form_then_refuses_one(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    add_form(1, "pretest", "Pre-test")
    add_form(2, "posttest", "Post-test")
    add_form(3, "posttest", "Post-test ulang")
    add_form(4, "evaluasi", "Evaluasi Penyelenggaraan")

    upgrade()
    rows = [tuple(row) for row in run("SELECT id, kind, title FROM evaluation_forms ORDER BY id").all()]
    assert rows == [(1, "pretest", "Pre-test"), (2, "posttest", "Post-test"),
                    (3, "evaluasi", "Post-test ulang (posttest kedua #3)"), (4, "evaluasi", "Evaluasi Penyelenggaraan")]
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    with pytest.raises(IntegrityError):
        add_form(5, "posttest", "Post-test ketiga")
    add_form(6, "evaluasi", "Evaluasi kedua")  # not a test: as many as wanted

    downgrade(revision=BEFORE)
    assert run("SELECT count(*) FROM evaluation_forms").scalar_one() == 5
    upgrade()
