"""The quota holds when many people register into one OPD at the same moment."""
import threading

from app.extensions import db
from app.models import Event, Registration
from app.registration.services import RegistrationRefused, register_participant
from tests.concurrency import run_in_threads


def test_twenty_people_racing_for_three_places_leave_exactly_three(app, make):
    event = make.event(quota=3)
    event_id = event.id
    organization_id = make.event_organization_list(event)[0].id
    people = [make.participant() for _ in range(20)]
    barrier = threading.Barrier(20, timeout=30)
    outcomes, errors = [], []

    def sign_up(person):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                db.session.commit()  # give the connection back: the pool holds fewer than 20
                barrier.wait()
                register_participant(event, organization_id, person)
                db.session.commit()
                outcomes.append("registered")
            except RegistrationRefused as refusal:
                outcomes.append(refusal.code)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(repr(error))

    run_in_threads(sign_up, [(person,) for person in people])
    assert errors == []
    assert sorted(outcomes) == ["quota_full"] * 17 + ["registered"] * 3
    stored = db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one()
    assert stored == 3


def test_event_capacity_holds_across_organizations(app, make):
    event = make.event(quota=None, capacity=4, opds=3)
    event_id = event.id
    organization_ids = [o.id for o in make.event_organization_list(event)]
    people = [make.participant() for _ in range(12)]
    barrier = threading.Barrier(12, timeout=30)
    outcomes = []

    def sign_up(n, person):
        with app.app_context():
            event = db.session.get(Event, event_id)
            db.session.commit()
            barrier.wait()
            try:
                register_participant(event, organization_ids[n % 3], person)
                db.session.commit()
                outcomes.append("registered")
            except RegistrationRefused as refusal:
                outcomes.append(refusal.code)

    run_in_threads(sign_up, list(enumerate(people)))
    assert sorted(outcomes) == ["capacity_full"] * 8 + ["registered"] * 4
