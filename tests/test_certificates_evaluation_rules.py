"""The certificate rules the evaluation adds, set on the "Sertifikat" page and met through the ticket
link: every evaluation form answered; a post-test score of at least X percent."""
import re

from app.certificates.issuing import active_certificate, event_certificates
from app.certificates.settings import certificate_settings
from app.events.services import add_agenda_item
from app.extensions import db
from app.models import EvaluationForm
from tests.certificates_support import attend, settings_form, sign_in_admin
from tests.evaluation_support import add_question, answers_for, build_test, create_form


def eligible_on_the_page(client, url):
    page = client.get(url).get_data(as_text=True)
    return int(re.search(r'id="count-eligible">(\d+)<', page).group(1))


def answer(client, registration, form, *values):
    response = client.post(f"/tiket/{registration.ticket_token}/evaluasi/{form.id}", data=answers_for(form, *values))
    assert response.status_code == 200, response.get_data(as_text=True)


def certified(event):
    return sorted(certificate.registration_id for certificate in event_certificates(event))


def test_with_the_setting_only_who_answered_every_evaluation_gets_one(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    form_id = create_form(client, event)  # "Evaluasi Penyelenggaraan"
    assert add_question(client, event, form_id).status_code == 303
    form = db.session.get(EvaluationForm, form_id)
    organizations = make.event_organization_list(event)
    answered, silent = (make.registration(event, organizations[i]) for i in range(2))
    attend(answered, *event.days)
    attend(silent, *event.days)

    assert client.post(url, data=settings_form(require_evaluation="y")).status_code == 303
    assert certificate_settings(event).require_evaluation is True
    assert eligible_on_the_page(client, url) == 0
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert certified(event) == []  # present every day, but nobody has answered yet

    answer(client, answered, form, "5")
    assert eligible_on_the_page(client, url) == 1
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert certified(event) == [answered.id]
    assert active_certificate(silent) is None

    # Without the setting (the box left unticked), attendance is enough again.
    assert client.post(url, data=settings_form()).status_code == 303
    assert certificate_settings(event).require_evaluation is False
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert certified(event) == sorted([answered.id, silent.id])


def test_a_post_test_score_below_the_minimum_gets_none(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    post_test = build_test(client, event, kind="posttest")  # 2 + 3 points
    organizations = make.event_organization_list(event)
    full, partial, untested = (make.registration(event, organizations[i]) for i in range(3))
    for person in (full, partial, untested):
        attend(person, *event.days)
    answer(client, full, post_test, "0", ["0", "1"])  # 5 of 5: 100%
    answer(client, partial, post_test, "0", ["2"])  # 2 of 5: 40%

    refused = client.post(url, data=settings_form(min_post_test_score="101"))
    assert refused.status_code == 422
    assert certificate_settings(event).min_post_test_score is None

    assert client.post(url, data=settings_form(min_post_test_score="60")).status_code == 303
    assert certificate_settings(event).min_post_test_score == 60
    assert eligible_on_the_page(client, url) == 1
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert certified(event) == [full.id]  # 40% is below 60%; no post-test taken is no score

    assert client.post(url, data=settings_form(min_post_test_score="40")).status_code == 303
    assert client.post(f"{url}/terbitkan").status_code == 303
    assert certified(event) == sorted([full.id, partial.id])  # exactly the minimum is enough
    assert active_certificate(untested) is None
    page = client.get(url).get_data(as_text=True)
    assert 'value="40"' in page


def test_the_workbook_carries_the_evaluation_sheets_and_then_the_sertifikat_sheet(make, client, auth):
    """One `extra_sheets` list: the evaluation's sheets and the certificates' sheet side by side."""
    import io

    from openpyxl import load_workbook

    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    post_test = build_test(client, event, kind="posttest")
    person = make.registration(event)
    attend(person, *event.days)
    answer(client, person, post_test, "0", ["0", "1"])
    assert client.post(url, data=settings_form(min_post_test_score="80")).status_code == 303
    assert client.post(f"{url}/terbitkan").status_code == 303
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    assert workbook.sheetnames[-2:] == ["Pre-Post Test", "Sertifikat"]
    assert [cell.value for cell in workbook["Sertifikat"][7]][2] == person.full_name


def test_a_session_form_is_required_only_of_those_present_on_its_day(make, client, auth):
    event = make.event()
    sign_in_admin(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    day1, day2 = event.days
    session = add_agenda_item(event, day2, "09:00", None, "Quick win", speaker="Tim Pendamping")
    db.session.commit()
    made = client.post(f"/admin/acara/{event.slug}/evaluasi/bawaan", data={"sesi": [str(session.id)]})
    assert made.status_code == 303
    general, speaker = db.session.execute(db.select(EvaluationForm).order_by(EvaluationForm.id)).scalars().all()
    assert speaker.agenda_item_id == session.id
    organizations = make.event_organization_list(event)
    first_day_only, both_days, both_answered = (make.registration(event, organizations[i]) for i in range(3))
    attend(first_day_only, day1)
    attend(both_days, day1, day2)
    attend(both_answered, day1, day2)
    likert = ["5"] * 7
    answer(client, first_day_only, general, *likert)
    answer(client, both_days, general, *likert)
    answer(client, both_answered, general, *likert)
    answer(client, both_answered, speaker, *["4"] * 5)

    assert client.post(url, data=settings_form(require_evaluation="y", min_days="1")).status_code == 303
    assert client.post(f"{url}/terbitkan").status_code == 303
    # Day 2's session form is not asked of who came on day 1 only; who came on day 2 must answer it.
    assert certified(event) == sorted([first_day_only.id, both_answered.id])
