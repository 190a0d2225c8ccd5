"""A desk's own credentials and its cheap copy (issue 19): the device token an operator's station
receives, and the roster refreshed by changes only, validated by an ETag and compressed."""
import gzip
import json
from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import STATUS_CANCELLED, ApiToken, Registration
from tests.checkin_support import operator_headers


def station_session(client, auth, make, event):
    operator, _headers = operator_headers(make, event)
    auth.login(operator.email)
    return operator


def test_an_operator_opening_the_station_gets_a_device_token_named_after_the_desk(client, auth, make):
    event = make.event()
    station_session(client, auth, make, event)
    answer = client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "meja-2"})
    assert answer.status_code == 200
    secret = answer.get_json()["token"]
    [token] = db.session.execute(db.select(ApiToken).filter_by(name="Meja check-in: meja-2")).scalars().all()
    assert token.expires_at is not None and token.expires_at > datetime.now(UTC) + timedelta(days=13)

    # Bearer calls need no CSRF token and no session: a restarted browser sends the same.
    client.post("/masuk/keluar")
    bearer = {"Authorization": f"Bearer {secret}"}
    person = make.registration(event)
    checked = client.post("/api/v1/checkins", json={"token": person.ticket_token, "day": "2022-06-13"}, headers=bearer)
    assert checked.status_code == 201


def test_a_desk_asking_again_replaces_its_token_and_nobody_else_s(client, auth, make):
    event = make.event()
    operator = station_session(client, auth, make, event)
    first = client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "meja-1"}).get_json()["token"]
    scripts = make.api_token(operator)  # a token of the same operator from `flask create-token`
    second = client.post(f"/e/{event.slug}/checkin/perangkat",
                         json={"device": "meja-1", "replaces": first}).get_json()["token"]
    person = make.registration(event)
    body = {"token": person.ticket_token, "day": "2022-06-13"}
    assert client.post("/api/v1/checkins", json=body, headers={"Authorization": f"Bearer {first}"}).status_code == 401
    assert client.post("/api/v1/checkins", json=body, headers={"Authorization": f"Bearer {second}"}).status_code == 201
    assert client.post("/api/v1/checkins", json=body, headers={"Authorization": f"Bearer {scripts}"}).status_code == 200


def test_a_device_token_needs_the_session_and_csrf_and_the_event_s_operator(app, client, auth, make):
    event, other = make.event(), make.event(slug="lain")
    station_session(client, auth, make, event)
    assert client.post(f"/e/{other.slug}/checkin/perangkat", json={"device": "x"}).status_code == 404
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "x"}).status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    client.post("/masuk/keluar")
    refused = client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "x"})
    assert refused.status_code in (302, 401)
    assert db.session.execute(db.select(ApiToken).filter_by(name="Meja check-in: x")).scalars().all() == []


def test_an_expired_or_revoked_device_token_is_refused(client, auth, make, runner):
    event = make.event()
    operator = station_session(client, auth, make, event)
    secret = client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "meja-1"}).get_json()["token"]
    bearer = {"Authorization": f"Bearer {secret}"}
    counts = f"/api/v1/events/{event.slug}/counts"
    assert client.get(counts, headers=bearer).status_code == 200
    token = db.session.execute(db.select(ApiToken).filter_by(name="Meja check-in: meja-1")).scalar_one()
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    from app.cache import forget_everything

    forget_everything()
    assert client.get(counts, headers=bearer).status_code == 401

    fresh = client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "meja-1"}).get_json()["token"]
    assert client.get(counts, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    assert runner.invoke(args=["revoke-tokens", operator.email]).exit_code == 0
    forget_everything()
    assert client.get(counts, headers={"Authorization": f"Bearer {fresh}"}).status_code == 401


def test_the_console_lists_and_revokes_a_desk_s_token(client, auth, make):
    event = make.event()
    operator = station_session(client, auth, make, event)
    client.post(f"/e/{event.slug}/checkin/perangkat", json={"device": "meja-depan"})
    client.post("/masuk/keluar")
    make.user("admin@example.go.id", role="admin")
    auth.login("admin@example.go.id")
    page = client.get(f"/admin/pengguna/{operator.id}")
    assert page.status_code == 200 and "Meja check-in: meja-depan" in page.get_data(as_text=True)


def test_the_roster_sends_only_what_changed_and_nothing_when_nothing_did(client, make):
    event = make.event()
    _operator, headers = operator_headers(make, event)
    organizations = make.event_organization_list(event)
    staying, leaving = make.registration(event, organizations[0]), make.registration(event, organizations[1])
    db.session.execute(db.update(Registration).values(updated_at=datetime.now(UTC) - timedelta(minutes=5)))
    db.session.commit()
    url = f"/api/v1/events/{event.slug}/roster"
    whole = client.get(url, headers=headers)
    copy = whole.get_json()
    assert copy["complete"] is True and len(copy["tickets"]) == 2
    etag = whole.headers["ETag"]
    assert etag.startswith('W/"')

    unchanged = client.get(f"{url}?since={copy['version']}", headers=dict(headers, **{"If-None-Match": etag}))
    assert unchanged.status_code == 304 and unchanged.data == b""
    wire = sum(len(f"{name}: {value}\r\n") for name, value in unchanged.headers.items()) + len(unchanged.data)
    assert wire < 2048

    leaving.status = STATUS_CANCELLED
    newcomer = make.registration(event, organizations[2])
    db.session.commit()
    changed = client.get(f"{url}?since={copy['version']}", headers=dict(headers, **{"If-None-Match": etag}))
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    delta = changed.get_json()
    assert delta["complete"] is False
    assert {ticket["id"]: ticket["status"] for ticket in delta["tickets"]} == {
        leaving.id: "cancelled", newcomer.id: "registered"}
    assert staying.id not in {ticket["id"] for ticket in delta["tickets"]}

    # A check-in is a change too: the person's entry comes back with the day.
    client.post("/api/v1/checkins", json={"token": staying.ticket_token, "day": "2022-06-13"}, headers=headers)
    validated = dict(headers, **{"If-None-Match": changed.headers["ETag"]})
    after = client.get(f"{url}?since={delta['version']}", headers=validated)
    [entry] = [ticket for ticket in after.get_json()["tickets"] if ticket["id"] == staying.id]
    assert list(entry["checked_in"]) == ["2022-06-13"]


def test_the_roster_is_compressed(client, make):
    event = make.event(quota=30)
    _operator, headers = operator_headers(make, event)
    for _ in range(30):
        make.registration(event)
    answer = client.get(f"/api/v1/events/{event.slug}/roster", headers=dict(headers, **{"Accept-Encoding": "gzip"}))
    assert answer.headers["Content-Encoding"] == "gzip"
    raw = gzip.decompress(answer.data)
    assert len(answer.data) < len(raw) / 2
    assert len(json.loads(raw)["tickets"]) == 30
