"""Property-based fuzzing (Hypothesis) of the check-in API and the registration form, on SQLite and PostgreSQL.

Whatever JSON a scanner sends, and whatever a browser posts to the registration form, the
answer is never a 5xx: arbitrary JSON values (lone surrogates, deep nesting, huge numbers,
odd dates) around the real field names, raw bytes, and form values in any script. Each
example's transaction is rolled back by the app or the test; nothing else is assumed.
"""
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db

FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Every character, lone surrogates (category Cs) included: json.dumps escapes them as \udxxx.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
FORM_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)  # a form body is UTF-8: no surrogates
DIGITS = st.sampled_from(["0", "1", "²", "٣", "３", "99999999999999999999", "-1", "1e3", " 7 ", "0x10"])
DATES = st.one_of(st.dates().map(date.isoformat), st.sampled_from(["2022-06-13", "2022-02-30", "0000-00-00"]))
MOMENTS = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    st.sampled_from(["2022-06-13T07:58:01+07:00", "2022-06-13T07:58:01", "9999-12-31T23:59:59-14:00",
                     "2022-06-13T07:58:01+99:00", "2022-06-13T25:00:00+07:00"]),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT, DIGITS)
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(ANY_TEXT, inner, max_size=4), max_leaves=12)


def check_in_bodies(token):
    field = st.one_of(JSON_VALUES, DATES, MOMENTS, st.just(token), st.sampled_from(["scanner", "camera", "manual"]))
    objects = st.fixed_dictionaries({}, optional={
        "token": st.one_of(st.just(token), field), "day": field, "scanned_at": field, "device": field,
        "method": field, "event": st.one_of(st.just("bimtek-uji"), field),
    })
    extra = st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=2)
    objects = st.tuples(objects, extra).map(lambda pair: {**pair[1], **pair[0]})
    as_json = st.one_of(objects, JSON_VALUES).map(lambda value: json.dumps(value).encode())
    nested = st.integers(1, 6000).map(lambda depth: b"[" * depth + b'{"token":' * (depth % 3))
    return st.one_of(as_json, as_json, as_json, st.binary(max_size=200), nested)


@pytest.fixture
def scan_desk(client, make, desk):
    event, _operator, headers = desk
    registration = make.registration(event)
    return registration, headers


@FUZZ
@given(data=st.data())
def test_any_json_sent_to_the_check_in_api_is_never_a_500(client, scan_desk, data):
    registration, headers = scan_desk
    body = data.draw(check_in_bodies(registration.ticket_token), label="body")
    path = data.draw(st.sampled_from([
        "/api/v1/checkins", f"/api/v1/events/bimtek-uji/registrations/{registration.id}/checkins"]), label="path")
    response = client.post(path, data=body, content_type="application/json", headers=headers)
    db.session.rollback()
    assert response.status_code < 500, (response.status_code, body[:300])
    if response.status_code == 400:
        assert response.is_json and response.get_json()["result"] in {"invalid_request", "error"}


FORM_FIELDS = ("full_name", "nip", "position", "rank", "organization", "phone", "email", "consent", "csrf_token")


@pytest.fixture
def open_event(make):
    event = make.event(dates=(date(2030, 6, 13),), quota=1000)
    return [str(organization.id) for organization in make.event_organization_list(event)]


@FUZZ
@given(data=st.data())
def test_any_registration_form_is_never_a_500(client, make, open_event, data):
    value = st.one_of(FORM_TEXT, DIGITS, DATES, st.sampled_from(open_event), st.just("y"),
                      st.sampled_from(["198001012005011001", "0812 3456 7890", "a@b.go.id", "+62 812-3456-7890"]))
    form = data.draw(st.dictionaries(st.one_of(st.sampled_from(FORM_FIELDS), FORM_TEXT),
                                     st.one_of(value, st.lists(value, max_size=3)), max_size=10), label="form")
    response = client.post("/e/bimtek-uji/daftar", data=form)
    db.session.rollback()
    assert response.status_code < 500, (response.status_code, form)
    assert response.status_code in {200, 303, 400, 409, 422, 429}
