"""Ticket delivery and recovery: "Lupa tiket?", "Kirim tiket" by e-mail and WhatsApp, the bulk send."""
from urllib.parse import parse_qs

from app.extensions import db
from app.messages.delivery import deliver_due
from app.messages.worker import tick
from app.models import OutboxMessage, Registration, TicketLookup
from tests.messages_support import opened_whatsapp, outbox
from tests.registration_support import URL, form_data
from tests.smtp_support import text_part

SAME_ANSWER = "Jika data itu terdaftar di acara ini"


def ask(client, identifier):
    response = client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": identifier}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_forgot_ticket_sends_the_link_to_the_registered_email_only(client, make, smtp):
    event = make.event()
    registration = make.registration(event, email="ani@example.go.id", nip="198001012005012002")
    page = ask(client, "ANI@example.go.id")
    assert SAME_ANSWER in page
    assert registration.ticket_token not in page
    tick()  # the lookup and the e-mail happen in the worker
    [mail] = smtp.to("ani@example.go.id")
    assert mail["Subject"] == "Tiket Anda: Bimtek Uji Coba"
    assert f"/tiket/{registration.ticket_token}" in text_part(mail)
    assert f"/ubah/{registration.edit_token}" in text_part(mail)


def test_forgot_ticket_by_nip_as_typed_with_spaces(client, make, smtp):
    event = make.event()
    make.registration(event, email="ani@example.go.id", nip="198001012005012002")
    ask(client, "19800101 200501 2 002")
    tick()  # the lookup and the e-mail happen in the worker
    assert len(smtp.to("ani@example.go.id")) == 1


def test_forgot_ticket_answers_the_same_for_nobody_and_sends_nothing(client, make, smtp):
    event = make.event()
    cancelled = make.registration(event, email="batal@example.go.id")
    cancelled.status = "cancelled"
    db.session.commit()
    known = client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": "batal@example.go.id"})
    unknown = client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": "siapa@example.go.id"})
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert outbox() == []


def test_forgot_ticket_says_when_what_was_typed_is_neither_an_email_nor_a_nip(client, make):
    """It can name nobody, registered or not: the page says so at once, with what was typed kept."""
    make.event()
    for typed in ("12²", "abc", "19800101 200501 2 00"):  # the last: a digit short
        response = client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "Ketik e-mail atau NIP (18 angka) yang Anda daftarkan." in page
        assert f'value="{typed}"' in page
    assert db.session.execute(db.select(TicketLookup)).first() is None


def test_forgot_ticket_sends_at_most_one_mail_per_person_per_window(client, make, smtp):
    event = make.event()
    make.registration(event, email="ani@example.go.id")
    for _ in range(3):
        ask(client, "ani@example.go.id")
    tick()  # the lookup and the e-mail happen in the worker
    assert len(smtp.to("ani@example.go.id")) == 1


def test_forgot_ticket_needs_something_typed(client, make):
    make.event()
    response = client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": "  "})
    assert response.status_code == 422
    assert client.get("/e/tidak-ada/lupa-tiket").status_code == 404


def test_the_event_page_and_a_duplicate_refusal_point_to_forgot_ticket(client, make):
    event = make.event()
    organization = make.event_organization_list(event)[0]
    assert "/e/bimtek-uji/lupa-tiket" in client.get("/e/bimtek-uji").get_data(as_text=True)
    client.post(URL, data=form_data(organization))
    again = client.post(URL, data=form_data(organization, email="lain@example.go.id"))
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "NIP ini sudah terdaftar" in page and "/e/bimtek-uji/lupa-tiket" in page


def imported(make, event, **overrides):
    registration = make.registration(event, **overrides)
    registration.source = "import"
    db.session.commit()
    return registration


def test_admin_sends_a_ticket_by_email(client, make, admin, smtp):
    event = make.event()
    registration = imported(make, event, email="impor@example.go.id")
    page = client.get("/admin/acara/bimtek-uji/peserta").get_data(as_text=True)
    assert f"/tiket/{registration.ticket_token}" in page and "Kirim tiket (e-mail)" in page
    response = client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket",
                           data={"channel": "email", "next": "/admin/acara/bimtek-uji/peserta"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/acara/bimtek-uji/peserta"
    deliver_due()
    [mail] = smtp.to("impor@example.go.id")
    assert f"/tiket/{registration.ticket_token}" in text_part(mail)


def test_admin_whatsapp_click_through_is_marked_sent_when_opened(client, make, admin):
    event = make.event()
    registration = make.registration(event, phone="+6281211112222")
    response = client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket",
                           data={"channel": "whatsapp"})
    [message] = outbox()
    assert response.headers["Location"] == f"/admin/acara/bimtek-uji/pesan#pesan-{message.id}"
    assert (message.channel, message.recipient, message.status) == ("whatsapp", "+6281211112222", "queued")
    page = client.get("/admin/acara/bimtek-uji/pesan").get_data(as_text=True)
    assert f'href="/admin/acara/bimtek-uji/pesan/{message.id}/whatsapp"' in page
    parts = opened_whatsapp(client, message)
    assert parts.path == "/6281211112222"
    assert f"/tiket/{registration.ticket_token}" in parse_qs(parts.query)["text"][0]
    # The worker never sends a click-through message by itself.
    deliver_due()
    assert outbox()[0].status == "queued"
    marked = client.post(f"/admin/acara/bimtek-uji/pesan/{message.id}/terkirim",
                         headers={"Accept": "application/json"})
    assert marked.get_json() == {"id": message.id, "status": "sent"}
    assert outbox()[0].status == "sent"
    assert "Tidak ada pesan WhatsApp yang menunggu" in client.get("/admin/acara/bimtek-uji/pesan").get_data(
        as_text=True)


def test_bulk_send_reaches_those_without_a_ticket_once(client, make, admin, smtp):
    event = make.event()
    first = imported(make, event, email="impor@example.go.id")
    make.registration(event, email="formulir@example.go.id")
    client.post("/admin/acara/bimtek-uji/pesan/kirim-tiket", data={"channel": "email"})
    client.post("/admin/acara/bimtek-uji/pesan/kirim-tiket", data={"channel": "email"})  # a double click
    messages = outbox()
    assert [m.recipient for m in messages] == ["impor@example.go.id", "formulir@example.go.id"]
    deliver_due()
    # Everyone has had their ticket by e-mail: nobody is left to e-mail, and the page says why.
    again = client.post("/admin/acara/bimtek-uji/pesan/kirim-tiket", data={"channel": "email"}, follow_redirects=True)
    assert "0 tiket masuk antrean e-mail. Tidak disiapkan: 2 sudah dikirimi tiket lewat e-mail." in again.get_data(
        as_text=True)
    assert len(outbox()) == 2
    assert len(smtp.to("impor@example.go.id")) == 1
    log = client.get("/admin/acara/bimtek-uji/pesan").get_data(as_text=True)
    assert first.full_name in log and "terkirim" in log


def test_the_send_log_shows_a_failure_with_its_error(client, make, admin, smtp):
    event = make.event()
    make.registration(event, email="tidakada@example.go.id")
    client.post("/admin/acara/bimtek-uji/pesan/kirim-tiket", data={"channel": "email"})
    smtp.answer = lambda envelope: "550 5.1.1 mailbox tidak ada"
    deliver_due()
    log = client.get("/admin/acara/bimtek-uji/pesan").get_data(as_text=True)
    assert "gagal" in log and "mailbox tidak ada" in log


def test_messages_pages_are_for_admins_of_the_event(client, make, auth):
    event = make.event()
    registration = make.registration(event)
    make.user("meja@example.go.id", role="operator")
    auth.login("meja@example.go.id")
    # Outside one's scope an event's pages do not exist (app/tenants/access.py).
    assert client.get("/admin/acara/bimtek-uji/pesan").status_code == 404
    assert client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket").status_code == 404
    auth.logout()
    make.user()
    auth.login("admin@example.go.id")
    assert client.get("/admin/acara/lain/pesan").status_code == 404
    assert client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket",
                       data={"channel": "sms"}).status_code == 400
    assert db.session.execute(db.select(Registration)).scalar_one()
    assert db.session.execute(db.select(OutboxMessage)).first() is None


def test_forgot_ticket_is_rate_limited_per_person_and_per_client(limited_app, make):
    """A person's own retries (the same e-mail, typed again with other spaces or case) use up their own
    limit, not the venue's, whose participants share one address; the address has a limit of its own."""
    make.event()
    client = limited_app(RATELIMIT_FORGOT_TICKET="2 per minute", RATELIMIT_FORGOT_TICKET_ADDRESS="4 per minute")

    def ask_for(identifier):
        return client.post("/e/bimtek-uji/lupa-tiket", data={"identifier": identifier}).status_code

    assert [ask_for(typed) for typed in ("ani@example.go.id", " ANI@example.go.id", "ani@example.go.id")] == [
        303, 303, 429]
    assert ask_for("budi@example.go.id") == 303  # a colleague on the same Wi-Fi
    assert ask_for("citra@example.go.id") == 429  # the address's fourth


def test_the_committee_is_told_when_no_mail_server_is_set(client, make, admin):
    event = make.event()
    registration = imported(make, event, email="impor@example.go.id")
    response = client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket",
                           data={"channel": "email", "next": "/admin/acara/bimtek-uji/peserta"}, follow_redirects=True)
    assert "server e-mail (MAIL_SERVER) belum diatur" in response.get_data(as_text=True)
    assert "server e-mail (MAIL_SERVER) belum diatur" in client.get("/admin/acara/bimtek-uji/pesan").get_data(
        as_text=True)
    # Never the participant: "Lupa tiket?" answers as always.
    assert "MAIL_SERVER" not in ask(client, "impor@example.go.id")


def test_the_committee_is_told_when_e_mails_wait_with_no_worker_running(client, make, admin, smtp):
    from datetime import timedelta

    from sqlalchemy import update

    from app.models import utcnow

    event = make.event()
    registration = imported(make, event, email="impor@example.go.id")
    client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket", data={"channel": "email"})
    for page in ("/admin/acara/bimtek-uji/peserta", "/admin/acara/bimtek-uji/pesan"):
        assert 'id="email-tertahan"' not in client.get(page).get_data(as_text=True)
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(minutes=11)))
    db.session.commit()
    for page in ("/admin/acara/bimtek-uji/peserta", "/admin/acara/bimtek-uji/pesan"):
        assert "1 e-mail menunggu lebih dari 10 menit dan belum terkirim" in client.get(page).get_data(as_text=True)
    deliver_due()  # a worker again
    assert 'id="email-tertahan"' not in client.get("/admin/acara/bimtek-uji/pesan").get_data(as_text=True)
