"""After erasure ("Minta hapus" granted, or the purge): messages leave the person out, and nothing of
their NIP, phone or e-mail stays behind anywhere in the database."""
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import DeletionRequest, OutboxMessage, ScheduledReminder, utcnow
from tests.smtp_support import serve_smtp

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
PESAN = "/admin/acara/bimtek-uji/pesan"


@pytest.fixture
def smtp(app):
    yield from serve_smtp(app)


@pytest.fixture
def admin(make, auth):
    make.user()
    auth.login("admin@example.go.id")


def erase_on_request(client, person):
    """The person asks ("Minta hapus") and the admin (signed in) grants it."""
    assert client.post(f"/tiket/{person.ticket_token}/minta-hapus", data={"reason": "Pindah tugas"}).status_code == 303
    request_id = db.session.execute(
        db.select(DeletionRequest.id).filter_by(registration_id=person.id)).scalar_one()
    assert client.post(f"/admin/acara/{person.event.slug}/permintaan-hapus/{request_id}",
                       data={"action": "delete"}).status_code == 303


def messages():
    db.session.expire_all()
    return db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def test_kirim_tiket_leaves_out_an_erased_person_on_every_channel(client, make, admin):
    event = make.event(dates=FUTURE)
    erased = make.registration(event, email="hapus@example.go.id", phone="+6281200000001")
    kept = make.registration(event, email="tetap@example.go.id", phone="+6281200000002")
    db.session.execute(db.delete(OutboxMessage))  # the confirmations: both still "have no ticket"
    db.session.commit()
    client.post(f"/admin/acara/bimtek-uji/peserta/{erased.id}/kirim-tiket", data={"channel": "whatsapp"})
    assert [m.registration_id for m in messages()] == [erased.id]
    erase_on_request(client, erased)
    for channel in ("whatsapp", "email"):  # the e-mail bulk send skips whoever has a ticket on its way
        response = client.post(f"{PESAN}/kirim-tiket", data={"channel": channel})
        assert response.status_code == 303
        single = client.post(f"/admin/acara/bimtek-uji/peserta/{erased.id}/kirim-tiket",
                             data={"channel": channel}, follow_redirects=True)
        assert single.status_code == 200
        assert "tiket tidak dapat dikirim" in single.get_data(as_text=True)
    assert [(m.channel, m.recipient) for m in messages()] == [("whatsapp", "+6281200000002")]
    # The click-through still waiting for the committee went with the number.
    assert {m.registration_id for m in messages()} == {kept.id}


def test_a_scheduled_reminder_after_an_erasure_reaches_the_others(client, make, admin, runner, smtp):
    event = make.event(dates=FUTURE)
    erased = make.registration(event, email="hapus@example.go.id")
    make.registration(event, email="tetap@example.go.id")
    erase_on_request(client, erased)
    soon = (utcnow() + timedelta(minutes=1)).astimezone(event.tz)
    assert client.post(PESAN, data={"kind": "reminder_day", "audience": "all", "day": str(event.days[0].id),
                                    "send_at": soon.strftime("%Y-%m-%dT%H:%M"), "action": "send"}).status_code == 303
    reminder = db.session.execute(db.select(ScheduledReminder)).scalar_one()
    reminder.send_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["messages", "work", "--once"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.execute(db.select(ScheduledReminder.status)).scalar_one() == "done"
    assert len(smtp.to("tetap@example.go.id")) == 1 and smtp.to("hapus@example.go.id") == []
