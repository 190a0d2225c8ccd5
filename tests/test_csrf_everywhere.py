"""With CSRF on, no state-changing request of a signed-in admin goes through without the token."""
import io

from app.extensions import db
from app.models import Attendance, Material
from tests.materials_support import pdf, session


def _fill(rule, values):
    # CSRF is checked before the view runs, so an id that finds nothing still proves the point.
    return rule.build({name: values.get(name, 1) for name in rule.arguments})[1]


def test_every_post_route_refuses_a_signed_in_admin_without_the_csrf_token(app, client, auth, make):
    event = make.event()
    item = session(event, "Sesi Uji")
    registration = make.registration(event)
    make.user("admin@example.go.id", "admin")
    auth.login("admin@example.go.id")
    client.post(f"/admin/acara/{event.slug}/materi", data={"files": [(io.BytesIO(pdf()), "a.pdf")],
                                                       "agenda_item": str(item.id), "visibility": "public"})
    material = db.session.execute(db.select(Material)).scalar_one()
    values = {"slug": event.slug, "material_id": material.id, "registration_id": registration.id,
              "item_id": item.id, "token": registration.ticket_token}
    app.config["WTF_CSRF_ENABLED"] = True
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) >= 9
    for rule in posts:
        path = _fill(rule, values)
        form = client.post(path, data={"title": "Baru", "visibility": "public", "arah": "turun",
                                       "email": "admin@example.go.id", "password": make.PASSWORD})
        as_json = client.post(path, json={"token": registration.ticket_token, "day": "2022-06-13"})
        assert (form.status_code, as_json.status_code) == (400, 400), path
    db.session.expire_all()
    assert db.session.get(Material, material.id).title != "Baru"
    assert db.session.execute(db.select(Attendance)).first() is None
    assert client.get(f"/admin/acara/{event.slug}/materi").status_code == 200  # logout was refused too


def test_a_bearer_token_in_a_cookie_is_no_login(client, make):
    event = make.event()
    secret = make.api_token(make.user("meja@example.go.id", "operator"))
    client.set_cookie("Authorization", f"Bearer {secret}")
    client.set_cookie("session", secret)
    assert client.get(f"/api/v1/events/{event.slug}/counts").status_code == 401
    assert client.get(f"/api/v1/events/{event.slug}/counts?access_token={secret}").status_code == 401
