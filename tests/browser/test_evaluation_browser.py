"""A participant answers the evaluation and a test on a 390 px phone; the committee reads the results."""
import os

from playwright.sync_api import expect

from app.evaluation import services
from app.evaluation.defaults import add_default_set
from app.extensions import db
from app.messages.worker import tick
from app.models import PendingAnswers, Response
from tests.certificates_support import attend

SHOTS = os.environ.get("HADIR_SCREENSHOTS")  # a folder, to look at the pages by eye


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_a_participant_answers_on_a_phone_and_a_missing_answer_is_pointed_at(phone_page, make):
    event = make.event()
    evaluation = add_default_set(event)[0]
    test = services.create_form(event, kind="posttest", title="Post-test Kota Cerdas", show_score=True)
    services.add_questions(test, [
        services.QuestionSpec("single", "Ibu kota Banten?", choices=["Serang", "Cilegon"], correct=[0], points=2),
    ])
    db.session.commit()
    registration = make.registration(event)
    attend(registration, event.days[0])  # the forms are for those who were there

    phone_page.goto(f"/tiket/{registration.ticket_token}")
    phone_page.get_by_role("link", name="Isi: Evaluasi Penyelenggaraan").click()
    expect(phone_page.get_by_text("Formulir ini anonim")).to_be_visible()
    shot(phone_page, "evaluation-form")
    # Everything but the last Likert question, then send: the page points at what is missing.
    questions = phone_page.locator("fieldset.question")
    for index in range(5):
        questions.nth(index).get_by_text("Baik", exact=True).click()
    phone_page.get_by_role("textbox").fill("Ruangan terlalu dingin")
    phone_page.get_by_role("button", name="Kirim jawaban").click()
    summary = phone_page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # by evaluation.js, once it has run (waited for: a loaded machine is slow)
    assert phone_page.get_by_role("textbox").input_value() == "Ruangan terlalu dingin"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone_page, "evaluation-errors")
    # Touch targets of the scale are big enough for a thumb.
    height = phone_page.locator(".likert-option").first.bounding_box()["height"]
    assert height >= 44
    phone_page.locator("fieldset.question").nth(5).get_by_text("Sangat baik").click()
    phone_page.locator("fieldset.question").nth(6).get_by_text("Cukup").click()
    phone_page.get_by_role("button", name="Kirim jawaban").click()
    expect(phone_page.get_by_text("Terima kasih, jawaban Anda sudah tersimpan.")).to_be_visible()

    phone_page.get_by_role("link", name="Kembali ke tiket").click()
    expect(phone_page.get_by_text("Sudah diisi")).to_be_visible()
    phone_page.get_by_role("link", name="Isi: Post-test Kota Cerdas").click()
    phone_page.get_by_label("Serang", exact=True).check()  # the ticket left behind names Serang too
    phone_page.get_by_role("button", name="Kirim jawaban").click()
    expect(phone_page.get_by_text("Nilai Anda: 100")).to_be_visible()
    shot(phone_page, "evaluation-score")

    # The named test's response is written at once; the anonymous one waits, sealed, for its batch of k.
    responses = db.session.execute(db.select(Response).order_by(Response.id)).scalars().all()
    assert [(r.form_id, r.registration_id) for r in responses] == [(test.id, registration.id)]
    assert db.session.execute(db.select(PendingAnswers.form_id)).scalars().all() == [evaluation.id]


def test_the_results_page_fits_a_phone_with_readable_labels(browser, live_server, make):
    event = make.event(quota=None)
    evaluation = add_default_set(event)[0]
    make.user("admin@example.go.id")
    for value in ("5", "4", "4", "5", "4"):  # k = 5: an anonymous form shows its results from five on
        registration = make.registration(event)
        attend(registration, event.days[0])
        services.submit_response(evaluation, registration,
                                 {question.id: [value] if question.kind == "likert" else ["Baik sekali"]
                                  for question in evaluation.questions})
        db.session.commit()
    tick()  # the message worker writes the batch
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill("admin@example.go.id")
    page.get_by_label("Kata sandi").fill(make.PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("/")  # signed in before the next page is asked for
    page.goto(f"/admin/acara/{event.slug}/evaluasi/{evaluation.id}/hasil")
    expect(page.get_by_text("rata-rata 4,40").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.bar-name, .bar-count')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))")
    assert smallest >= 12
    shot(page, "evaluation-results")
    context.close()
