"""An event opens when it is ready: a new event is a draft that takes no registration, and the
committee opens it from its checklist."""
import pytest

from app.extensions import db
from app.models import Event, EventStatus, Registration
from app.registration.services import RegistrationRefused, event_organizations, register_participant
from tests.test_admin_events import event_form
from tests.test_registration_routes import form_data


@pytest.fixture
def admin(make, auth):
    make.tenant()
    make.user()
    auth.login("admin@example.go.id")


def test_an_event_made_in_the_console_is_a_draft_that_takes_no_registration(client, admin, make):
    assert client.post("/admin/acara/baru", data=event_form(registration_opens_at="",
                                                           registration_closes_at="")).status_code == 303
    event = db.session.execute(db.select(Event)).scalar_one()
    assert event.status == EventStatus.DRAFT
    page = client.get("/e/bimtek-satu-data").get_data(as_text=True)
    assert "Pendaftaran belum dibuka" in page and "Daftar sekarang" not in page


def test_a_draft_refuses_registration_by_form_and_by_service(client, make):
    event = make.event(status=EventStatus.DRAFT)
    organization = event_organizations(event)[0][1]
    response = client.post("/e/bimtek-uji/daftar", data=form_data(organization))
    assert response.status_code == 422
    assert "Pendaftaran belum dibuka" in response.get_data(as_text=True)
    with pytest.raises(RegistrationRefused) as refused:
        register_participant(event, organization.id, make.participant())
    assert refused.value.code == "draft"
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar() == 0


def test_the_demo_event_is_open(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    # The finished event (its registration window long closed) and its live Tahap 2.
    assert set(db.session.execute(db.select(Event.status)).scalars()) == {EventStatus.OPEN}
