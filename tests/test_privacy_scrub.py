"""Erasure erases (issue 20): after "Minta hapus" is granted, or the purge, no value the person ever had
stays in any text or JSON column, nor in the database's files (SQLite's file and WAL; PostgreSQL's pages,
dead row versions and index entries included); and a search by NIP, phone or e-mail goes by POST."""
import json
import re
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import JSON, String, Text, text

from app.extensions import db
from app.models import DeletionRequest, EvaluationForm, PersonalDataAccess, Registration
from app.models.privacy import REQUEST_DONE
from app.privacy.services import request_deletion, scrub_storage
from tests.evaluation_support import add_question, answers_for, create_form
from tests.privacy_support import a_person_leaves_traces
from tests.sqlite_files import read_sqlite_file

PAST = (date.today() - timedelta(days=800), date.today() - timedelta(days=799))
# As the committee and the person typed them: earlier and current values, spaced, and e-mails' local parts.
TYPED = ["0813 1111 0001", "0813 1111 0003", "xena.baru", "yusuf"]


def values_in_columns(values):
    """(table.column, value) for every text or JSON column of every table holding one of `values`."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            for (stored,) in db.session.execute(db.select(column).where(column.is_not(None))):
                shown = stored if isinstance(stored, str) else json.dumps(stored, ensure_ascii=False)
                found += [(f"{table.name}.{column.name}", value) for value in values if value in shown]
    return found


def values_in_files(values):
    """(file or relation, value) for every value still in the database's storage: SQLite's file and WAL as
    bytes; every page of PostgreSQL's tables, their TOAST and their indexes (pageinspect)."""
    wanted = [(value, value.encode()) for value in values]
    if db.engine.dialect.name == "sqlite":
        path = db.engine.url.database
        found = []
        for name in (path, path + "-wal"):
            try:
                content = read_sqlite_file(name)
            except FileNotFoundError:
                continue
            found += [(name.rsplit("/", 1)[-1], value) for value, raw in wanted if raw in content]
        return found
    found = []
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        relations = connection.exec_driver_sql(
            "SELECT c.oid::regclass::text, pg_relation_size(c.oid) / current_setting('block_size')::int"
            " FROM pg_class c WHERE c.relkind IN ('r', 'i', 't') AND ("
            "  c.relnamespace = 'public'::regnamespace"
            "  OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = 'public'::regnamespace)"
            "  OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.reltoastrelid = i.indrelid"
            "               WHERE t.relnamespace = 'public'::regnamespace))"
        ).all()
        for name, blocks in relations:
            for block in range(blocks):
                page = connection.exec_driver_sql("SELECT get_raw_page(%s, %s)", (name, block)).scalar_one()
                found += [(name, value) for value, raw in wanted if raw in page]
    return found


def wait_for_transactions_before(xid, seconds=120):
    """Until no transaction of the server that started before `xid` (or whose snapshot is older) is running."""
    for _ in range(seconds * 10):
        older = db.session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ("
            " backend_xid::text::bigint <= :xid OR backend_xmin::text::bigint <= :xid)"), {"xid": xid}).scalar_one()
        db.session.commit()
        if not older:
            return
        time.sleep(0.1)
    raise AssertionError(f"transactions older than {xid} still running after {seconds} s")


def more_traces(client, make, event, yusuf):
    """What issue 20 found left behind: searches for the earlier e-mail and phone and for an e-mail's local
    part, contact details typed into a named evaluation, and a deletion request's reason."""
    for typed in ("xena@example.go.id", "0813 1111 0001", "xena.baru", "yusuf"):
        assert client.post(f"/admin/acara/{event.slug}/peserta", data={"q": typed}).status_code == 200
    form_id = create_form(client, event, title="Kontak lanjutan")  # a named form
    assert add_question(client, event, form_id, kind="long", text="Boleh dihubungi di", required="").status_code == 303
    form = db.session.get(EvaluationForm, form_id)
    typed = "hubungi 0813 1111 0003 atau yusuf@example.go.id"
    answered = client.post(f"/tiket/{yusuf.ticket_token}/evaluasi/{form_id}", data=answers_for(form, typed))
    assert answered.status_code == 200
    request_deletion(yusuf, "tolong hapus data saya, nomor 0813 1111 0003")
    db.session.commit()


@pytest.fixture
def fresh_files(app):
    """Tables whose files hold nothing of earlier tests. The suite empties its tables with DELETE
    (tests/conftest.py), which leaves earlier tests' rows in PostgreSQL's pages as dead row versions (the same
    factory NIPs as this test's) until a VACUUM: TRUNCATE gives every table new, empty files."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(t.name for t in db.metadata.sorted_tables)} RESTART IDENTITY"))
        db.session.commit()


@pytest.mark.parametrize("how", ["erasure", "purge"])
def test_nothing_the_person_ever_had_stays_in_a_column_or_a_file(fresh_files, client, make, admin, smtp, runner,
                                                                 how):
    event = make.event(dates=PAST)
    yusuf, _code, values = a_person_leaves_traces(client, make, event, smtp)
    more_traces(client, make, event, yusuf)
    values = values + TYPED
    assert {value for _where, value in values_in_columns(values)} >= set(values)
    db.session.commit()  # nothing of this test's own holds an old row version for PostgreSQL
    if how == "erasure":
        # Since a seat handed over is a new person, Xena (who handed it over) asks for her own erasure too:
        # erasing Yusuf leaves Xena's data to her, and the test wants nothing of either left.
        xena = db.session.execute(db.select(Registration).filter_by(transferred_to_id=yusuf.id)).scalar_one()
        request_deletion(xena, "hapus juga data saya")
        db.session.commit()
        for person in (yusuf.id, xena.id):
            request_id = db.session.execute(
                db.select(DeletionRequest.id).filter_by(registration_id=person)).scalar_one()
            db.session.commit()
            assert client.post(f"/admin/acara/{event.slug}/permintaan-hapus/{request_id}",
                               data={"action": "delete"}).status_code == 303
    else:
        result = runner.invoke(args=["purge-personal-data"])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert values_in_columns(values) == []
    db.session.commit()
    if values_in_files(values) and db.engine.dialect.name == "postgresql":
        # VACUUM keeps what a transaction running at that moment may see (on a shared server, one in another
        # database too): once those have ended, the next erasure or purge removes it. An xid taken now is
        # newer than every erasure's (Xena's came after Yusuf's; under xdist another worker's transactions
        # start between the two).
        erased_by = db.session.execute(text("SELECT pg_current_xact_id()::xid::text::bigint")).scalar_one()
        db.session.commit()
        wait_for_transactions_before(erased_by)
        scrub_storage()
    assert values_in_files(values) == []
    # The facts stay: the searches happened, the request was made, the answer's form is there.
    assert db.session.execute(db.select(db.func.count()).select_from(PersonalDataAccess)
                              .filter_by(action="search")).scalar_one() >= 5
    if how == "erasure":
        assert db.session.execute(db.select(DeletionRequest.status)).scalars().all() == [REQUEST_DONE] * 2


def test_sqlite_connections_overwrite_what_they_free(app):
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
    else:  # PostgreSQL: the erasure's VACUUM, in the test above
        assert db.engine.dialect.name == "postgresql"


def test_a_search_by_nip_goes_by_post_and_keeps_the_lists_filters(client, make, admin):
    event = make.event()
    person = make.registration(event, full_name="Siti Cari", nip="198501012010012001")
    make.registration(event, full_name="Budi Lain")
    page = client.get(f"/admin/acara/{event.slug}/peserta").get_data(as_text=True)
    search_form = re.search(r'<form[^>]*role="search"[^>]*>', page).group(0)
    assert 'method="post"' in search_form
    organization = person.organization_id
    found = client.post(f"/admin/acara/{event.slug}/peserta",
                        data={"q": "1985 0101 2010", "opd": str(organization), "status": "registered"})
    assert found.status_code == 200
    shown = found.get_data(as_text=True)
    assert "Siti Cari" in shown and "Budi Lain" not in shown
    # The actions on the list come back to it without the search in their URL.
    back = set(re.findall(r'name="next" value="([^"]*)"', shown))
    assert back and all("1985" not in url and "q=" not in url for url in back)
    assert all(f"opd={organization}" in url for url in back)
    logged = db.session.execute(db.select(PersonalDataAccess.detail).filter_by(action="search")).scalars().all()
    assert logged == ["1985 0101 2010"]
