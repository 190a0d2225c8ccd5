"""No input makes the app answer 500: every route of the URL map, odd inputs, three kinds of visitor.

Each route is called with odd path values (unknown, very long, NUL, invalid UTF-8, traversal,
integers beyond PostgreSQL's range), then in its real path with odd query strings, form bodies
and JSON bodies. Failures are collected and shown together.
"""
import io
import json
import re
from datetime import date
from urllib.parse import quote

import pytest

from app.events.services import add_agenda_item
from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.downloads import current_storage
from app.materials.services import Upload, upload_materials
from app.tenants.operators import assign_operator
from tests.materials_support import pdf

HUGE = "99999999999999999999"
ODD_TEXT = [
    "x" * 5000, "a\x00b", "2022-02-30", "9999-99-99", HUGE, "²", "/\\evil.example", "<script>alert(1)</script>", "",
]
# Percent-encoded bytes that are not UTF-8, and a NUL.
ODD_RAW = ["%ff%fe", "%c3%28", "%00"]
ODD_JSON = [
    [1, 2], 1, 10**30, True, "text", {"a": {"b": [1]}}, "\x00", "9999-99-99", "2022-06-13T07:00:00+99:00",
    "2022-06-13T07:00:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
]
FIELDS = [
    "q", "day", "lang", "next", "agenda", "baru", "full_name", "nip", "position", "rank", "organization",
    "phone", "email", "consent", "password", "remember", "csrf_token", "title", "visibility", "agenda_item",
    "arah", "titles", "token", "event", "device", "scanned_at", "method",
]
JSON_KEYS = ["token", "event", "day", "device", "scanned_at", "method"]
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@pytest.fixture
def world(app, make):
    event = make.event(dates=(date(2030, 6, 13), date(2030, 6, 14)))
    item = add_agenda_item(event, event.days[0], "08:00", "09:00", "Sesi Uji")
    registration = make.registration(event)
    admin = make.user("admin@example.go.id", "admin")
    assign_operator(make.user("operator@example.go.id", "operator"), event)
    [material] = upload_materials(
        event, [Upload(name="materi.pdf", stream=io.BytesIO(pdf()), title="Materi")], agenda_item_id=item.id,
        visibility="public", policy=UploadPolicy.from_config(app.config), storage=current_storage(),
        uploaded_by_id=admin.id,
    )
    db.session.commit()
    return {"slug": event.slug, "token": registration.ticket_token, "code": "en", "filename": "css/app.css",
            "material_id": str(material.id), "agenda_item_id": str(item.id), "registration_id": str(registration.id)}


def _odd_path_values(kind, real):
    if kind == "int":
        return [real, "0", HUGE, "9223372036854775808"]
    return [real, "tidak-ada", "x" * 3000, "..%2F..%2Fetc%2Fpasswd", "a%00b", "%ff%fe", "%2e%2e"]


def _paths(rule, world):
    """(the path with real values, the paths with one odd value each)."""
    slots = [(m.group(1) == "int" and "int" or "str", m.group(2)) for m in PLACEHOLDER.finditer(rule.rule)]
    # A route added later with an argument this walk does not know still gets a plausible value.
    real = [world.get(name, "1" if kind == "int" else "tidak-ada") for kind, name in slots]

    def build(values):
        parts = iter(values)
        return PLACEHOLDER.sub(lambda _m: next(parts), rule.rule)

    odd = [build(real[:i] + [value] + real[i + 1:])
           for i, (kind, _name) in enumerate(slots) for value in _odd_path_values(kind, real[i])]
    return build(real), odd or [build(real)]


def _requests(rule, world):
    real, odd_paths = _paths(rule, world)
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        post = method == "POST"
        for path in odd_paths:
            # A JSON object for POST, so that the API reaches its lookup of the path's ids.
            yield method, path, {"json": {}} if post else {}
        if rule.endpoint == "static":
            continue
        for value in ODD_TEXT:
            query = "&".join(f"{n}={quote(value, safe='')}" for n in FIELDS)
            yield method, real, {"query_string": query, **({"data": dict.fromkeys(FIELDS, value)} if post else {})}
        for raw in ODD_RAW:
            encoded = "&".join(f"{name}={raw}" for name in FIELDS)
            form = {"data": encoded, "content_type": "application/x-www-form-urlencoded"} if post else {}
            yield method, real, {"query_string": encoded, **form}
        if post:
            for value in ODD_JSON:
                yield method, real, {"data": json.dumps(value), "content_type": "application/json"}
                body = json.dumps({key: value for key in JSON_KEYS})
                yield method, real, {"data": body, "content_type": "application/json"}
                if rule.rule.startswith("/api/"):
                    # One odd field beside a real ticket, so that the check-in gets as far as using it.
                    for key in JSON_KEYS[1:]:
                        yield method, real, {"json": {"token": world["token"], key: value}}
            yield method, real, {"data": b'{"token": "\xff\xfe"}', "content_type": "application/json"}
            yield method, real, {"data": b"{not json", "content_type": "application/json"}


@pytest.mark.parametrize("who", ["anonymous", "operator", "admin"])
def test_no_input_makes_any_route_answer_500(app, client, auth, world, who):
    if who != "anonymous":
        auth.login(f"{who}@example.go.id")
    failures, count = [], 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "auth.logout":
            continue  # tried last, so the session lasts the whole walk
        for method, path, options in _requests(rule, world):
            count += 1
            response = client.open(path, method=method, **options)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {method} {path[:80]} {str(options)[:120]}")
            db.session.rollback()
    assert client.post("/masuk/keluar").status_code < 500
    assert count > 500
    assert not failures, f"{len(failures)} of {count} requests answered 5xx:\n" + "\n".join(failures[:40])


def test_a_valid_registration_with_a_nul_in_the_name_is_refused_not_a_500(client, make):
    event = make.event(dates=(date(2030, 6, 13),))
    data = dict(make.participant(full_name="Budi\x00Santoso"), consent="y",
                organization=str(make.event_organization_list(event)[0].id))
    response = client.post(f"/e/{event.slug}/daftar", data=data)
    assert response.status_code == 400


def test_a_check_in_with_an_escaped_nul_is_refused_not_a_500(client, make):
    event = make.event(dates=(date(2030, 6, 13),))
    secret = make.api_token(make.user("operator@example.go.id", "admin"))
    registration = make.registration(event)
    response = client.post("/api/v1/checkins", headers={"Authorization": f"Bearer {secret}"},
                           json={"token": registration.ticket_token, "device": "meja\x001"})
    assert response.status_code == 400
    assert response.is_json


def test_a_json_body_on_the_login_form_counts_as_an_empty_form(client, make):
    make.user("admin@example.go.id", "admin")
    for body in ([1, 2], "text", {"email": [1], "password": {"a": 1}}):
        response = client.post("/masuk/", json=body)
        assert response.status_code == 200
    assert client.get("/e/tidak-ada/checkin").status_code == 302  # still not logged in


def test_a_json_body_is_read_only_up_to_64_kib(client):
    big = json.dumps({"token": "x", "pad": "y" * 70_000})
    for path in ("/masuk/", "/api/v1/checkins"):
        assert client.post(path, data=big, content_type="application/json").status_code == 413
    assert client.post("/api/v1/checkins", json={"token": "x"}).status_code == 401
