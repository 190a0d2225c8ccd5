"""Issue 9, item 2: hostile input answers 400/413/422 with a message, never 500, and stores nothing.

Each test is a request that answered 500 (or redirected off the site) before.
"""
from datetime import date

import pytest

from app.extensions import db
from app.models import AgendaItem, Attendance, Event, EventOrganization

LIST = "/admin/acara/bimtek-uji/peserta"


# --- JSON: lone surrogates and deep nesting -------------------------------------------------

LONE_SURROGATE = '"\\ud800"'


@pytest.mark.parametrize("field", ["token", "event", "day", "device", "scanned_at", "method", "unknown"])
def test_a_lone_surrogate_in_any_field_of_a_check_in_is_400(client, make, desk, field):
    event, _operator, headers = desk
    registration = make.registration(event)
    fields = {"token": f'"{registration.ticket_token}"', field: LONE_SURROGATE}
    body = "{" + ", ".join(f'"{key}": {value}' for key, value in fields.items()) + "}"
    response = client.post("/api/v1/checkins", data=body, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["result"] == "invalid_request"
    assert "body" in response.get_json()["errors"]
    assert db.session.execute(db.select(Attendance)).first() is None


def test_a_lone_surrogate_in_a_key_or_on_the_by_hand_route_is_400(client, make, desk):
    event, _operator, headers = desk
    registration = make.registration(event)
    url = f"/api/v1/events/{event.slug}/registrations/{registration.id}/checkins"
    for body in ('{"device": "meja\\udfff"}', '{"\\ud83d": 1}', '["\\ud800"]', '{"a": {"b": ["x\\udc00y"]}}'):
        response = client.post(url, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 400, body
        assert response.get_json()["result"] == "invalid_request"
    # A surrogate pair is a real character (an emoji) and is kept.
    pair = '{"day": "2022-06-13", "device": "meja \\ud83d\\ude00"}'
    ok = client.post(url, data=pair, content_type="application/json", headers=headers)
    assert ok.status_code == 201
    assert db.session.execute(db.select(Attendance.device)).scalar_one() == "meja \U0001f600"


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_deeper_than_the_limit_is_400(client, desk, opening):
    _event, _operator, headers = desk
    body = opening * 5000
    assert len(body) <= 64 * 1024
    for path in ("/api/v1/checkins", "/masuk/"):
        response = client.post(path, data=body, content_type="application/json", headers=headers)
        assert response.status_code == 400, path
    closed = "[" * 40 + "]" * 40  # nested, well formed, still too deep
    response = client.post("/api/v1/checkins", data=closed, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["result"] == "invalid_request"


def test_brackets_inside_strings_do_not_count_as_nesting(client, make, desk):
    event, _operator, headers = desk
    registration = make.registration(event)
    body = {"token": registration.ticket_token, "day": "2022-06-13", "device": "[" * 80 + "{" * 20}
    response = client.post("/api/v1/checkins", json=body, headers=headers)
    assert response.status_code == 201


# --- Numbers written with other Unicode digits; one redirect check ----------------------------

@pytest.mark.parametrize("query", [{"page": "²"}, {"opd": "²"}, {"kehadiran": "²:present"}, {"page": "٣"},
                                   {"page": "1" * 40}])
def test_participant_filters_with_other_digits_are_ignored_not_a_500(client, admin_with_tenant, make, query):
    make.registration(make.event(), full_name="Siti Aminah")
    response = client.get(LIST, query_string=query)
    assert response.status_code == 200
    assert "Siti Aminah" in response.get_data(as_text=True)


@pytest.mark.parametrize("form", [{"take_part": "²"}, {"take_part": "1", "quota-1": "²"},
                                  {"take_part": "1", "quota-1": "٣"}, {"take_part": "1", "quota-1": "9" * 30}])
def test_opd_table_with_other_digits_is_422_and_changes_nothing(client, admin_with_tenant, make, form):
    event = make.event()
    before = {(row.organization_id, row.quota) for row in db.session.execute(db.select(EventOrganization)).scalars()}
    form = {key: value.replace("1", str(make.event_organization_list(event)[0].id)) if key == "take_part" else value
            for key, value in form.items()}
    if "quota-1" in form:
        form[f"quota-{form['take_part']}"] = form.pop("quota-1")
    response = client.post("/admin/acara/bimtek-uji/opd", data=form)
    assert response.status_code == 422
    db.session.expire_all()
    after = {(row.organization_id, row.quota) for row in db.session.execute(db.select(EventOrganization)).scalars()}
    assert after == before


def test_registration_and_agenda_forms_read_only_ascii_ids(client, admin_with_tenant, make):
    event = make.event(dates=(date(2030, 6, 13),))
    organization = make.event_organization_list(event)[0]
    data = dict(make.participant(), consent="y", organization=f"{organization.id}".translate(str.maketrans(
        "0123456789", "٠١٢٣٤٥٦٧٨٩")))
    response = client.post("/e/bimtek-uji/daftar", data=data)
    assert response.status_code == 422
    assert "Pilih OPD dari daftar." in response.get_data(as_text=True)
    day_id = event.days[0].id
    for day in ("²", f"{day_id}".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))):
        response = client.post("/admin/acara/bimtek-uji/agenda", data={"day": day, "starts": "08:00", "title": "Sesi"})
        assert response.status_code == 422
    assert db.session.execute(db.select(AgendaItem)).first() is None


@pytest.mark.parametrize("field", ["capacity", "default_quota"])
@pytest.mark.parametrize("value", ["²", "٣", "３"])
def test_event_numbers_with_other_digits_are_a_form_error(client, admin_with_tenant, field, value):
    from tests.events_support import event_form

    response = client.post("/admin/acara/baru", data=event_form(**{field: value}))
    assert response.status_code == 422
    assert db.session.execute(db.select(Event)).first() is None


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\\evil.example", "//evil.example", "/\n/evil.example",
                                    "https://evil.example/"])
@pytest.mark.parametrize("action", ["batal", "pulihkan", "hadir", "batal-hadir"])
def test_participant_actions_go_back_only_to_this_site(client, admin_with_tenant, make, target, action):
    event = make.event()
    registration = make.registration(event)
    data = {"next": target, "day": event.days[0].id}
    if action == "batal":  # asks first (app/confirm.py): its "Kembali" link stays on this site too
        asked = client.post(f"{LIST}/{registration.id}/{action}", data=data)
        assert asked.status_code == 200 and f'href="{LIST}"' in asked.get_data(as_text=True)
    response = client.post(f"{LIST}/{registration.id}/{action}", data={**data, "confirmed": "yes"})
    assert response.status_code == 303
    assert response.headers["Location"] == LIST


def test_participant_actions_keep_a_local_back_link(client, admin_with_tenant, make):
    registration = make.registration(make.event())
    response = client.post(f"{LIST}/{registration.id}/batal",
                           data={"next": LIST + "?status=registered", "confirmed": "yes"})
    assert response.headers["Location"] == LIST + "?status=registered"


# --- Dates outside 1900-2100 in the admin forms --------------------------------------------------

@pytest.mark.parametrize("field, value", [
    ("dates-0", "0001-01-01"), ("dates-1", "1899-12-31"), ("dates-0", "2101-01-01"), ("dates-1", "9999-12-31"),
    ("registration_opens_at", "0001-01-01T00:00"), ("registration_closes_at", "9999-12-31T23:59"),
    ("registration_opens_at", "1850-01-01T08:00"), ("registration_closes_at", "2100-12-31T23:59"),
])
def test_event_dates_outside_1900_to_2100_are_a_form_error(client, admin_with_tenant, make, field, value):
    from tests.events_support import event_form

    response = client.post("/admin/acara/baru", data=event_form(**{field: value}))
    assert response.status_code == 422
    assert "1900" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Event)).first() is None
    make.event()
    response = client.post("/admin/acara/bimtek-uji/ubah", data=event_form(slug="bimtek-uji", **{field: value}))
    assert response.status_code == 422
    db.session.expire_all()
    event = db.session.execute(db.select(Event)).scalar_one()
    assert [day.date for day in event.days] == [date(2022, 6, 13), date(2022, 6, 14)]


def test_the_edges_of_the_range_are_accepted(client, admin_with_tenant):
    from tests.events_support import event_form

    response = client.post("/admin/acara/baru", data=event_form(**{
        "dates-0": "1900-01-01", "dates-1": "2099-12-31", "registration_opens_at": "1900-01-01T08:00",
        "registration_closes_at": "2099-12-30T23:59"}))
    assert response.status_code == 303


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_station_reads_with_far_away_days_are_not_a_500(client, desk, day):
    event, _operator, headers = desk
    for path in ("counts", "registrations?q=a", "roster"):
        separator = "&" if "?" in path else "?"
        response = client.get(f"/api/v1/events/{event.slug}/{path}{separator}day={day}", headers=headers)
        assert response.status_code < 500, path


def test_the_nesting_check_is_linear_even_for_unclosed_strings_full_of_escaped_quotes(client, desk):
    import time

    _event, _operator, headers = desk
    for body in (b'"' + b'\\"' * 30_000, b'["' + b'\\"' * 30_000, b'\\"' * 30_000):
        started = time.perf_counter()
        response = client.post("/api/v1/checkins", data=body, content_type="application/json", headers=headers)
        assert response.status_code == 400
        assert time.perf_counter() - started < 2.0
