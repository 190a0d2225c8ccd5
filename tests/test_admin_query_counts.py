"""The dashboard and the participant list cost the same number of queries for 10 and for 1,000 people."""
from datetime import UTC, datetime

from sqlalchemy import insert

from app.extensions import db
from app.models import Attendance, Registration
from tests import factories
from tests.query_counts import counted_queries


def add_people(event, organizations, count, start=0):
    """`count` registrations spread over the OPDs, half present on day 1 — inserted in bulk."""
    rows = [
        {
            "event_id": event.id, "organization_id": organizations[n % len(organizations)].id,
            "full_name": f"Peserta {n}", "nip": factories.nip(n), "position": "Analis",
            "phone": f"+62813{n:08d}", "email": f"p{n}@example.go.id",
        }
        for n in range(start, start + count)
    ]
    db.session.execute(insert(Registration), rows)
    ids = db.session.execute(
        db.select(Registration.id).filter_by(event_id=event.id).order_by(Registration.id)
    ).scalars().all()
    moment = datetime(2022, 6, 13, 1, 0, tzinfo=UTC)
    present = [
        {"event_id": event.id, "registration_id": registration_id, "event_day_id": event.days[0].id,
         "checked_in_at": moment, "method": "scanner"}
        for registration_id in ids[start:][::2]
    ]
    db.session.execute(insert(Attendance), present)
    db.session.commit()


PAGES = [
    "/admin/acara/bimtek-uji",
    "/admin/acara/bimtek-uji/dasbor/langsung",
    "/admin/acara/bimtek-uji/dasbor.json",
    "/admin/acara/bimtek-uji/peserta",
    "/admin/acara/bimtek-uji/peserta?q=peserta&kehadiran={day}:present",
    "/admin/acara/bimtek-uji/peserta?status=registered&page=3",
]


def queries_per_page(client, event):
    result = {}
    day_id = event.days[0].id
    for page in PAGES:
        url = page.format(day=day_id)
        # Nothing answered from the identity map: as with the fresh session of a real request.
        db.session.expire_all()
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        result[url] = len(statements)
    return result


def test_queries_do_not_grow_with_registrations(client, make, auth):
    event = make.event(opds=12, quota=None)
    organizations = make.event_organization_list(event)
    make.user()
    auth.login("admin@example.go.id")
    add_people(event, organizations, 10)
    with_ten = queries_per_page(client, event)
    add_people(event, organizations, 990, start=10)
    assert client.get("/admin/acara/bimtek-uji/dasbor.json").get_json()["registered"] == 1000
    with_thousand = queries_per_page(client, event)
    assert with_thousand == with_ten
    assert max(with_ten.values()) <= 8, with_ten
