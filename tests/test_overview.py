"""The pengamat's programme overview: the right figures, aggregates only (page, JSON, .xlsx), its
scope, and a number of queries that stays the same from 2 to 100 events (50 tenants × 2)."""
import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import insert

from app.checkin.services import check_in
from app.extensions import db
from app.models import Attendance, Event, EventDay, EventOrganization, Organization, Registration, Tenant
from app.overview.services import FIGURE_PROVIDERS
from tests.query_counts import counted_queries

PAGES = ("/pengamat/", "/pengamat/ringkasan.json", "/pengamat/ringkasan.xlsx")
PERSONAL_KEYS = {"full_name", "nip", "phone", "email", "name", "position", "rank", "ticket_token"}


def test_the_figures_per_event(client, make, auth):
    event = make.event(opds=3, quota=10)
    first, second, third = (make.registration(event) for _ in range(3))
    cancelled = make.registration(event)
    cancelled.status = "cancelled"
    for person in (first, second):
        check_in(person, event.days[0], method="manual")
    check_in(first, event.days[1], method="manual")
    check_in(cancelled, event.days[0], method="manual")
    db.session.commit()
    make.user("pengamat@kemendagri.go.id", role="pengamat")
    auth.login("pengamat@kemendagri.go.id")
    data = client.get("/pengamat/ringkasan.json").get_json()
    assert data["totals"] == {"events": 1, "tenants": 1, "registered": 3, "present_every_day": 1}
    [row] = data["events"]
    assert row["tenant"] == "Pemerintah Kota Uji" and row["dates"] == ["2022-06-13", "2022-06-14"]
    assert (row["opds_taking_part"], row["opds_with_participants"], row["registered"]) == (3, 1, 3)
    assert [day["present"] for day in row["present_per_day"]] == [2, 1]
    assert row["present_every_day"] == 1
    assert third.id  # registered, never present


def test_the_overview_never_returns_a_personal_field(client, make, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    event = make.event("serang-1", tenant=serang)
    person = make.registration(event, full_name="=HYPERLINK(\"http://x\")", email="rahasia@serang.go.id",
                               nip="199001012015031001", phone="+6281299998888", position="Kepala Seksi Rahasia")
    check_in(person, event.days[0], method="manual")
    event.title = "=1+1 Bimtek"  # a title that looks like a formula stays text
    db.session.commit()
    make.user("pengamat@kemendagri.go.id", role="pengamat")
    auth.login("pengamat@kemendagri.go.id")
    secrets = ("HYPERLINK", "rahasia@serang.go.id", "199001012015031001", "6281299998888", "Kepala Seksi Rahasia",
               person.ticket_token)
    for page in PAGES[:2]:
        body = client.get(page).get_data(as_text=True)
        for secret in secrets:
            assert secret not in body, (page, secret)
    data = client.get("/pengamat/ringkasan.json").get_json()
    for row in data["events"]:
        assert not PERSONAL_KEYS & set(row)
    workbook = load_workbook(io.BytesIO(client.get("/pengamat/ringkasan.xlsx").data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    texts = " ".join(str(cell.value) for cell in cells)
    for secret in secrets:
        assert secret not in texts
    assert "=1+1 Bimtek" in texts and all(cell.data_type != "f" for cell in cells)


def test_scope_of_the_overview(client, make, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    make.event("serang-1", tenant=serang)
    make.event("bogor-1", tenant=bogor)
    assert client.get("/pengamat/").status_code == 302  # sign in first
    for email, role, tenant, seen in (
        ("pengamat@kemendagri.go.id", "pengamat", None, {"serang-1", "bogor-1"}),
        ("pengamat@bogor.go.id", "pengamat", bogor, {"bogor-1"}),
        ("admin@serang.go.id", "admin", serang, {"serang-1"}),
    ):
        make.user(email, role=role, tenant=tenant)
        auth.login(email)
        assert {row["event"] for row in client.get("/pengamat/ringkasan.json").get_json()["events"]} == seen
        auth.logout()
    make.user("operator@serang.go.id", role="operator", tenant=serang)
    auth.login("operator@serang.go.id")
    assert client.get("/pengamat/").status_code == 403


def add_tenants(count, start):
    """`count` tenants with 2 two-day events each, 2 OPDs taking part, 3 registrations per event, present
    on day 1 — inserted in bulk."""
    now = datetime.now(UTC)
    for n in range(start, start + count):
        db.session.execute(insert(Tenant), [{"slug": f"kota-{n}", "name": f"Pemerintah Kota {n}"}])
        tenant_id = db.session.execute(db.select(Tenant.id).filter_by(slug=f"kota-{n}")).scalar_one()
        db.session.execute(insert(Organization), [
            {"tenant_id": tenant_id, "short_name": f"OPD{k}", "name": f"Dinas {k}"} for k in range(2)])
        opds = db.session.execute(db.select(Organization.id).filter_by(tenant_id=tenant_id)).scalars().all()
        for e in range(2):
            db.session.execute(insert(Event), [{"tenant_id": tenant_id, "slug": f"kota-{n}-{e}", "title": "Bimtek",
                                                "organizer_name": "Diskominfo", "venue": "Aula"}])
            event_id = db.session.execute(db.select(Event.id).filter_by(slug=f"kota-{n}-{e}")).scalar_one()
            first = date(2022, 6, 13) + timedelta(days=7 * e)
            db.session.execute(insert(EventDay), [{"event_id": event_id, "date": first + timedelta(days=d)}
                                                  for d in range(2)])
            day_id = db.session.execute(db.select(EventDay.id).filter_by(event_id=event_id, date=first)).scalar_one()
            db.session.execute(insert(EventOrganization), [{"event_id": event_id, "organization_id": o} for o in opds])
            db.session.execute(insert(Registration), [
                {"event_id": event_id, "organization_id": opds[r % 2], "full_name": f"P {r}", "position": "Analis",
                 "phone": "+6281200000000", "email": f"p{n}-{e}-{r}@x.go.id", "ticket_token": f"t-{n}-{e}-{r}"}
                for r in range(3)])
            ids = db.session.execute(db.select(Registration.id).filter_by(event_id=event_id)).scalars().all()
            db.session.execute(insert(Attendance), [
                {"event_id": event_id, "registration_id": r, "event_day_id": day_id, "checked_in_at": now}
                for r in ids])
    db.session.commit()


def counts(client):
    result = {}
    for page in PAGES:
        db.session.expire_all()
        with counted_queries() as statements:
            response = client.get(page)
        assert response.status_code == 200, page
        result[page] = len(statements)
    return result


def test_queries_stay_constant_from_2_to_100_events(client, make, auth):
    make.user("pengamat@kemendagri.go.id", role="pengamat")
    auth.login("pengamat@kemendagri.go.id")
    add_tenants(1, start=0)
    with_two = counts(client)
    add_tenants(49, start=1)
    data = client.get("/pengamat/ringkasan.json").get_json()
    assert data["totals"] == {"events": 100, "tenants": 50, "registered": 300, "present_every_day": 0}
    assert counts(client) == with_two
    # The user, six queries of figures, one per figure provider (certificates, evaluations).
    assert max(with_two.values()) <= 7 + len(FIGURE_PROVIDERS), with_two
