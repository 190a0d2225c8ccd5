"""Evaluation forms built through the console, answers, results: shared by the evaluation, certificate,
privacy and export tests."""
import re

from app.checkin.services import check_in
from app.extensions import db
from app.models import EvaluationForm


def create_form(client, event, **fields):
    """A form made on the console, open from before the event (not the kind's default moment) and, the box
    "Hanya peserta yang sudah hadir" left unticked, open to anyone registered (unless `fields` say otherwise)."""
    data = {"kind": "evaluasi", "title": "Evaluasi Penyelenggaraan", "agenda_item": "", "copy_from": "",
            "opens_at": "2020-01-01T00:00"}
    data.update(fields)
    response = client.post(f"/admin/acara/{event.slug}/evaluasi", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return _form_id(response)


def add_question(client, event, form_id, **fields):
    data = {"kind": "likert", "text": "Kepuasan keseluruhan", "required": "y", "points": "1"}
    data.update(fields)
    return client.post(f"/admin/acara/{event.slug}/evaluasi/{form_id}/pertanyaan", data=data)


def build_test(client, event, kind="pretest", show_score=False):
    """A test with two scored questions (2 + 3 points) and one unscored text question."""
    form_id = create_form(client, event, kind=kind, title=kind.title(), **({"show_score": "y"} if show_score else {}))
    assert add_question(client, event, form_id, kind="single", text="Ibu kota Banten?",
                        choices="Serang\nCilegon\nTangerang", correct="A", points="2").status_code == 303
    assert add_question(client, event, form_id, kind="multiple", text="Pilar kota cerdas?",
                        choices="Smart governance\nSmart branding\nSmart cooking", correct="A, B",
                        points="3").status_code == 303
    assert add_question(client, event, form_id, kind="short", text="Satu kata tentang materi",
                        required="").status_code == 303
    return db.session.get(EvaluationForm, form_id)


def answers_for(form, *values):
    """Form body q-<id> → value(s), in the order of the form's questions."""
    data = {}
    for question, value in zip(form.questions, values, strict=False):
        if value is not None:
            data[f"q-{question.id}"] = value
    return data


def likert_form(client, event, anonymous=True, **settings):
    form_id = create_form(client, event, **({"anonymous": "y"} if anonymous else {}), **settings)
    add_question(client, event, form_id, text="Kesesuaian materi")
    add_question(client, event, form_id, text="Konsumsi")
    add_question(client, event, form_id, kind="long", text="Saran", required="")
    return db.session.get(EvaluationForm, form_id)


def answer(client, registration, form, *values):
    response = client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}", data=answers_for(form, *values))
    assert response.status_code == 200, response.get_data(as_text=True)


def present(registration):
    check_in(registration, registration.event.days[0], method="scanner")
    db.session.commit()


def _form_id(response):
    return int(re.search(r"/evaluasi/(\d+)", response.headers["Location"]).group(1))
