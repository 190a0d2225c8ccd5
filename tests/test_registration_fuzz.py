"""The registration form under arbitrary values (Hypothesis), on SQLite and PostgreSQL: never a 500,
and whatever is stored meets the rules."""
import itertools
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Registration
from app.values import BIDI_CONTROLS
from tests.registration_support import URL, form_data

TRICKY = st.sampled_from(list("\u0301\u00a0\u200b\u200d\ufeff\u3164\u202e\u2067١３²\t\n -.+@")) | st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00")
VALUE = st.lists(TRICKY, max_size=30).map("".join) | st.sampled_from(
    ["198001012005011001", "198002302005011001", "0812 3456 7890", "+44 20 7946 0958", "x" * 300, ""])
NUMBERS = itertools.count()
FIELDS = ("full_name", "nip", "position", "rank", "phone", "email", "organization", "consent")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=len(FIELDS)))
def test_any_registration_form_is_answered_without_a_500(client, make, overrides):
    from app.events.lookup import find_event

    event = find_event("bimtek-uji") or make.event(quota=None)
    organization = make.event_organization_list(event)[0]
    # A new e-mail and no NIP by default, so that examples are not all refused as duplicates.
    base = form_data(organization, email=f"fuzz{next(NUMBERS)}@example.go.id", nip="")
    response = client.post(URL, data={**base, **overrides})
    assert response.status_code in {303, 422}, response.status_code
    for registration in db.session.execute(db.select(Registration)).scalars():
        for text in (registration.full_name, registration.position, registration.rank or ""):
            assert unicodedata.is_normalized("NFC", text) and text == text.strip()
            assert not any(ch in BIDI_CONTROLS or unicodedata.category(ch) == "Cf" for ch in text)
        assert registration.phone.startswith("+62")
        assert registration.nip is None or len(registration.nip) == 18
