"""Forms at the right moment, from the people who were there (issue 22, item 4): each kind of form opens at
its moment by default, "Hanya peserta yang sudah hadir" is on by default, and the response rate divides by
who could answer, so it never passes 100% and the page says what it divides by."""
import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.models import EvaluationForm
from tests import materials_support as samples
from tests.certificates_support import attend
from tests.evaluation_support import add_question, answers_for

# The factory's event: 13 and 14 June 2022, WIB (UTC+7).
DAY1_0830 = datetime(2022, 6, 13, 1, 30, tzinfo=UTC)
DAY1_1000 = datetime(2022, 6, 13, 3, 0, tzinfo=UTC)
DAY2_1000 = datetime(2022, 6, 14, 3, 0, tzinfo=UTC)
DAY2_1400 = datetime(2022, 6, 14, 7, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    def set_to(moment):
        monkeypatch.setattr("app.evaluation.services.utcnow", lambda: moment)

    return set_to


@pytest.fixture
def bimtek(make):
    """Two days: 08.00 Registrasi and 09.00 Paparan on day 1; 09.00 Praktik and 13.00 Penutupan on day 2."""
    event = make.event()
    samples.session(event, title="Registrasi", starts="08:00", speaker="")
    paparan = samples.session(event, title="Paparan Kebijakan", starts="09:00", speaker="Kadis Kominfo")
    praktik = samples.session(event, title="Praktik Masterplan", day=1, starts="09:00", speaker="Tenaga Ahli")
    samples.session(event, title="Penutupan", day=1, starts="13:00", speaker="")
    return {"event": event, "paparan": paparan, "praktik": praktik}


def console_form(client, kind, title, **fields):
    """A form made on the console as a browser sends it: the window left empty, the boxes as they come."""
    page = client.get("/admin/acara/bimtek-uji/evaluasi").get_data(as_text=True)
    data = {"kind": kind, "title": title, "agenda_item": "", "copy_from": "", "opens_at": "", "closes_at": ""}
    if re.search(r'<input[^>]*checked[^>]*name="present_only"|<input[^>]*name="present_only"[^>]*checked', page):
        data["present_only"] = "y"
    data.update(fields)
    response = client.post("/admin/acara/bimtek-uji/evaluasi", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    form_id = int(re.search(r"/evaluasi/(\d+)", response.headers["Location"]).group(1))
    assert add_question(client, event_of(form_id), form_id).status_code == 303
    return db.session.get(EvaluationForm, form_id)


def event_of(form_id):
    return db.session.get(EvaluationForm, form_id).event


def ticket_forms(client, registration):
    page = client.get(f"/tiket/{registration.ticket_token}").get_data(as_text=True)
    return re.findall(r"Isi: ([^<]+)<", page)


def test_each_kind_of_form_opens_at_its_moment(client, admin, make, bimtek, clock):
    pre = console_form(client, "pretest", "Pre-test")
    post = console_form(client, "posttest", "Post-test")
    client.post("/admin/acara/bimtek-uji/evaluasi/bawaan",
                data={"sesi": [str(bimtek["paparan"].id), str(bimtek["praktik"].id)]})
    forms = {form.title: form for form in db.session.execute(db.select(EvaluationForm)).scalars()}
    wib = bimtek["event"].tz
    moments = {title: (form.opens_at and form.opens_at.astimezone(wib).strftime("%d %H.%M"),
                       form.closes_at and form.closes_at.astimezone(wib).strftime("%d %H.%M"))
               for title, form in forms.items()}
    assert moments == {
        "Pre-test": ("13 08.00", "13 09.00"),  # the first session until the second starts
        "Post-test": ("14 13.00", None),  # the last day, from its last session
        "Evaluasi Penyelenggaraan": ("14 09.00", None),  # the last day
        "Evaluasi Narasumber: Kadis Kominfo — Paparan Kebijakan": ("13 09.00", None),  # its session's start
        "Evaluasi Narasumber: Tenaga Ahli — Praktik Masterplan": ("14 09.00", None),
    }
    assert pre.id != post.id
    # What a participant who is there sees on the ticket, through the day.
    person = make.registration(bimtek["event"])
    attend(person, *bimtek["event"].days)
    clock(DAY1_0830)
    assert ticket_forms(client, person) == ["Pre-test"]
    clock(DAY1_1000)
    assert ticket_forms(client, person) == ["Evaluasi Narasumber: Kadis Kominfo — Paparan Kebijakan"]
    clock(DAY2_1000)
    assert set(ticket_forms(client, person)) == {
        "Evaluasi Penyelenggaraan", "Evaluasi Narasumber: Kadis Kominfo — Paparan Kebijakan",
        "Evaluasi Narasumber: Tenaga Ahli — Praktik Masterplan"}
    clock(DAY2_1400)
    assert "Post-test" in ticket_forms(client, person) and "Pre-test" not in ticket_forms(client, person)


def test_only_those_who_checked_in_answer_by_default(client, admin, make, bimtek, clock):
    page = client.get("/admin/acara/bimtek-uji/evaluasi").get_data(as_text=True)
    assert "Hanya peserta yang sudah hadir" in page
    form = console_form(client, "evaluasi", "Evaluasi Hari Ini", opens_at="2022-06-13T07:00")
    assert form.present_only
    clock(DAY1_1000)
    absent = make.registration(bimtek["event"])
    assert ticket_forms(client, absent) == []
    refused = client.post(f"/tiket/{absent.ticket_token}/evaluasi/{form.id}", data=answers_for(form, "5"))
    assert refused.status_code == 409
    assert "Anda belum tercatat hadir" in refused.get_data(as_text=True)
    present = make.registration(bimtek["event"])
    attend(present, bimtek["event"].days[0])
    assert ticket_forms(client, present) == ["Evaluasi Hari Ini"]
    assert client.post(f"/tiket/{present.ticket_token}/evaluasi/{form.id}",
                       data=answers_for(form, "5")).status_code == 200


def test_a_speaker_form_is_for_those_present_on_its_sessions_day(client, admin, make, bimtek, clock):
    client.post("/admin/acara/bimtek-uji/evaluasi/bawaan", data={"sesi": [str(bimtek["praktik"].id)]})
    speaker = db.session.execute(db.select(EvaluationForm).filter_by(kind="narasumber")).scalar_one()
    clock(DAY2_1400)
    day_one_only = make.registration(bimtek["event"])
    attend(day_one_only, bimtek["event"].days[0])
    assert "Evaluasi Narasumber: Tenaga Ahli — Praktik Masterplan" not in ticket_forms(client, day_one_only)
    both = make.registration(bimtek["event"])
    attend(both, *bimtek["event"].days)
    assert "Evaluasi Narasumber: Tenaga Ahli — Praktik Masterplan" in ticket_forms(client, both)
    assert speaker.present_only


def rate_of(client, form):
    page = client.get(f"/admin/acara/bimtek-uji/evaluasi/{form.id}/hasil").get_data(as_text=True)
    rate = re.search(r"Tingkat respons</span><strong>([^<]*)</strong>", page).group(1)
    said = re.search(r'id="dasar-respons">([^<]*)<', page).group(1)
    return rate, said


def test_the_response_rate_never_passes_100_percent_and_says_what_it_divides_by(client, admin, make, bimtek):
    event = bimtek["event"]
    everyone = console_form(client, "evaluasi", "Terbuka untuk semua", opens_at="2022-06-01T07:00")
    everyone.present_only = False
    db.session.commit()
    people = [make.registration(event) for _ in range(3)]
    attend(people[0], event.days[0])  # one checked in, three answer: the old page said 300.0%
    for person in people:
        assert client.post(f"/tiket/{person.ticket_token}/evaluasi/{everyone.id}",
                           data=answers_for(everyone, "4")).status_code == 200
    rate, said = rate_of(client, everyone)
    assert rate == "100%"  # Babel: no trailing ",0"
    assert said == "Tingkat respons: 3 dari 3 peserta terdaftar yang aktif sudah mengisi (formulir ini boleh diisi " \
                   "siapa pun yang terdaftar)."

    present = console_form(client, "evaluasi", "Hanya yang hadir", opens_at="2022-06-01T07:00")
    attend(people[1], event.days[1])
    assert client.post(f"/tiket/{people[0].ticket_token}/evaluasi/{present.id}",
                       data=answers_for(present, "5")).status_code == 200
    rate, said = rate_of(client, present)
    assert rate == "50%"
    assert said.startswith("Tingkat respons: 1 dari 2 peserta yang sudah hadir sudah mengisi")
    # A person who answered and then cancelled is no longer counted on either side.
    people[0].status = "cancelled"
    db.session.commit()
    assert rate_of(client, present)[0] == "0%"
