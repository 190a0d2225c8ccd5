"""Scopes: the whole URL map, walked by users of two tenants in every role.

Every route that names an event (a `slug`) outside the public pages answers 404 to anyone whose
scope does not hold that event (never 403: another government's events do not exist for them),
whatever the method, and the ids of its participants, agenda and materials with it. In scope (an
admin of the event's tenant or of every tenant, a committee member assigned to it; its operators at the
desk and the API) every such route answers, whatever the method, anything but 403, 404 or 500: each id
it takes names a real row of the event (rows_of). Routes added later are walked too: a new public route
with a slug must be added to PUBLIC_BLUEPRINTS, a new kind of id needs a row in rows_of.
"""
import io
from datetime import date

import pytest
from flask import current_app

from app.certificates.images import replace_stored_image
from app.certificates.issuing import issue_certificates
from app.certificates.settings import lock_certificate_settings
from app.delegates import services as delegates
from app.evaluation import services as evaluations
from app.events.services import add_agenda_item
from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.services import Upload, upload_materials
from app.messages.reminders import schedule
from app.messages.services import queue_ticket_whatsapp
from app.messages.templates import TEMPLATE_KINDS
from app.models import KIND_FREE, ApiToken, Event, EventOperator, Visibility
from app.privacy.services import request_deletion
from app.storage import current_storage
from app.tenants.operators import assign_operator
from tests import materials_support as samples
from tests.certificates_support import attend
from tests.factories import OPEN_UNTIL

# Pages anyone may open: the event page, the registration form, public materials, tickets by their secret.
PUBLIC_BLUEPRINTS = {"public", "registration", "materials", "i18n", "health", "auth", "privacy", "messages",
                     "evaluation", "certificates", "waitlist"}


def rows_of(event, make):
    """A row of every kind a console route names by its id, all of `event`, made through the services:
    {route argument: value}. A route that takes another argument needs a row here (test_scopes fails)."""
    organization = make.event_organization_list(event)[0]
    registration = make.registration(event, organization)
    attend(registration, *event.days)
    item = add_agenda_item(event, event.days[0], "08:00", "09:00", "Pembukaan")
    material, = upload_materials(event, [Upload("modul.pdf", io.BytesIO(samples.pdf()), "Modul")],
                                 agenda_item_id=None, visibility=Visibility.PUBLIC,
                                 policy=UploadPolicy.from_config(current_app.config), storage=current_storage())
    form = evaluations.create_form(event, kind="posttest", title="Post-test")
    evaluations.add_questions(form, [
        evaluations.QuestionSpec("single", "Ibu kota Banten?", choices=["Serang", "Cilegon"], correct=[0])])
    question = form.questions[0]
    message_id = queue_ticket_whatsapp(registration)
    reminder = schedule(event, kind=KIND_FREE, audience="all", send_at=OPEN_UNTIL, subject="Info", body="Bawa laptop.")
    settings = lock_certificate_settings(event)
    replace_stored_image(current_storage(), settings, "signer_image", samples.image())
    certificate, = issue_certificates(event)
    delegates.issue_link(event, organization.id)
    delegates.save_contact(organization, "sekretariat@dinas.go.id", "+6281234567001")
    deletion = request_deletion(make.registration(event, organization), "pindah tugas")
    db.session.commit()
    return {"registration_id": registration.id, "item_id": item.id, "material_id": material.id,
            "form_id": form.id, "question_id": question.id, "message_id": message_id, "reminder_id": reminder.id,
            "certificate_id": certificate.id, "name": settings.signer_image, "kind": TEMPLATE_KINDS[0],
            "organization_id": organization.id, "request_id": deletion.id}


@pytest.fixture
def world(make):
    """Two tenants; Serang has events A1 and A2, Bogor has B1. One user per role and scope; a row of
    every kind at A1 (rows_of)."""
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    a1 = make.event("serang-a1", tenant=serang)
    a2 = make.event("serang-a2", tenant=serang, dates=(date(2022, 7, 1),))
    b1 = make.event("bogor-b1", tenant=bogor)
    ids = rows_of(a1, make)
    users = {
        "install-admin": make.user("root@hadir.go.id"),
        "admin-serang": make.user("admin@serang.go.id", tenant=serang),
        "admin-bogor": make.user("admin@bogor.go.id", tenant=bogor),
        "pengamat": make.user("pengamat@kemendagri.go.id", role="pengamat"),
        "pengamat-serang": make.user("pengamat@serang.go.id", role="pengamat", tenant=serang),
    }
    for name, tenant, event in (("serang-a1", serang, a1), ("serang-a2", serang, a2), ("bogor-b1", bogor, b1)):
        for role in ("committee", "operator"):
            user = make.user(f"{role}-{name}@example.go.id", role=role, tenant=tenant)
            assign_operator(user, event)
            users[f"{role}-{name}"] = user
    db.session.commit()
    return {"a1": a1, "ids": ids, "users": users}


def scoped_rules(app):
    rules = [rule for rule in app.url_map.iter_rules()
             if "slug" in rule.arguments and rule.endpoint.split(".")[0] not in PUBLIC_BLUEPRINTS]
    assert len(rules) >= 30  # the console, the materials, the desk and the API
    return rules


def url(rule, slug, ids):
    """The route's address at event `slug`, every other argument a row of that event (rows_of)."""
    missing = rule.arguments - {"slug"} - ids.keys()
    assert not missing, f"{rule.endpoint} takes {missing}: give rows_of a row of that kind"
    return rule.build({"slug": slug, **{name: ids[name] for name in rule.arguments - {"slug"}}})[1]


# Who may manage (console), operate (desk, API) or do neither at event A1 of Serang.
MANAGERS_OF_A1 = {"install-admin", "admin-serang", "committee-serang-a1"}
OPERATORS_OF_A1 = MANAGERS_OF_A1 | {"operator-serang-a1"}


def expected_for(user, rule):
    """None: any answer but 404 (in scope); 404: out of scope."""
    blueprint = rule.endpoint.split(".")[0]
    allowed = OPERATORS_OF_A1 if blueprint in ("api", "checkin") else MANAGERS_OF_A1
    return None if user in allowed else 404


def test_every_scoped_route_is_404_outside_the_scope(app, client, auth, world):
    rules = scoped_rules(app)
    for name in world["users"]:
        auth.login(world["users"][name].email)
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                address = url(rule, world["a1"].slug, world["ids"])
                if expected_for(name, rule) == 404:
                    response = client.open(address, method=method)
                    assert response.status_code == 404, (name, method, address, response.status_code)
                    assert b"Peserta Uji" not in response.data
                else:
                    # In scope no route refuses (403), loses its row (404) or fails (500), whatever the
                    # method; a POST without a form answers 400/422, asks first (200) or goes back (302/303).
                    status = client.open(address, method=method).status_code
                    assert status not in (403, 404, 500), (name, method, address, status)
                if expected_for(name, rule) is None and method == "GET" and rule.arguments == {"slug"}:
                    response = client.open(address, method=method)
                    # The materials page's old address redirects to the new one (308) in scope.
                    wanted = 308 if rule.endpoint == "admin.old_materials_address" else 200
                    assert response.status_code == wanted, (name, method, address, response.status_code)
        auth.logout()


def test_an_unknown_event_and_another_tenants_event_look_the_same(client, auth, world):
    auth.login("admin@bogor.go.id")
    unknown = client.get("/admin/acara/tidak-ada")
    foreign = client.get("/admin/acara/serang-a1")
    assert unknown.status_code == foreign.status_code == 404
    # Alike but for the request id every page of an error carries (app/monitoring/request_ids.py).
    same = unknown.data.replace(b"tidak-ada", b"serang-a1").replace(
        unknown.headers["X-Request-ID"].encode(), foreign.headers["X-Request-ID"].encode())
    assert same == foreign.data


def test_the_events_list_shows_only_the_scope(client, auth, world):
    expectations = {
        "install-admin": {"serang-a1", "serang-a2", "bogor-b1"},
        "admin-serang": {"serang-a1", "serang-a2"},
        "admin-bogor": {"bogor-b1"},
        "committee-serang-a1": {"serang-a1"},
        "committee-bogor-b1": {"bogor-b1"},
    }
    for name, visible in expectations.items():
        auth.login(world["users"][name].email)
        page = client.get("/admin/").get_data(as_text=True)
        for slug in ("serang-a1", "serang-a2", "bogor-b1"):
            assert (f"/admin/acara/{slug}\"" in page) is (slug in visible), (name, slug)
        auth.logout()


def test_only_admins_create_events_and_only_in_their_tenant(client, auth, world, make):
    form = {"title": "Bimtek Baru", "slug": "bimtek-baru", "organizer_name": "Diskominfo", "venue": "Aula",
            "timezone": "Asia/Jakarta", "dates-0": "2022-08-01", "default_quota": "3"}
    auth.login("committee-serang-a1@example.go.id")
    assert client.post("/admin/acara/baru", data=form).status_code == 403
    auth.logout()
    auth.login("admin@serang.go.id")
    bogor_id = world["users"]["admin-bogor"].tenant_id
    assert client.post("/admin/acara/baru", data=dict(form, tenant=str(bogor_id))).status_code == 422
    assert client.post("/admin/acara/baru", data=form).status_code == 303
    from app.events.lookup import find_event

    assert find_event("bimtek-baru").tenant_id == world["users"]["admin-serang"].tenant_id


def test_a_scan_of_another_tenants_ticket_is_404_and_checks_nobody_in(client, make, world):
    from app.models import Attendance

    person = make.registration(world["a1"])
    ticket = person.ticket_token
    for name in ("operator-bogor-b1", "committee-bogor-b1", "admin-bogor", "operator-serang-a2", "pengamat"):
        headers = {"Authorization": f"Bearer {make.api_token(world['users'][name])}"}
        response = client.post("/api/v1/checkins", json={"token": ticket, "day": "2022-06-13"}, headers=headers)
        assert response.status_code in (403, 404), (name, response.status_code)
        if name != "pengamat":  # a pengamat is no check-in role at all (403 before any event is looked up)
            assert response.status_code == 404, name
    assert db.session.execute(db.select(Attendance).filter_by(registration_id=person.id)).first() is None


def assigned_event_id(user):
    return db.session.execute(db.select(EventOperator.event_id).filter_by(user_id=user.id)).scalar_one()


def test_every_console_page_of_no_event_answers_the_roles_its_view_names(app, client, auth, world, make):
    """The console's pages of no one event (the events list, accounts, the JP ledger, governments …): the
    view's decorator names who may open them (`view.access`: "console" for admins and committees, "admin"
    for admins). In scope no method refuses (403), loses its row (404) or fails (500); anyone else gets 403.
    Ids name rows in Serang's scope: an account nobody here signs in as, its token, the event it is assigned to."""
    target = world["users"]["committee-serang-a2"]
    target_event = db.session.get(Event, assigned_event_id(target))
    ids = {"user_id": target.id, "token_id": None, "event_id": target_event.id, "tenant_slug": "kota-serang"}
    make.api_token(target)
    ids["token_id"] = db.session.execute(db.select(ApiToken.id).filter_by(user_id=target.id)).scalar_one()
    rules = [(rule, app.view_functions[rule.endpoint].access) for rule in app.url_map.iter_rules()
             if "slug" not in rule.arguments and getattr(app.view_functions[rule.endpoint], "access", None)]
    assert {access for _rule, access in rules} == {"console", "admin"}
    assert len(rules) >= 10  # the events list, accounts, the JP ledger, governments, data access
    wrong = []
    # Refused first, the admins last: their POSTs change the target account (deactivated, reactivated …).
    for name in ("operator-serang-a1", "pengamat", "pengamat-serang", "committee-serang-a1", "admin-serang",
                 "install-admin"):
        assign_operator(target, target_event)  # again: an admin before released it (…/acara/<id>/lepas)
        db.session.commit()
        auth.login(world["users"][name].email)
        for rule, access in rules:
            address = rule.build({argument: ids[argument] for argument in rule.arguments})[1]
            allowed = name.startswith(("admin", "install")) or (access == "console" and name.startswith("committee"))
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                status = client.open(address, method=method).status_code
                if (status in (403, 404, 500)) if allowed else (status != 403):
                    wrong.append((name, method, address, status))
        auth.logout()
    assert wrong == [], "\n".join(map(str, wrong))
