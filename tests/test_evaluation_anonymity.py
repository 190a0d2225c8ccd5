"""Anonymous in the database, not only on the page (issue 20).

The linking attempts that worked before, replayed on each database: PostgreSQL's `xmin` (a completion
and its response written in one transaction) and `ctid` (rows in the order of submission); SQLite's WAL
replayed one commit at a time (each commit held a completion and its response); ids and order. And the
page: results and raw answers of an anonymous form only from k respondents, and "Belum mengisi" naming
nobody below k.
"""
import io
import sqlite3
import struct
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import update

from app.evaluation.batches import seal, unseal
from app.evaluation.results import registrations_without_response
from app.extensions import db
from app.messages.reminders import audience_members
from app.messages.worker import tick
from app.models import EvaluationForm, PendingAnswers, Response, utcnow
from tests.evaluation_support import add_question, answer, create_form
from tests.sqlite_files import read_sqlite_file

PEOPLE = 10


def anonymous_form(client, event, **settings):
    form_id = create_form(client, event, anonymous="y", **settings)
    add_question(client, event, form_id, text="Kepuasan")
    add_question(client, event, form_id, kind="long", text="Saran", required="")
    return db.session.get(EvaluationForm, form_id)


def suggestions_in_order(order_by):
    """The suggestions (one per person, "orang <n>") of the stored responses, in the order `order_by` gives."""
    rows = db.session.execute(db.text(
        "SELECT a.value FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id"
        f" JOIN evaluation_questions q ON q.id = a.question_id WHERE q.kind = 'long' ORDER BY {order_by}"
    )).scalars().all()
    return rows


def answer_in_turn(client, make, event, form, people=PEOPLE):
    organizations = make.event_organization_list(event)
    typed = []
    for n in range(people):
        text = f"Saran dari orang {n:02d}"
        answer(client, make.registration(event, organizations[n % 3]), form, str(1 + n % 5), text)
        typed.append(text)
    return typed


def _wal_commits(wal):
    """The byte offsets in `wal` (a SQLite WAL file) just after each commit frame."""
    page_size = struct.unpack(">I", wal[8:12])[0]
    offsets, offset = [], 32
    while offset + 24 + page_size <= len(wal):
        commit_size = struct.unpack(">I", wal[offset + 4:offset + 8])[0]
        offset += 24 + page_size
        if commit_size:
            offsets.append(offset)
    return offsets


def _state_after(database, wal, end, folder, n):
    """What the tables held once the WAL's commits up to byte `end` were applied to `database`."""
    copy = folder / f"replay-{n}.sqlite"
    copy.write_bytes(database)
    (folder / f"replay-{n}.sqlite-wal").write_bytes(wal[:end])
    connection = sqlite3.connect(copy)
    try:
        completions = set(connection.execute("SELECT form_id, registration_id FROM evaluation_completions"))
        responses = connection.execute(
            "SELECT a.value FROM evaluation_responses r JOIN evaluation_answers a ON a.response_id = r.id"
            " JOIN evaluation_questions q ON q.id = a.question_id WHERE q.kind = 'long' ORDER BY r.rowid"
        ).fetchall()
    finally:
        connection.close()
    return completions, [value for (value,) in responses]


def test_no_commit_and_no_order_links_a_completion_to_its_response(client, admin, make, tmp_path):
    """PostgreSQL: `r.xmin = c.xmin` and `ctid` order; SQLite: the WAL replayed one commit at a time; both:
    the responses' ids. Before, each linked every answer to its person."""
    event = make.event(quota=None)
    form = anonymous_form(client, event)
    sqlite = db.engine.dialect.name == "sqlite"
    if sqlite:  # from here on every commit is a sequence of frames in the WAL, after a clean database file
        db.session.commit()  # no read of ours may hold the checkpoint back
        with db.engine.connect() as connection:
            busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        assert busy == 0
        database = read_sqlite_file(db.engine.url.database)
    typed = answer_in_turn(client, make, event, form)
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 0  # all waiting
    tick()  # the message worker's pass writes the batch
    assert sorted(suggestions_in_order("r.id")) == typed
    assert suggestions_in_order("r.id") != typed  # ids are not the order of submission
    assert suggestions_in_order("a.id") != typed
    assert db.session.execute(db.select(PendingAnswers)).first() is None
    if sqlite:
        assert suggestions_in_order("r.rowid") != typed
        wal = read_sqlite_file(db.engine.url.database + "-wal")
        commits = _wal_commits(wal)
        assert len(commits) >= PEOPLE
        before: tuple[set, list] = (set(), [])
        completions_seen, batches = [], []
        for n, end in enumerate(commits):
            completions, responses = _state_after(database, wal, end, tmp_path, n)
            new_completions, new_responses = completions - before[0], responses[len(before[1]):]
            assert not (new_completions and new_responses), "a commit holds a completion and a response"
            completions_seen += new_completions
            if new_responses:
                batches.append(new_responses)
            before = (completions, responses)
        assert len(completions_seen) == PEOPLE
        [batch] = batches  # one commit wrote them all …
        assert sorted(batch) == typed and batch != typed  # … not in the order of submission
        return
    for table in ("evaluation_responses", "evaluation_answers"):
        linked = db.session.execute(db.text(
            f"SELECT count(*) FROM evaluation_completions c JOIN {table} r ON r.xmin = c.xmin"
        )).scalar_one()
        assert linked == 0
    # One transaction wrote every response, and their places in the table are not the order of submission.
    assert db.session.execute(db.text("SELECT count(DISTINCT xmin::text) FROM evaluation_responses")).scalar_one() == 1
    assert suggestions_in_order("r.ctid") != typed
    assert suggestions_in_order("a.ctid") != typed


def test_answers_wait_sealed_with_no_trace_of_who_or_when(client, admin, make, app):
    event = make.event(quota=None)
    form = anonymous_form(client, event)
    answer(client, make.registration(event), form, "2", "pendek")
    answer(client, make.registration(event), form, "4", "Panjang sekali " * 30)
    waiting = db.session.execute(db.select(PendingAnswers)).scalars().all()
    assert len(waiting) == 2
    assert {len(row.sealed) for row in waiting} == {12 + 1024 + 16}  # padded: the length tells nothing
    for row in waiting:
        assert b"pendek" not in row.sealed and b"Panjang" not in row.sealed
        assert len(row.token) == 32 and row.form_id == form.id
    columns = {column.name for column in PendingAnswers.__table__.columns}
    assert columns == {"token", "form_id", "sealed"}
    opened = [unseal(form.id, row.sealed) for row in waiting]
    assert sorted(answers[form.questions[1].id][0][:6] for answers in opened) == ["Panjan", "pendek"]
    assert unseal(form.id + 1, waiting[0].sealed) is None  # sealed for its form only
    # Who holds the database but not SECRET_KEY cannot open them; a key changed with the old one kept as a
    # fallback still can.
    old = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another-key"
    assert unseal(form.id, waiting[0].sealed) is None
    app.config["SECRET_KEY_FALLBACKS"] = [old]
    assert unseal(form.id, waiting[0].sealed) is not None
    assert unseal(form.id, seal(form.id, {1: ["x"]})) == {1: ["x"]}


def test_results_and_raw_answers_show_from_k_respondents(client, admin, make):
    event = make.event(quota=None)
    form = anonymous_form(client, event)
    results = f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil"
    raw = f"/admin/acara/{event.slug}/evaluasi/{form.id}/jawaban.xlsx"
    answer(client, make.registration(event, full_name="Siti Sendiri"), form, "1", "Kritik tajam")
    tick()
    page = client.get(results).get_data(as_text=True)
    assert "Kritik tajam" not in page and "perlu 4 jawaban lagi" in page
    download = client.get(raw)
    assert download.status_code == 303 and download.headers["Location"].endswith(results)
    wb = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    cells = [str(cell) for row in wb["Evaluasi"].iter_rows(values_only=True) for cell in row if cell is not None]
    assert "mulai 5 responden" in " ".join(cells) and "Kesepuluh" not in cells
    for n in range(4):
        answer(client, make.registration(event), form, "5", f"Saran {n}")
    page = client.get(results).get_data(as_text=True)
    assert "sedang disimpan" in page and "Kritik tajam" not in page  # five waiting for the worker
    tick()
    page = client.get(results).get_data(as_text=True)
    assert "Kritik tajam" in page and "perlu" not in page and "Siti" not in page
    assert client.get(raw).status_code == 200


def test_k_is_set_per_form_in_the_console_within_bounds(client, admin, make):
    event = make.event(quota=None)
    form = anonymous_form(client, event)
    assert form.min_respondents == 5
    settings = {"title": form.title, "agenda_item": "", "anonymous": "y"}
    refused = client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}", data={**settings, "min_respondents": "2"})
    assert refused.status_code == 422 and "Antara 3 dan 500 responden." in refused.get_data(as_text=True)
    saved = client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}", data={**settings, "min_respondents": "3"})
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(EvaluationForm, form.id).min_respondents == 3
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}").get_data(as_text=True)
    assert 'name="min_respondents"' in page and 'value="3"' in page
    for n in range(3):
        answer(client, make.registration(event), form, "4", f"Saran {n}")
    tick()
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 3


def test_a_form_that_closes_below_k_writes_what_waits_and_still_shows_nothing(client, admin, make):
    event = make.event(quota=None)
    form = anonymous_form(client, event)
    for n in range(2):
        answer(client, make.registration(event), form, "3", f"Saran {n}")
    tick()
    assert db.session.execute(db.select(Response)).first() is None  # 2 of 5: they wait
    db.session.execute(update(EvaluationForm).where(EvaluationForm.id == form.id)
                       .values(opens_at=utcnow() - timedelta(days=2), closes_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    tick()
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 2
    assert db.session.execute(db.select(PendingAnswers)).first() is None
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil").get_data(as_text=True)
    assert "Saran 0" not in page and "perlu 3 jawaban lagi" in page


def test_belum_mengisi_names_nobody_who_answered_an_anonymous_form_below_k(client, admin, make):
    event = make.event(quota=None)
    form = anonymous_form(client, event, min_respondents="3")
    first = make.registration(event, full_name="Ani Pertama")
    others = [make.registration(event) for _ in range(3)]
    answer(client, first, form, "5", "")
    audience = {registration.id for registration in audience_members(event, f"unanswered:{form.id}")}
    assert first.id in audience and len(audience) == 4  # everyone: leaving Ani out would name her
    assert first.id in {r.id for r in db.session.execute(registrations_without_response(form)).scalars()}
    answer(client, others[0], form, "4", "")
    answer(client, others[1], form, "4", "")
    audience = {registration.id for registration in audience_members(event, f"unanswered:{form.id}")}
    assert audience == {others[2].id}  # from k on, those who answered are left out


def test_with_redis_the_kth_answer_wakes_an_rq_worker_that_writes_the_batch(client, admin, make, runner,
                                                                            redis_job_queue):
    from rq import Queue

    from app.messages.jobs import deliver_job

    event = make.event(quota=None)
    form = anonymous_form(client, event, min_respondents="3")
    typed = answer_in_turn(client, make, event, form, people=3)
    queue = Queue("hadir-messages", connection=redis_job_queue)
    assert {job.func for job in queue.jobs} == {deliver_job}  # each held answer woke a worker
    assert db.session.execute(db.select(Response)).first() is None
    result = runner.invoke(args=["messages", "work", "--burst"])
    assert result.exit_code == 0, result.output
    assert sorted(suggestions_in_order("r.id")) == typed


def test_workers_writing_batches_at_once_write_each_answer_once(app, client, admin, make):
    import threading

    from app.evaluation.batches import flush_due_batches
    from tests.concurrency import run_in_threads

    event = make.event(quota=None)
    form = anonymous_form(client, event)
    typed = answer_in_turn(client, make, event, form, people=6)
    db.session.commit()
    barrier = threading.Barrier(3, timeout=30)
    written, errors = [], []

    def worker():
        try:
            with app.app_context():
                barrier.wait()
                written.append(flush_due_batches())
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))

    run_in_threads(worker, [()] * 3)
    assert errors == []
    assert sorted(written) == [0, 0, 6]
    assert sorted(suggestions_in_order("r.id")) == typed
    assert db.session.execute(db.select(PendingAnswers)).first() is None
