"""One transaction per request (app/transactions.py): an answer below 400 commits what the view did,
anything else rolls it back, and a commit that fails is never answered as a success."""
from flask import Response

from app.events.lookup import find_event
from app.extensions import db
from app.models import Tenant
from app.transactions import end_the_transaction

FORM = {"title": "Bimtek Baru", "slug": "bimtek-baru", "organizer_name": "Diskominfo", "venue": "Aula",
        "timezone": "Asia/Jakarta", "dates-0": "2022-08-01", "default_quota": "3"}


def test_a_successful_request_is_committed_at_its_end(app, client, auth, make):
    make.user(tenant=make.tenant())  # a tenant's admin: their events join their tenant
    auth.login("admin@example.go.id")
    assert client.post("/admin/acara/baru", data=FORM).status_code == 303
    db.session.remove()  # a session of its own: only what was committed is seen
    assert find_event("bimtek-baru") is not None


def test_a_refused_answer_rolls_back_what_its_view_began(app):
    with app.test_request_context("/"):
        db.session.add(Tenant(slug="kota-setengah", name="Pemerintah Kota Setengah Jadi"))
        end_the_transaction(Response(status=422))
        assert db.session.execute(db.select(Tenant).filter_by(slug="kota-setengah")).first() is None
        db.session.add(Tenant(slug="kota-jadi", name="Pemerintah Kota Jadi"))
        end_the_transaction(Response(status=303))
    db.session.remove()
    assert [t.slug for t in db.session.execute(db.select(Tenant)).scalars()] == ["kota-jadi"]


def test_a_commit_that_fails_answers_500_and_stores_nothing(app, client, auth, make, monkeypatch):
    make.user(tenant=make.tenant())  # a tenant's admin: their events join their tenant
    auth.login("admin@example.go.id")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: the 500 page answers
    failed = []

    def failing_commit():
        failed.append(True)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post("/admin/acara/baru", data=FORM)
    monkeypatch.undo()
    assert failed and response.status_code == 500
    db.session.remove()
    assert find_event("bimtek-baru") is None
