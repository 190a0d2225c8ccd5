"""One pre-test and one post-test per event, also when admins create them at the same moment: the
database decides (uq_evaluation_forms_one_test_each), and every loser gets the form's clear message."""
import threading

from app.extensions import db
from app.models import EvaluationForm
from tests.concurrency import run_in_threads
from tests.factories import PASSWORD

RACERS = 6


def test_admins_racing_to_create_a_post_test_make_exactly_one(app, make):
    event = make.event()
    url = f"/admin/acara/{event.slug}/evaluasi"
    make.user("admin@example.go.id")
    signed_in = app.test_client()
    assert signed_in.post("/masuk/", data={"email": "admin@example.go.id", "password": PASSWORD}).status_code < 400
    cookie = app.config["SESSION_COOKIE_NAME"]
    clients = []
    for _ in range(RACERS):  # one browser session on six tabs
        client = app.test_client()
        client.set_cookie(cookie, signed_in.get_cookie(cookie).value)
        clients.append(client)
    barrier = threading.Barrier(RACERS, timeout=30)
    outcomes, errors = [], []

    def create(client):
        try:
            barrier.wait()
            form = {"kind": "posttest", "title": "Post-test", "agenda_item": "", "copy_from": ""}
            response = client.post(url, data=form)
            page = response.get_data(as_text=True)
            refused = "hanya punya satu pre-test dan satu post-test" in page
            outcomes.append("refused" if response.status_code == 422 and refused else response.status_code)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))

    run_in_threads(create, [(client,) for client in clients])
    assert errors == []
    assert sorted(outcomes, key=str) == [303] + ["refused"] * (RACERS - 1)
    kinds = db.session.execute(db.select(EvaluationForm.kind).filter_by(event_id=event.id)).scalars().all()
    assert kinds == ["posttest"]
