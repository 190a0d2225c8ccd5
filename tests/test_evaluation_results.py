"""What the committee reads of the answers: results page, raw answers, workbook sheets; and anonymity."""
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from app.evaluation import services
from app.evaluation.results import completed_every_evaluation, post_test_percentages, registrations_without_response
from app.extensions import db
from app.messages.worker import tick
from app.models import Answer, Completion, EvaluationForm, Registration, Response
from tests.evaluation_support import add_question, answer, build_test, create_form, likert_form, present
from tests.query_counts import counted_queries


def test_results_page_shows_rate_distribution_mean_and_texts(client, admin, make):
    event = make.event()
    form = likert_form(client, event, anonymous=False)  # an anonymous one shows nothing below k: test_batches.py
    people = [make.registration(event) for _ in range(3)]
    for person in people:
        present(person)
    answer(client, people[0], form, "5", "4", "=HYPERLINK(\"http://evil\")")
    answer(client, people[1], form, "4", "2", "")
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil").get_data(as_text=True)
    assert "66,7%" in page  # 2 answers, 3 present, written as Indonesian writes decimals
    assert "rata-rata 4,50" in page and "rata-rata 3,00" in page
    assert '=HYPERLINK(&#34;http://evil&#34;)' in page
    assert page.count("<meter") == 10


def test_anonymous_answers_cannot_be_joined_to_a_person(client, admin, make):
    event = make.event()
    form = likert_form(client, event, min_respondents="3")
    person = make.registration(event, full_name="Siti Rahasia")
    answer(client, person, form, "1", "1", "Kritik tajam")
    for _ in range(2):
        answer(client, make.registration(event), form, "4", "4", "Baik")
    tick()  # the worker writes the batch of three
    stored = db.session.execute(db.select(Response)).scalars().all()
    assert {(r.registration_id, r.submitted_at, r.anonymous) for r in stored} == {(None, None, True)}
    # What ties the person to the form has no time, no id and (on SQLite) no rowid to order it by.
    columns = {column["name"] for column in inspect(db.engine).get_columns("evaluation_completions")}
    assert columns == {"form_id", "registration_id"}
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(Exception, match="rowid"):
            db.session.execute(db.text("SELECT rowid FROM evaluation_completions")).all()
        db.session.rollback()
    assert person.id in db.session.execute(db.select(Completion.registration_id)).scalars().all()
    # The database refuses a named answer to an anonymous form.
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Response).values(form_id=form.id, anonymous=True, registration_id=person.id))
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Response).values(form_id=form.id, anonymous=False, registration_id=person.id))
    db.session.rollback()
    # Neither the raw answers nor the page name anyone.
    raw = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/jawaban.xlsx")
    sheet = load_workbook(io.BytesIO(raw.data)).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Kritik tajam" in cells
    assert not any("Siti" in cell or person.nip in cell or person.email in cell for cell in cells)
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil").get_data(as_text=True)
    assert "Siti" not in page and "Kritik tajam" in page


def test_anonymous_answers_leave_in_an_order_that_is_not_the_order_of_submission(client, admin, make):
    event = make.event()
    form = likert_form(client, event)
    organizations = make.event_organization_list(event)
    typed = [f"Saran dari orang ke-{n}" for n in range(8, 0, -1)]  # submitted 8, 7, … 1
    for n, text in enumerate(typed):
        answer(client, make.registration(event, organizations[n % 3]), form, str(5 - n // 2), "3", text)
    tick()
    sheet = load_workbook(io.BytesIO(client.get(
        f"/admin/acara/{event.slug}/evaluasi/{form.id}/jawaban.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "No")
    assert header == ("No", "1. Kesesuaian materi", "2. Konsumsi", "3. Saran")  # no id, nobody
    body = [row for row in rows if row and isinstance(row[0], int)]
    assert [row[0] for row in body] == list(range(1, 9))
    exported = [row[3] for row in body]
    assert sorted(exported) == sorted(typed) and exported != typed
    assert [row[1] for row in body] == sorted(row[1] for row in body)  # by the answers, the same each time
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil").get_data(as_text=True)
    shown = sorted(typed, key=page.index)
    assert shown == sorted(typed) and shown != typed


def test_a_forms_anonymity_cannot_change_once_answered(client, admin, make):
    event = make.event()
    form = likert_form(client, event)
    answer(client, make.registration(event), form, "3", "3")
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}",
                           data={"title": form.title, "agenda_item": ""})
    assert response.status_code == 422
    assert "sifat anonim formulir tidak dapat diubah" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EvaluationForm, form.id).anonymous is True


def test_named_raw_answers_carry_names_and_scores_and_no_formula(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    person = make.registration(event, full_name="Budi")
    answer(client, person, form, "0", ["0", "1"], "@SUM(1)")
    sheet = load_workbook(io.BytesIO(client.get(
        f"/admin/acara/{event.slug}/evaluasi/{form.id}/jawaban.xlsx").data)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert rows == [(1, "Budi", person.nip, "Dinas Contoh 1", "Serang", "Smart governance; Smart branding",
                     "@SUM(1)", 5, 5)]
    formula_cells = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formula_cells == []


def test_pre_post_gain_on_the_page_and_in_the_workbook(client, admin, make):
    event = make.event()
    pre = build_test(client, event, kind="pretest")
    post_id = create_form(client, event, kind="posttest", title="Post-test", copy_from=str(pre.id))
    post = db.session.get(EvaluationForm, post_id)
    evaluation = likert_form(client, event, anonymous=False)
    ani, budi, citra = (make.registration(event, full_name=name) for name in ("Ani", "Budi", "Citra"))
    answer(client, ani, pre, "1", ["2"])      # 0 %
    answer(client, ani, post, "0", ["0", "1"])  # 100 %
    answer(client, budi, pre, "0", ["2"])     # 40 %
    answer(client, budi, post, "0", ["2"])    # 40 %
    answer(client, citra, pre, "0", ["0", "1"])  # only a pre-test
    answer(client, ani, evaluation, "5", "4")
    answer(client, budi, evaluation, "3", "4")

    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{post.id}/hasil").get_data(as_text=True)
    assert "50 poin" in page  # mean of +100 and 0
    assert "50%" in page  # one of two improved

    wb = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert {"Evaluasi", "Pre-Post Test"} <= set(wb.sheetnames)
    gain = [row for row in wb["Pre-Post Test"].iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert [(row[1], row[4], row[5], row[6]) for row in gain] == [
        ("Ani", 0, 100, 100), ("Budi", 40, 40, 0), ("Citra", 100, None, None)]
    evaluations = [row for row in wb["Evaluasi"].iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert [(row[3], row[4], row[5], row[6:11]) for row in evaluations] == [
        ("Kesesuaian materi", 2, 4, (0, 0, 1, 0, 1)), ("Konsumsi", 2, 4, (0, 0, 0, 2, 0))]


def test_the_evaluasi_sheet_counts_each_choice_of_single_and_multiple_choice_questions(client, admin, make):
    event = make.event()
    form_id = create_form(client, event, anonymous="y", min_respondents="3")
    add_question(client, event, form_id, text="Kepuasan")
    add_question(client, event, form_id, kind="single", text="Sesi terbaik", choices="Kebijakan\nQuick win\nDiskusi")
    add_question(client, event, form_id, kind="multiple", text="Yang kurang", choices="Konsumsi\nRuangan\nWaktu",
                 required="")
    form = db.session.get(EvaluationForm, form_id)
    organizations = make.event_organization_list(event)
    given = [("5", "0", ["0", "2"]), ("4", "0", ["2"]), ("4", "1", None), ("3", "0", ["1", "2"])]
    for n, values in enumerate(given):
        answer(client, make.registration(event, organizations[n % 3]), form, *values)
    tick()
    wb = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    rows = list(wb["Evaluasi"].iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "No")
    assert header[-3:] == ("Pilihan", "Jumlah", "%")
    body = [row for row in rows if row and isinstance(row[0], int)]
    assert [row[0] for row in body] == list(range(1, 8))
    assert (body[0][3], body[0][4], body[0][5], body[0][11]) == ("Kepuasan", 4, 4, None)
    assert [(row[3], row[4], row[11], row[12], row[13]) for row in body[1:]] == [
        ("Sesi terbaik", 4, "Kebijakan", 3, 75), ("Sesi terbaik", 4, "Quick win", 1, 25),
        ("Sesi terbaik", 4, "Diskusi", 0, 0),
        ("Yang kurang", 3, "Konsumsi", 1, 33.3), ("Yang kurang", 3, "Ruangan", 1, 33.3),
        ("Yang kurang", 3, "Waktu", 3, 100),
    ]


def test_the_anonymous_forms_leave_the_gain_sheet_nameless(client, admin, make):
    event = make.event()
    form = likert_form(client, event)
    answer(client, make.registration(event, full_name="Dewi"), form, "4", "4")
    wb = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert "Pre-Post Test" not in wb.sheetnames
    cells = [str(cell) for row in wb["Evaluasi"].iter_rows(values_only=True) for cell in row if cell is not None]
    assert not any("Dewi" in cell for cell in cells)


def test_the_results_page_costs_the_same_queries_for_3_and_for_300_responses(client, admin, make):
    event = make.event(quota=None)
    form = build_test(client, event, kind="posttest")
    organization = make.event_organization_list(event)[0]

    def add_responses(start, count):
        rows = [{"event_id": event.id, "organization_id": organization.id, "full_name": f"P {n}",
                 "nip": f"{196001010000000000 + n}", "position": "Staf", "phone": f"+62813{n:08d}",
                 "email": f"r{n}@example.go.id", "ticket_token": f"token-{n}"} for n in range(start, start + count)]
        db.session.execute(insert(Registration), rows)
        for registration in db.session.execute(
            db.select(Registration).where(Registration.ticket_token.in_([row["ticket_token"] for row in rows]))
        ).scalars():
            services.submit_response(form, registration, {form.questions[0].id: ["0"], form.questions[1].id: ["1"],
                                                          form.questions[2].id: [f"teks {registration.id}"]})
        db.session.commit()

    def queries():
        with counted_queries() as statements:
            assert client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hasil").status_code == 200
        return len(statements)

    add_responses(0, 3)
    few = queries()
    add_responses(3, 297)
    assert queries() == few


def test_what_the_certificates_and_messages_ask_of_the_evaluations(client, admin, make):
    event = make.event()
    evaluation = likert_form(client, event, anonymous=False)  # anonymous below k: test_batches.py
    post = build_test(client, event, kind="posttest")
    done, not_done = make.registration(event), make.registration(event)
    answer(client, done, evaluation, "4", "4")
    answer(client, done, post, "0", ["0", "1"])
    assert completed_every_evaluation(event.id, [done.id, not_done.id]) == {done.id}
    assert post_test_percentages(event.id) == {done.id: 100.0}
    waiting = db.session.execute(registrations_without_response(evaluation)).scalars().all()
    assert [registration.id for registration in waiting] == [not_done.id]


def test_answers_are_deleted_with_their_registration(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    person = make.registration(event)
    answer(client, person, form, "0", ["0"])
    db.session.delete(db.session.get(Registration, person.id))
    db.session.commit()
    assert db.session.execute(db.select(db.func.count()).select_from(Answer)).scalar_one() == 0


def test_an_offline_submission_time_is_not_needed(make):
    """The service takes `now` (for tests and for imports); the form's window is checked against it."""
    event = make.event()
    form = services.create_form(event, kind="evaluasi", title="E",
                                opens_at=datetime(2022, 6, 14, 8, tzinfo=UTC), present_only=False)
    services.add_questions(form, [services.QuestionSpec("likert", "Puas?")])
    db.session.commit()
    person = make.registration(event)
    with pytest.raises(services.EvaluationRefused) as refused:
        services.submit_response(form, person, {form.questions[0].id: ["5"]},
                                 now=datetime(2022, 6, 14, 7, tzinfo=UTC))
    assert refused.value.code == "not_open"
    services.submit_response(form, person, {form.questions[0].id: ["5"]}, now=datetime(2022, 6, 14, 9, tzinfo=UTC))
    db.session.commit()
    assert services.has_answered(form, person)


def test_the_programme_overview_shows_evaluation_figures_and_nobody(client, make, auth):
    event = make.event()
    make.user("admin@example.go.id")
    auth.login("admin@example.go.id")
    form = likert_form(client, event, min_respondents="3")
    answer(client, make.registration(event, full_name="Rina"), form, "5", "4", "Mantap")
    answer(client, make.registration(event), form, "3", "4")
    answer(client, make.registration(event), form, "4", "4")
    tick()
    auth.logout()
    make.user("pengamat@kementerian.go.id", role="pengamat")
    auth.login("pengamat@kementerian.go.id")
    [figures] = [f for f in client.get("/pengamat/ringkasan.json").get_json()["events"] if f["event"] == event.slug]
    assert (figures["evaluation_responses"], figures["evaluation_mean"]) == (3, 4.0)
    page = client.get("/pengamat/").get_data(as_text=True)
    assert "Rata-rata evaluasi (1-5)" in page and "Rina" not in page and "Mantap" not in page
    sheet = load_workbook(io.BytesIO(client.get("/pengamat/ringkasan.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-3:] == ("Sertifikat terbit", "Jawaban evaluasi penyelenggaraan", "Rata-rata evaluasi (1-5)")
    assert rows[1][-3:] == (None, 3, 4.0)  # no certificate issued yet
