"""Scopes: the whole URL map, walked by users of two tenants in every role.

Every route that names an event (a `slug`) outside the public pages answers 404 to anyone whose
scope does not hold that event (never 403: another government's events do not exist for them),
whatever the method, and the ids of its participants, agenda and materials with it. Routes added
later are walked too: a new public route with a slug must be added to PUBLIC_BLUEPRINTS.
"""
from datetime import UTC, date, datetime

import pytest
from werkzeug.routing.converters import NumberConverter

from app.checkin.access import assign_operator
from app.events.services import add_agenda_item
from app.extensions import db
from app.models import Material
from app.privacy.services import request_deletion

# Pages anyone may open: the event page, the registration form, public materials, tickets by their secret.
PUBLIC_BLUEPRINTS = {"public", "registration", "materials", "i18n", "health", "auth", "privacy", "messages",
                     "evaluation", "certificates", "waitlist"}


@pytest.fixture
def world(make):
    """Two tenants; Serang has events A1 and A2, Bogor has B1. One user per role and scope."""
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    a1 = make.event("serang-a1", tenant=serang)
    a2 = make.event("serang-a2", tenant=serang, dates=(date(2022, 7, 1),))
    b1 = make.event("bogor-b1", tenant=bogor)
    registration = make.registration(a1)
    item = add_agenda_item(a1, a1.days[0], "08:00", "09:00", "Pembukaan")
    material = Material(event_id=a1.id, title="Modul", original_name="modul.pdf", stored_name="x" * 40,
                        content_type="application/pdf", size=10, updated_at=datetime.now(UTC))
    db.session.add(material)
    deletion = request_deletion(registration, "pindah tugas")
    db.session.commit()
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
    ids = {"registration_id": registration.id, "item_id": item.id, "material_id": material.id,
           "agenda_item_id": item.id, "request_id": deletion.id}
    return {"a1": a1, "ids": ids, "users": users}


def scoped_rules(app):
    rules = [rule for rule in app.url_map.iter_rules()
             if "slug" in rule.arguments and rule.endpoint.split(".")[0] not in PUBLIC_BLUEPRINTS]
    assert len(rules) >= 30  # the console, the materials, the desk and the API
    return rules


def url(rule, slug, ids):
    values = {}
    for name in rule.arguments:
        if name == "slug":
            values[name] = slug
        elif isinstance(rule._converters[name], NumberConverter):
            values[name] = ids.get(name, 1)  # an id of A1's, else 1 (routes added later)
        else:
            values[name] = "x"
    return rule.build(values)[1]


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
                    # In scope no route refuses (403) or fails (500), whatever the method; a POST without a
                    # form answers 400/422 or goes back (302/303). A route of a row A1 lacks may answer 404.
                    status = client.open(address, method=method).status_code
                    assert status not in (403, 500), (name, method, address, status)
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

    ticket = make.registration(world["a1"]).ticket_token
    for name in ("operator-bogor-b1", "committee-bogor-b1", "admin-bogor", "operator-serang-a2", "pengamat"):
        headers = {"Authorization": f"Bearer {make.api_token(world['users'][name])}"}
        response = client.post("/api/v1/checkins", json={"token": ticket, "day": "2022-06-13"}, headers=headers)
        assert response.status_code in (403, 404), (name, response.status_code)
        if name != "pengamat":  # a pengamat is no check-in role at all (403 before any event is looked up)
            assert response.status_code == 404, name
    assert db.session.execute(db.select(Attendance)).first() is None
