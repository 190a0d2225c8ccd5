"""Evaluation forms and tests: built in the console, answered from the ticket link."""
import io
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy.exc import IntegrityError

from app.evaluation import services
from app.events.services import add_agenda_item
from app.extensions import db
from app.models import Answer, Completion, EvaluationForm, Question, Response
from tests.concurrency import run_in_threads
from tests.evaluation_support import add_question, answers_for, build_test, create_form


def test_the_committee_builds_a_form_and_the_participant_sees_it_on_the_ticket(client, admin, make):
    event = make.event()
    form_id = create_form(client, event)
    assert add_question(client, event, form_id).status_code == 303
    assert add_question(client, event, form_id, kind="long", text="Saran", required="").status_code == 303
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form_id}").get_data(as_text=True)
    assert "Kepuasan keseluruhan" in page and "Saran" in page
    listing = client.get(f"/admin/acara/{event.slug}/evaluasi").get_data(as_text=True)
    assert "Evaluasi Penyelenggaraan" in listing

    registration = make.registration(event)
    ticket = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert f"/tiket/{registration.ticket_token}/evaluasi/{form_id}" in ticket


def test_a_question_that_cannot_be_asked_is_refused_with_its_reason(client, admin, make):
    event = make.event()
    form_id = create_form(client, event, kind="pretest", title="Pre-test")
    response = add_question(client, event, form_id, kind="single", text="Soal", choices="Satu saja", correct="A")
    assert response.status_code == 422
    assert "paling sedikit dua pilihan" in response.get_data(as_text=True)
    response = add_question(client, event, form_id, kind="single", text="Soal", choices="A\nB", correct="C")
    assert response.status_code == 422
    assert "Kunci jawaban harus huruf" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Question)).scalar_one() == 0


def test_a_test_cannot_be_anonymous(client, admin, make):
    event = make.event()
    response = client.post(f"/admin/acara/{event.slug}/evaluasi",
                           data={"kind": "posttest", "title": "Post-test", "anonymous": "y"})
    assert response.status_code == 422
    assert "tidak dapat anonim" in response.get_data(as_text=True)
    # The database keeps the rule too.
    db.session.add(EvaluationForm(event_id=event.id, kind="posttest", title="x", anonymous=True))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _default_set_page(client, event):
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/bawaan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    boxes = re.findall(r'<input type="checkbox" name="sesi" value="(\d+)" ?(checked)?', html)
    return html, {int(item_id): bool(checked) for item_id, checked in boxes}


def test_the_default_set_is_one_click_and_not_doubled(client, admin, make):
    event = make.event()
    item = add_agenda_item(event, event.days[0], "09:00", None, "Kebijakan Kota Cerdas", speaker="Dr. Sari")
    db.session.commit()
    _html, boxes = _default_set_page(client, event)
    assert boxes == {item.id: True}
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/bawaan", data={"sesi": [str(item.id)]})
    assert response.status_code == 303
    forms = services.forms_of(event)
    assert [form.kind for form in forms] == ["evaluasi", "narasumber"]
    assert all(form.anonymous for form in forms)
    texts = [question.text for question in forms[0].questions]
    assert texts[:2] == ["Kesesuaian materi dengan kebutuhan tugas Anda", "Penguasaan materi oleh narasumber"]
    assert "Konsumsi" in texts and texts[-1] == "Saran untuk penyelenggaraan berikutnya"
    assert "Dr. Sari" in forms[1].title
    client.post(f"/admin/acara/{event.slug}/evaluasi/bawaan", data={"sesi": [str(item.id)]})
    assert len(services.forms_of(event)) == 2
    assert "sudah punya formulir" in _default_set_page(client, event)[0]


def test_the_default_set_offers_each_lecture_once_and_makes_only_the_ticked(client, admin, make):
    event = make.event()
    day1, day2 = event.days
    registration1 = add_agenda_item(event, day1, "07:30", None, "Registrasi peserta", speaker="Panitia")
    opening = add_agenda_item(event, day1, "08:30", None, "Pembukaan dan sambutan", speaker="Wali Kota Serang")
    policy = add_agenda_item(event, day1, "09:00", None, "Kebijakan Kota Cerdas", speaker="Dr. Sari")
    add_agenda_item(event, day1, "12:00", None, "Ishoma")
    registration2 = add_agenda_item(event, day2, "07:30", None, "Registrasi  peserta", speaker="Panitia")
    add_agenda_item(event, day2, "09:00", None, "Kebijakan Kota Cerdas", speaker="Dr. Sari")  # the same session again
    quick_win = add_agenda_item(event, day2, "10:00", None, "Quick win", speaker="Tim Pendamping")
    db.session.commit()
    _html, boxes = _default_set_page(client, event)
    assert boxes == {registration1.id: False, opening.id: False, policy.id: True, quick_win.id: True}
    ticked = [str(item_id) for item_id, checked in boxes.items() if checked]
    assert client.post(f"/admin/acara/{event.slug}/evaluasi/bawaan", data={"sesi": ticked}).status_code == 303
    titles = [form.title for form in services.forms_of(event)]
    assert titles == ["Evaluasi Penyelenggaraan", "Evaluasi Narasumber: Dr. Sari — Kebijakan Kota Cerdas",
                      "Evaluasi Narasumber: Tim Pendamping — Quick win"]
    # Ticking the registration of both days later still makes one form; a forged id makes none.
    client.post(f"/admin/acara/{event.slug}/evaluasi/bawaan",
                data={"sesi": [str(registration1.id), str(registration2.id), "999999", "x"]})
    assert len(services.forms_of(event)) == 4


def test_answering_stores_one_response_and_a_second_is_refused_kindly(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    url = f"/tiket/{registration.ticket_token}/evaluasi/{form.id}"
    assert "Ibu kota Banten?" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=answers_for(form, "0", ["0", "1"], "Bagus"))
    assert response.status_code == 200
    assert "jawaban Anda sudah tersimpan" in response.get_data(as_text=True)
    assert "Nilai Anda" not in response.get_data(as_text=True)  # the committee did not allow it
    stored = db.session.execute(db.select(Response)).scalar_one()
    assert (stored.registration_id, stored.score, stored.max_score) == (registration.id, 5, 5)

    again = client.post(url, data=answers_for(form, "1", ["0"], "Lagi"))
    assert again.status_code == 409
    assert "sudah mengisi formulir ini" in again.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 1
    ticket = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert "Sudah diisi" in ticket


def test_a_missing_required_answer_keeps_what_was_typed(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    url = f"/tiket/{registration.ticket_token}/evaluasi/{form.id}"
    response = client.post(url, data=answers_for(form, None, ["1"], "Tetap di sini"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wajib dijawab." in page
    assert 'value="Tetap di sini"' in page
    assert re.search(r'value="1"\s+checked', page)
    assert 'id="error-summary"' in page
    assert db.session.execute(db.select(db.func.count()).select_from(Completion)).scalar_one() == 0


def test_impossible_answers_are_refused(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    url = f"/tiket/{registration.ticket_token}/evaluasi/{form.id}"
    for bad in (answers_for(form, "7", ["0"]), answers_for(form, ["0", "1"], ["0"]),
                answers_for(form, "²", ["0"]), answers_for(form, "0", ["0"], "x" * 301)):
        assert client.post(url, data=bad).status_code == 422
    assert db.session.execute(db.select(db.func.count()).select_from(Answer)).scalar_one() == 0


def test_the_score_is_shown_only_when_the_committee_allows_it(client, admin, make):
    event = make.event()
    form = build_test(client, event, kind="posttest", show_score=True)
    registration = make.registration(event)
    page = client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}",
                       data=answers_for(form, "0", ["0"], "")).get_data(as_text=True)
    assert "Nilai Anda: 40" in page  # 2 of 5 points: the multiple choice needs both right ones
    assert "2 dari 5 poin" in page


def test_outside_the_window_nothing_is_stored(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    url = f"/tiket/{registration.ticket_token}/evaluasi/{form.id}"
    now = datetime.now(UTC)
    form.opens_at, form.closes_at = now + timedelta(hours=1), now + timedelta(hours=2)
    db.session.commit()
    response = client.post(url, data=answers_for(form, "0", ["0"]))
    assert response.status_code == 409 and "belum dibuka" in response.get_data(as_text=True)
    form.opens_at, form.closes_at = now - timedelta(hours=2), now - timedelta(hours=1)
    db.session.commit()
    response = client.post(url, data=answers_for(form, "0", ["0"]))
    assert response.status_code == 409 and "sudah ditutup" in response.get_data(as_text=True)
    assert f"/evaluasi/{form.id}" not in client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 0


def test_a_form_of_another_event_or_a_cancelled_ticket_cannot_answer(client, admin, make):
    event, other = make.event(), make.event(slug="lain")
    form = build_test(client, other)
    registration = make.registration(event)
    assert client.get(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}").status_code == 404
    assert client.get(f"/tiket/tidak-ada/evaluasi/{form.id}").status_code == 404
    mine = build_test(client, event, kind="posttest")
    registration.status = "cancelled"
    db.session.commit()
    response = client.post(f"/tiket/{registration.ticket_token}/evaluasi/{mine.id}", data=answers_for(mine, "0", ["0"]))
    assert response.status_code == 409
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 0


def test_two_tabs_submitting_at_once_store_one_response(app, client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    url = f"/tiket/{registration.ticket_token}/evaluasi/{form.id}"
    body = answers_for(form, "0", ["0", "1"], "Dua tab")
    barrier = threading.Barrier(6, timeout=30)
    statuses = []

    def submit():
        tab = app.test_client()
        barrier.wait()
        statuses.append(tab.post(url, data=body).status_code)

    run_in_threads(submit, [() for _ in range(6)])
    assert sorted(statuses) == [200] + [409] * 5
    assert db.session.execute(db.select(db.func.count()).select_from(Response)).scalar_one() == 1
    assert db.session.execute(db.select(db.func.count()).select_from(Answer)).scalar_one() == 4


def test_questions_are_fixed_once_answered(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}", data=answers_for(form, "0", ["0"]))
    question = form.questions[0]
    client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{question.id}/hapus")
    assert db.session.get(Question, question.id) is not None
    assert add_question(client, event, form.id).status_code == 422


def test_questions_can_be_reordered_and_deleted(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    first, second = form.questions[0].id, form.questions[1].id
    client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{second}/pindah", data={"arah": "naik"})
    db.session.expire_all()
    assert [q.id for q in db.session.get(EvaluationForm, form.id).questions][:2] == [second, first]
    text = db.session.get(Question, first).text
    asked = client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{first}/hapus")
    assert asked.status_code == 200 and text in asked.get_data(as_text=True)
    assert "Ya, hapus pertanyaan" in asked.get_data(as_text=True)
    assert db.session.get(Question, first) is not None
    client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{first}/hapus", data={"confirmed": "yes"})
    assert db.session.get(Question, first) is None


def test_a_question_is_edited_in_its_place_until_someone_answers(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    first, second, third = (question.id for question in form.questions)
    url = f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{second}/ubah"
    assert url in client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Pilar kota cerdas?" in html and "Smart cooking" in html and 'value="A, B"' in html
    refused = client.post(url, data={"kind": "single", "text": "Pilar utama?", "choices": "Governance\nBranding",
                                     "correct": "A, B", "points": "4", "required": "y"})
    assert refused.status_code == 422 and "tepat satu kunci jawaban" in refused.get_data(as_text=True)
    saved = client.post(url, data={"kind": "single", "text": "Pilar utama?", "choices": "Governance\nBranding",
                                   "correct": "B", "points": "4"})
    assert saved.status_code == 303
    db.session.expire_all()
    question = db.session.get(Question, second)
    assert (question.kind, question.text, question.choices, question.correct, question.points, question.required) == (
        "single", "Pilar utama?", ["Governance", "Branding"], [1], 4, False)
    assert [q.id for q in db.session.get(EvaluationForm, form.id).questions] == [first, second, third]
    # Another form's question, or a form of another event, is not found.
    other = build_test(client, make.event(slug="bimtek-lain"))
    assert client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/pertanyaan/{other.questions[0].id}/ubah"
                      ).status_code == 404
    # Once answered, the question stays as it was, like deleting.
    registration = make.registration(event)
    client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}", data=answers_for(form, "0", "1"))
    refused = client.post(url, data={"kind": "short", "text": "Lain", "points": "1"}, follow_redirects=True)
    assert "pertanyaan tidak dapat diubah lagi" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, second).text == "Pilar utama?"
    assert url not in client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}").get_data(as_text=True)


def test_deleting_a_form_asks_first_and_says_what_is_lost(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}", data=answers_for(form, "0", ["0"]))
    page = client.get(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hapus").get_data(as_text=True)
    assert "1 jawaban peserta ikut terhapus" in page
    assert db.session.get(EvaluationForm, form.id) is not None
    asked = client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hapus")  # without the page's step
    assert asked.status_code == 200 and "1 jawaban peserta ikut terhapus" in asked.get_data(as_text=True)
    assert client.post(f"/admin/acara/{event.slug}/evaluasi/{form.id}/hapus",
                       data={"confirmed": "yes"}).status_code == 303
    assert db.session.execute(db.select(db.func.count()).select_from(Answer)).scalar_one() == 0


def test_a_post_test_can_share_the_pre_tests_questions(client, admin, make):
    event = make.event()
    pre = build_test(client, event)
    post_id = create_form(client, event, kind="posttest", title="Post-test", copy_from=str(pre.id))
    post = db.session.get(EvaluationForm, post_id)
    assert [(q.text, q.correct, q.points) for q in post.questions] == [(q.text, q.correct, q.points)
                                                                       for q in pre.questions]


def test_an_event_has_one_pre_test_and_one_post_test(client, admin, make):
    event = make.event()
    pre = build_test(client, event)
    create_form(client, event, kind="posttest", title="Post-test", copy_from=str(pre.id))
    for kind in ("pretest", "posttest"):
        refused = client.post(f"/admin/acara/{event.slug}/evaluasi",
                              data={"kind": kind, "title": "Tes kedua", "agenda_item": "", "copy_from": ""})
        assert refused.status_code == 422
        assert "hanya punya satu pre-test dan satu post-test" in refused.get_data(as_text=True)
    assert [form.kind for form in services.forms_of(event)] == ["pretest", "posttest"]
    other = make.event(slug="bimtek-lain")
    assert services.create_form(other, kind="pretest", title="Pre-test").event_id == other.id
    create_form(client, event, kind="evaluasi", title="Evaluasi kedua")  # evaluations are not limited


def test_questions_go_out_to_xlsx_and_come_back(client, admin, make):
    event = make.event()
    pre = build_test(client, event)
    exported = client.get(f"/admin/acara/{event.slug}/evaluasi/{pre.id}/pertanyaan.xlsx")
    assert exported.status_code == 200
    post_id = create_form(client, event, kind="posttest", title="Post-test")
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/{post_id}/impor",
                           data={"file": (io.BytesIO(exported.data), "soal.xlsx")})
    assert response.status_code == 303
    post = db.session.get(EvaluationForm, post_id)
    assert [(q.kind, q.text, q.choices, q.correct, q.points, q.required) for q in post.questions] == [
        (q.kind, q.text, q.choices, q.correct, q.points, q.required) for q in pre.questions]


def test_a_bad_question_file_reports_every_bad_row_and_adds_nothing(client, admin, make):
    event = make.event()
    form_id = create_form(client, event, kind="pretest", title="Pre-test")
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Jenis", "Pertanyaan", "Wajib", "Pilihan", "Kunci", "Poin"])
    ws.append([1, "pilihan tunggal", "Baik", "ya", "A\nB", "A", 1])
    ws.append([2, "teka-teki", "Jenis salah", "ya", "", "", 1])
    ws.append([3, "pilihan tunggal", "Kunci salah", "ya", "A\nB", "Z", 1])
    stream = io.BytesIO()
    wb.save(stream)
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/{form_id}/impor",
                           data={"file": (io.BytesIO(stream.getvalue()), "soal.xlsx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Baris 3" in page and "Baris 4" in page
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/{form_id}/impor",
                           data={"file": (io.BytesIO(b"not a workbook"), "soal.xlsx")})
    assert response.status_code == 422 and "tidak dapat dibaca" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count()).select_from(Question)).scalar_one() == 0


def test_operators_and_strangers_reach_no_evaluation_page(client, make, auth):
    event = make.event()
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    assert client.get(f"/admin/acara/{event.slug}/evaluasi").status_code == 404  # outside their scope
    auth.logout()
    assert client.get(f"/admin/acara/{event.slug}/evaluasi").status_code in (302, 401)


def test_the_answer_page_fits_a_ticket_holder_only(client, admin, make):
    event = make.event()
    form = build_test(client, event)
    registration = make.registration(event)
    response = client.get(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
