"""The waiting list (issue 24): a full OPD offers "Masuk daftar tunggu"; a freed seat is offered to the first in
line by e-mail and kept for them for the event's hold; taken, they get a ticket; expired, the next is offered.
The quota stays exact under races on both databases, and each offer is made (and mailed) once."""
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.messages.worker import tick
from app.models import STATUS_CANCELLED, STATUS_REGISTERED, Event, OutboxMessage, Registration
from app.models.waitlist import WaitlistEntry, WaitStatus
from app.registration.services import RegistrationRefused, register_participant
from app.waitlist import services
from tests.concurrency import run_in_threads

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
BASE = "https://hadir.example.go.id"


def form(organization, **overrides):
    data = {"full_name": "Tono Waiting", "nip": "", "position": "Staf", "rank": "", "phone": "0812-3456-7030",
            "email": "tono@example.go.id", "organization": str(organization.id), "consent": "y"}
    data.update(overrides)
    return data


@pytest.fixture
def full_event(make):
    """OPD1 with one seat, taken."""
    event = make.event(dates=FUTURE, quota=1)
    opd = make.event_organization_list(event)[0]
    holder = make.registration(event, opd, full_name="Pemegang Kursi")
    return event, opd, holder


def entries():
    db.session.expire_all()
    return db.session.execute(db.select(WaitlistEntry).order_by(WaitlistEntry.id)).scalars().all()


def offers_sent():
    return db.session.execute(
        db.select(OutboxMessage).filter_by(kind=services.KIND_WAITLIST_OFFER).order_by(OutboxMessage.id)
    ).scalars().all()


def test_the_form_leads_a_full_opd_to_the_waiting_list_and_joining_says_the_place_in_line(client, full_event):
    event, opd, _holder = full_event
    register_page = client.get(f"/e/{event.slug}/daftar").get_data(as_text=True)
    assert "Masuk daftar tunggu" in register_page
    page = client.get(f"/e/{event.slug}/daftar-tunggu").get_data(as_text=True)
    assert f'<option value="{opd.id}"' in page
    assert f'<option value="{make_other(event).id}"' not in page  # an OPD with room is not offered here
    joined = client.post(f"/e/{event.slug}/daftar-tunggu", data=form(opd))
    assert joined.status_code == 200 and "urutan ke-1" in joined.get_data(as_text=True)
    second = client.post(f"/e/{event.slug}/daftar-tunggu",
                         data=form(opd, full_name="Uli", email="uli@example.go.id", phone="0812-3456-7031"))
    assert "urutan ke-2" in second.get_data(as_text=True)
    again = client.post(f"/e/{event.slug}/daftar-tunggu", data=form(opd, phone="0812-3456-7032"))
    assert again.status_code == 422 and "sudah ada di daftar tunggu" in again.get_data(as_text=True)
    assert [e.full_name for e in entries()] == ["Tono Waiting", "Uli"]


def make_other(event):
    from tests.factories import event_organization_list

    return event_organization_list(event)[1]


def test_a_freed_seat_goes_to_the_first_in_line_who_takes_it_and_gets_a_ticket(client, full_event, app):
    event, opd, holder = full_event
    client.post(f"/e/{event.slug}/daftar-tunggu", data=form(opd))
    client.post(f"/e/{event.slug}/daftar-tunggu",
                data=form(opd, full_name="Uli", email="uli@example.go.id", phone="0812-3456-7031"))
    assert services.offer_everywhere(BASE) == 0  # no seat free yet
    holder.status = STATUS_CANCELLED
    db.session.commit()
    tick()  # the message worker's pass makes the offer and sends what is due
    tono, uli = entries()
    assert (tono.status, uli.status) == (WaitStatus.OFFERED, WaitStatus.WAITING)
    assert tono.hold_until - tono.offered_at == timedelta(hours=24)
    [offer] = offers_sent()
    assert offer.recipient == "tono@example.go.id" and f"{'/tunggu/'}{tono.offer_token}" in offer.body_text
    # The seat is kept for Tono: a stranger on the form is refused.
    refused = client.post(f"/e/{event.slug}/daftar", data=form(opd, full_name="Orang Lain", email="x@example.go.id",
                                                               phone="0812-3456-7039"))
    assert refused.status_code == 422 and "sudah penuh" in refused.get_data(as_text=True)
    tick()
    assert len(offers_sent()) == 1  # offered once

    page = client.get(f"/tunggu/{tono.offer_token}").get_data(as_text=True)
    assert "Ambil kursi" in page
    taken = client.post(f"/tunggu/{tono.offer_token}")
    assert taken.status_code == 303 and "/tiket/" in taken.headers["Location"]
    [registration] = db.session.execute(
        db.select(Registration).filter_by(event_id=event.id, status=STATUS_REGISTERED)).scalars().all()
    assert (registration.full_name, registration.source, registration.legal_basis) == ("Tono Waiting", "waitlist",
                                                                                       "consent")
    assert entries()[0].status == WaitStatus.TAKEN
    assert client.post(f"/tunggu/{tono.offer_token}").status_code == 422  # not twice


def test_an_offer_not_taken_in_time_passes_to_the_next(client, full_event):
    event, opd, holder = full_event
    client.post(f"/e/{event.slug}/daftar-tunggu", data=form(opd))
    client.post(f"/e/{event.slug}/daftar-tunggu",
                data=form(opd, full_name="Uli", email="uli@example.go.id", phone="0812-3456-7031"))
    holder.status = STATUS_CANCELLED
    db.session.commit()
    services.offer_everywhere(BASE)
    tono, _uli = entries()
    later = datetime.now(UTC) + timedelta(hours=25)
    assert services.offer_everywhere(BASE, now=later) == 1
    tono, uli = entries()
    assert (tono.status, uli.status) == (WaitStatus.EXPIRED, WaitStatus.OFFERED)
    assert [m.recipient for m in offers_sent()] == ["tono@example.go.id", "uli@example.go.id"]
    late = client.post(f"/tunggu/{tono.offer_token}")
    assert late.status_code == 422 and "sudah habis" in late.get_data(as_text=True)


def test_a_narasumber_or_an_unknown_offer_takes_nothing(client, full_event):
    assert client.get("/tunggu/" + "x" * 43).status_code == 404
    assert client.get("/tunggu/" + "x" * 100).status_code == 404


def test_offers_and_sign_ups_racing_for_freed_seats_keep_the_quota_exact(app, make):
    """Three seats free at once; two workers offer while eight strangers sign up on the form: never more than
    the quota between registrations and seats on hold, each offer made once."""
    event = make.event(dates=FUTURE, quota=3)
    event_id = event.id
    opd = make.event_organization_list(event)[0]
    opd_id = opd.id
    holders = [make.registration(event, opd) for _ in range(3)]
    for n in range(5):
        services.join(event, opd_id, make.participant(full_name=f"Menunggu {n}"))
    db.session.commit()
    for holder in holders:
        holder.status = STATUS_CANCELLED
    db.session.commit()
    strangers = [make.participant() for _ in range(8)]
    barrier = threading.Barrier(10, timeout=30)
    errors = []

    def worker():
        with app.app_context():
            try:
                barrier.wait()
                services.offer_everywhere(BASE)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(repr(error))

    def stranger(person):
        with app.app_context():
            try:
                current = db.session.get(Event, event_id)
                db.session.commit()
                barrier.wait()
                register_participant(current, opd_id, person)
                db.session.commit()
            except RegistrationRefused:
                pass
            except Exception as error:  # noqa: BLE001
                errors.append(repr(error))

    run_in_threads(lambda kind, arg: worker() if kind == "w" else stranger(arg),
                   [("w", None), ("w", None)] + [("s", person) for person in strangers])
    assert errors == []
    db.session.expire_all()
    active = db.session.execute(db.select(db.func.count()).select_from(Registration).filter_by(
        event_id=event_id, organization_id=opd_id, status=STATUS_REGISTERED)).scalar_one()
    offered = [e for e in entries() if e.status == WaitStatus.OFFERED]
    assert active + len(offered) == 3
    assert len(offers_sent()) == len(offered)
    assert [e.full_name for e in offered] == [f"Menunggu {n}" for n in range(len(offered))]  # first in line first


def test_the_committee_sets_how_long_a_seat_is_kept_and_sees_who_waits(client, auth, make, full_event):
    event, opd, holder = full_event
    make.user()
    auth.login("admin@example.go.id")
    client.post(f"/e/{event.slug}/daftar-tunggu", data=form(opd))
    page = client.get(f"/admin/acara/{event.slug}/opd/tautan").get_data(as_text=True)
    assert 'value="24"' in page
    for bad in ("0", "721", "x"):
        assert client.post(f"/admin/acara/{event.slug}/opd/daftar-tunggu", data={"hours": bad}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).waitlist_hold_hours == 24
    client.post(f"/admin/acara/{event.slug}/opd/daftar-tunggu", data={"hours": "6"})
    holder.status = STATUS_CANCELLED
    db.session.commit()
    services.offer_everywhere(BASE)
    [tono] = entries()
    assert tono.hold_until - tono.offered_at == timedelta(hours=6)
