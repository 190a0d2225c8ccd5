"""Input hardening: far-away dates, numbers in other scripts, invisible text and bombs answer with a message.

Each test is a request that answered 500 (or stored what it should not) before.
"""
from datetime import date

import pytest

from app.certificates.settings import certificate_settings
from app.extensions import db
from app.models import EvaluationForm, Event, ScheduledReminder

YEARS_MESSAGE = "Tahun harus antara 1900 dan 2099."
FAR_AWAY = ["0001-01-01T00:00", "9999-12-31T23:59"]


@pytest.fixture
def admin(make, auth):
    make.user("admin@example.go.id", role="admin")
    auth.login("admin@example.go.id")


# --- Item 1: every date field of the console takes years 1900..2099 only ------------------------

@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
@pytest.mark.parametrize("value", FAR_AWAY)
def test_an_evaluation_window_far_away_is_a_form_error(client, make, admin, field, value):
    event = make.event()
    url = f"/admin/acara/{event.slug}/evaluasi"
    data = {"kind": "evaluasi", "title": "Evaluasi", "agenda_item": "", "copy_from": "", field: value}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    assert db.session.execute(db.select(EvaluationForm)).first() is None
    created = client.post(url, data={**data, field: "2022-06-14T08:00"})
    assert created.status_code == 303
    form_url = created.headers["Location"]
    response = client.post(form_url, data={"title": "Evaluasi", "agenda_item": "", field: value})
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.execute(db.select(EvaluationForm)).scalar_one()
    assert getattr(stored, field).year == 2022


@pytest.mark.parametrize("value", FAR_AWAY)
def test_a_message_scheduled_far_away_is_a_form_error(client, make, admin, value):
    make.event(dates=(date(2030, 6, 13), date(2030, 6, 14)))
    response = client.post("/admin/acara/bimtek-uji/pesan", data={
        "kind": "free", "audience": "all", "subject": "Ganti ruangan", "body": "Ruang Garuda.", "send_at": value,
        "action": "send"})
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    assert db.session.execute(db.select(ScheduledReminder)).first() is None


@pytest.mark.parametrize("value", FAR_AWAY)
def test_self_service_closing_far_away_is_refused_with_a_message(client, make, admin, value):
    event = make.event()
    response = client.post("/admin/acara/bimtek-uji/kontak", data={"contact_name": "Rina", "edits_close_at": value})
    # The contact form lives on the Pengaturan page: its errors come back there as messages.
    assert response.status_code == 303
    assert YEARS_MESSAGE in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.contact_name, stored.edits_close_at) == (None, None)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_certificate_issue_date_far_away_is_a_form_error(client, make, admin, value):
    from tests.test_certificates_console import settings_form

    event = make.event()
    response = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(issue_date=value))
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert certificate_settings(event).issue_date is None
