"""What the station page reads besides check-ins: counts, search, the offline copy; and who gets in."""
import hashlib
import json

from app.extensions import db
from app.models import STATUS_CANCELLED, Attendance, EventOperator, User
from tests.checkin_support import operator_headers


def test_counts_present_on_the_day_over_registered(client, make):
    event = make.event()
    _operator, headers = operator_headers(make, event)
    people = [make.registration(event, organization) for organization in make.event_organization_list(event)]
    people[2].status = STATUS_CANCELLED
    db.session.commit()
    client.post("/api/v1/checkins", json={"token": people[0].ticket_token, "day": "2022-06-13"}, headers=headers)
    day1 = client.get(f"/api/v1/events/{event.slug}/counts?day=2022-06-13", headers=headers).get_json()
    day2 = client.get(f"/api/v1/events/{event.slug}/counts?day=2022-06-14", headers=headers).get_json()
    assert (day1["present"], day1["registered"]) == (1, 2)
    assert (day2["present"], day2["registered"]) == (0, 2)


def test_search_by_name_or_nip_shows_a_masked_nip_only(client, make):
    event = make.event()
    _operator, headers = operator_headers(make, event)
    siti = make.registration(event, full_name="Siti Aminah", nip="198505052010012003")
    make.registration(event, full_name="Ahmad Fauzi")
    client.post("/api/v1/checkins", json={"token": siti.ticket_token, "day": "2022-06-13"}, headers=headers)

    by_name = client.get(f"/api/v1/events/{event.slug}/registrations?q=aminah&day=2022-06-13", headers=headers)
    [found] = by_name.get_json()["results"]
    assert found["full_name"] == "Siti Aminah"
    assert found["masked_nip"] == "••••••••••••••2003"
    assert found["checked_in_at"].startswith("2")
    by_nip = client.get(f"/api/v1/events/{event.slug}/registrations?q=19850505 201001 2 003",
                        headers=headers).get_json()
    assert [person["full_name"] for person in by_nip["results"]] == ["Siti Aminah"]
    for response in (by_name, client.get(f"/api/v1/events/{event.slug}/registrations?q=1985", headers=headers)):
        text = response.get_data(as_text=True)
        assert siti.nip not in text and siti.phone not in text and siti.email not in text
    assert client.get(f"/api/v1/events/{event.slug}/registrations?q=%25", headers=headers).get_json()["results"] == []


def test_part_of_a_nip_finds_nobody_so_searches_cannot_spell_a_nip_out(client, make):
    """The operator sees the last four digits; a search per candidate digit must not reveal the rest."""
    event = make.event()
    _operator, headers = operator_headers(make, event)
    make.registration(event, full_name="Siti Aminah", nip="198505052010012003")
    for part in ("2003", "12003", "0012003", "19850505", "1985050520100120"):
        found = client.get(f"/api/v1/events/{event.slug}/registrations?q={part}", headers=headers).get_json()
        assert found["results"] == [], part


def test_the_offline_copy_holds_hashes_names_and_check_ins_but_no_personal_data(client, make):
    event = make.event()
    _operator, headers = operator_headers(make, event)
    people = [make.registration(event) for _ in range(2)]
    client.post("/api/v1/checkins", json={"token": people[0].ticket_token, "day": "2022-06-14"}, headers=headers)
    response = client.get(f"/api/v1/events/{event.slug}/roster", headers=headers)
    body = response.get_json()
    assert [day["date"] for day in body["days"]] == ["2022-06-13", "2022-06-14"]
    tickets = {ticket["hash"]: ticket for ticket in body["tickets"]}
    first = tickets[hashlib.sha256(people[0].ticket_token.encode()).hexdigest()]
    assert first["full_name"] == people[0].full_name and first["status"] == "registered"
    assert list(first["checked_in"]) == ["2022-06-14"]
    text = response.get_data(as_text=True)
    for person in people:
        for secret in (person.ticket_token, person.nip, person.phone, person.email):
            assert secret not in text


def test_a_person_without_a_ticket_is_checked_in_by_hand(client, make):
    event = make.event()
    operator, headers = operator_headers(make, event)
    person = make.registration(event)
    url = f"/api/v1/events/{event.slug}/registrations/{person.id}/checkins"
    response = client.post(url, json={"day": "2022-06-13", "device": "meja-2"}, headers=headers)
    assert response.status_code == 201
    assert client.post(url, json={"day": "2022-06-13"}, headers=headers).status_code == 200
    attendance = db.session.execute(db.select(Attendance)).scalar_one()
    assert (attendance.method, attendance.device, attendance.operator_id) == ("manual", "meja-2", operator.id)
    other = make.event(slug="lain")
    stranger = make.registration(other)
    wrong = client.post(f"/api/v1/events/{event.slug}/registrations/{stranger.id}/checkins", json={}, headers=headers)
    assert wrong.status_code == 404


def test_the_station_page_is_for_operators_of_the_event(client, auth, make):
    event = make.event()
    assert client.get(f"/e/{event.slug}/checkin").status_code == 302
    make.user("lain@example.go.id", role="operator")
    auth.login("lain@example.go.id")
    assert client.get(f"/e/{event.slug}/checkin").status_code == 404  # outside their scope
    auth.logout()
    operator_headers(make, event)
    auth.login("meja@example.go.id")
    page = client.get(f"/e/{event.slug}/checkin")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    config = json.loads(text.split('id="station-config">', 1)[1].split("</script>", 1)[0])
    assert config["slug"] == event.slug and config["days"] == ["2022-06-13", "2022-06-14"]
    assert "/static/vendor/jsqr/jsQR.js" in config["assets"]
    assert "Hari ini" in text  # the 2022 event is not today: the desk is asked to pick a day
    assert "Hadir pada hari terpilih" in text and "Hadir hari ini" not in text  # the count is the chosen day's
    assert client.get("/e/tidak-ada/checkin").status_code == 404


def test_the_service_worker_may_control_the_station_pages(client):
    response = client.get("/checkin-sw.js")
    assert response.status_code == 200
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.mimetype == "text/javascript"
    assert "hadir-station" in response.get_data(as_text=True)


def test_healthz_answers_without_a_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok\n")


def test_cli_creates_an_operator_for_an_event_and_assigns_another(runner, make):
    first, second = make.event(), make.event(slug="kedua")
    result = runner.invoke(args=["create-user", "op@example.go.id", "--role", "operator", "--event", first.slug],
                           input="rahasia-panitia-123\n")
    assert result.exit_code == 0, result.output
    assert "operator of bimtek-uji" in result.output
    result = runner.invoke(args=["assign-operator", "op@example.go.id", "kedua"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["assign-operator", "op@example.go.id", "kedua"])
    assert "already works on kedua" in again.output
    user = db.session.execute(db.select(User).filter_by(email="op@example.go.id")).scalar_one()
    rows = db.session.execute(db.select(EventOperator.event_id).filter_by(user_id=user.id)).scalars().all()
    assert sorted(rows) == sorted([first.id, second.id])
    missing = runner.invoke(args=["assign-operator", "op@example.go.id", "tidak-ada"])
    assert missing.exit_code != 0 and "no event" in missing.output
