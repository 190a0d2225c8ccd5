"""Messages built when they are sent (issue 22, item 3): a WhatsApp click-through is built when the committee
opens it, from the registration as it is then; channels are independent; a bulk send that writes nothing
says why."""
from datetime import date
from urllib.parse import parse_qs

from app.extensions import db
from app.messages.delivery import deliver_due
from app.models import OutboxMessage, Registration
from tests.messages_support import opened_whatsapp, outbox

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
PAGE = "/admin/acara/bimtek-uji/pesan"
BULK = "/admin/acara/bimtek-uji/pesan/kirim-tiket"


def bulk(client, channel):
    return client.post(BULK, data={"channel": channel}, follow_redirects=True).get_data(as_text=True)


def hand_over(client, registration, **person):
    form = {"full_name": "Citra Lestari", "nip": "", "position": "Analis", "rank": "",
            "organization": str(registration.organization_id), "phone": "0813 2222 3333",
            "email": "citra@example.go.id", "consent": "y", **person}
    assert client.post(f"/ubah/{registration.edit_token}/ganti", data=form).status_code == 303
    db.session.expire_all()
    return db.session.get(Registration, registration.id)


def test_a_seat_handed_over_after_the_list_was_written_is_never_offered_with_the_old_data(client, make, admin):
    event = make.event(dates=FUTURE)
    budi = make.registration(event, full_name="Budi Santoso", phone="+6281211112222")
    old_ticket = budi.ticket_token
    client.post(f"/admin/acara/bimtek-uji/peserta/{budi.id}/kirim-tiket", data={"channel": "whatsapp"})
    [message] = outbox()
    seat = db.session.get(Registration, hand_over(client, budi).transferred_to_id)
    # Budi's message stays Budi's (issue 20: the colleague is a new person) and cannot go out any more.
    refused = client.get(f"{PAGE}/{message.id}/whatsapp", follow_redirects=True)
    assert refused.request.path == PAGE and "Kursi ini sudah dialihkan ke rekan" in refused.get_data(as_text=True)
    assert client.get(f"/tiket/{old_ticket}").status_code == 410
    # The colleague is reached as themselves: their own message, their number, their ticket.
    client.post(f"/admin/acara/bimtek-uji/peserta/{seat.id}/kirim-tiket", data={"channel": "whatsapp"})
    [new] = [m for m in outbox() if m.channel == "whatsapp" and m.registration_id == seat.id]
    parts = opened_whatsapp(client, new)
    text = parse_qs(parts.query)["text"][0]
    assert parts.path == "/6281322223333"
    assert "Citra Lestari" in text and f"/tiket/{seat.ticket_token}" in text
    assert old_ticket not in text and "Budi" not in text
    assert client.get(f"/tiket/{seat.ticket_token}").status_code == 200


def test_a_phone_changed_after_the_list_was_written_is_the_number_opened(client, make, admin):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, phone="+6281211112222")
    bulk(client, "whatsapp")
    [message] = outbox()
    form = {"full_name": registration.full_name, "nip": registration.nip, "position": registration.position,
            "rank": registration.rank, "organization": str(registration.organization_id),
            "phone": "0857 1111 2222", "email": registration.email}
    assert client.post(f"/ubah/{registration.edit_token}", data=form).status_code == 303
    assert opened_whatsapp(client, message).path == "/6285711112222"


def test_a_whatsapp_message_never_carries_the_edit_link(client, make, admin):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, phone="+6281211112222")
    bulk(client, "whatsapp")
    [message] = outbox()
    assert f"/ubah/{registration.edit_token}" not in message.body_text
    text = parse_qs(opened_whatsapp(client, message).query)["text"][0]
    assert f"/tiket/{registration.ticket_token}" in text and "/ubah/" not in text


def test_a_cancelled_registration_is_not_offered_and_says_why(client, make, admin):
    event = make.event(dates=FUTURE)
    registration = make.registration(event, full_name="Budi Santoso", phone="+6281211112222")
    bulk(client, "whatsapp")
    [message] = outbox()
    registration.status = "cancelled"
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    row = page[page.index(f'id="pesan-{message.id}"'):].split("</li>")[0]
    assert "Pendaftaran ini sudah dibatalkan" in row and "Buka WhatsApp" not in row
    refused = client.get(f"{PAGE}/{message.id}/whatsapp", follow_redirects=True)
    assert refused.request.path == PAGE and "Pendaftaran ini sudah dibatalkan" in refused.get_data(as_text=True)
    # Set aside, the reason kept in the send log; never counted as sent.
    client.post(f"{PAGE}/{message.id}/terkirim")
    [kept] = outbox()
    assert kept.status == "failed" and "dibatalkan" in kept.last_error
    assert "Tidak ada pesan WhatsApp yang menunggu" in client.get(PAGE).get_data(as_text=True)


def test_tickets_by_email_then_by_whatsapp_reach_the_same_people(client, make, admin, smtp):
    event = make.event()
    first = make.registration(event, phone="+6281211112222")
    second = make.registration(event, phone="+6281233334444")
    assert "2 tiket masuk antrean e-mail." in bulk(client, "email")
    deliver_due()
    page = bulk(client, "whatsapp")
    assert "2 pesan WhatsApp siap dibuka satu per satu di bawah." in page
    whatsapp = [m for m in outbox() if m.channel == "whatsapp"]
    assert {m.registration_id for m in whatsapp} == {first.id, second.id}
    # And the other way round: the WhatsApp list opened does not count as an e-mail.
    for message in whatsapp:
        client.post(f"{PAGE}/{message.id}/terkirim")
    third = make.registration(event, phone="+6281255556666")
    assert "1 tiket masuk antrean e-mail." in bulk(client, "email")
    assert [m.registration_id for m in outbox() if m.channel == "email"][-1] == third.id


def test_a_bulk_send_that_writes_nothing_says_why(client, make, admin):
    event = make.event()
    make.registration(event, phone="+6281211112222")
    make.registration(event, phone="")
    cancelled = make.registration(event, phone="+6281299990000")
    cancelled.status = "cancelled"
    db.session.commit()
    first = bulk(client, "whatsapp")
    assert "1 pesan WhatsApp siap dibuka satu per satu di bawah." in first
    assert "Tidak disiapkan: 1 tanpa nomor WhatsApp; 1 pendaftarannya dibatalkan." in first
    again = bulk(client, "whatsapp")
    assert ("0 pesan WhatsApp siap dibuka satu per satu di bawah. Tidak disiapkan: 1 sudah menunggu di daftar "
            "WhatsApp di bawah; 1 tanpa nomor WhatsApp; 1 pendaftarannya dibatalkan.") in again
    [message] = outbox()
    client.post(f"{PAGE}/{message.id}/terkirim")
    assert "Tidak disiapkan: 1 sudah dikirimi tiket lewat WhatsApp;" in bulk(client, "whatsapp")
    assert db.session.execute(db.select(db.func.count()).select_from(OutboxMessage)).scalar_one() == 1


def test_an_event_without_participants_says_so(client, make, admin):
    make.event()
    assert "0 tiket masuk antrean e-mail. Belum ada peserta." in bulk(client, "email")


def test_the_preview_says_who_a_whatsapp_message_cannot_reach(client, make, admin):
    event = make.event(dates=FUTURE)
    make.registration(event, phone="+6281211112222")
    make.registration(event, phone="")
    page = client.post(PAGE, data={"kind": "free", "audience": "all", "channel": "whatsapp", "subject": "Info",
                                   "body": "Bawa laptop.", "action": "preview"}).get_data(as_text=True)
    assert "2 penerima" in page and "1 di antaranya tanpa nomor WhatsApp: tidak dikirimi." in page
