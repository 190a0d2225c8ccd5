"""Two keys, two powers: the ticket token (in the QR, on the badge, scanned at every desk) shows the
ticket only; Data saya, "Minta hapus", edits and the certificate PDF with the full NIP need the edit
secret, which reaches only the participant's own e-mail or their own WhatsApp, never a message the
committee sends from its phone."""
from urllib.parse import parse_qs, urlsplit

from app.certificates.issuing import active_certificate, issue_certificates
from app.extensions import db
from app.models import OutboxMessage
from tests.certificates_support import attend
from tests.messages_support import FUTURE, save

PRIVATE_PAGES = ("data-saya", "data-saya.json", "minta-hapus", "sertifikat.pdf")


def messages():
    db.session.expire_all()
    return db.session.execute(db.select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()


def test_the_ticket_token_opens_the_ticket_and_nothing_of_the_person(client, make):
    event = make.event()
    person = make.registration(event, nip="198001012005011001", phone="+6281311110001")
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    ticket = client.get(f"/tiket/{person.ticket_token}").get_data(as_text=True)
    assert person.full_name in ticket and active_certificate(person).number in ticket
    for secret in (person.edit_token, person.nip, person.phone, person.email, "data-saya", "minta-hapus"):
        assert secret not in ticket
    for page in PRIVATE_PAGES:
        assert client.get(f"/tiket/{person.ticket_token}/{page}").status_code == 404, page
        assert client.get(f"/ubah/{person.ticket_token}/{page}").status_code == 404, page
        assert client.get(f"/ubah/{person.edit_token}/{page}").status_code == 200, page
    assert client.post(f"/tiket/{person.ticket_token}/minta-hapus", data={"reason": "x"}).status_code == 404
    assert client.get(f"/ubah/{person.ticket_token}").status_code == 404
    assert client.get(f"/ubah/{person.ticket_token}/ganti").status_code == 404
    # The public verification page: a masked NIP only.
    verified = client.get(f"/verifikasi/{active_certificate(person).code}").get_data(as_text=True)
    assert person.nip not in verified and "1001" in verified


def test_the_committees_whatsapp_never_carries_the_edit_link(client, make, admin):
    event = make.event(dates=FUTURE)
    ani = make.registration(event, phone="081234567890", email="ani@example.go.id")
    client.post(f"/admin/acara/bimtek-uji/peserta/{ani.id}/kirim-tiket", data={"channel": "whatsapp"})
    client.post(f"/admin/acara/bimtek-uji/peserta/{ani.id}/kirim-tiket", data={"channel": "email"})
    client.post("/admin/acara/bimtek-uji/pesan", data={"kind": "ticket", "audience": "all", "channel": "whatsapp",
                                                       "day": "", "action": "send"})
    from app.messages.worker import tick

    tick()
    sent = messages()
    whatsapp = [m for m in sent if m.channel == "whatsapp"]
    email = [m for m in sent if m.channel == "email"]
    assert len(whatsapp) >= 1 and len(email) == 1
    for message in whatsapp:
        assert "/ubah/" not in message.body_text and ani.edit_token not in message.body_text
        assert f"/tiket/{ani.ticket_token}" in message.body_text
    assert f"/ubah/{ani.edit_token}" in email[0].body_text  # to her own mailbox
    # A committee's template with {tautan_ubah}: in its preview (read by the committee) no secret either.
    body = "Halo {nama}: {tautan_tiket}\nUbah: {tautan_ubah}"
    preview = save("/admin/acara/bimtek-uji/pesan/template/ticket", "Tiket {acara}", body, kind="ticket",
                   action="preview", client=client).get_data(as_text=True)
    assert "Halo " in preview and ani.edit_token not in preview


def test_the_ticket_page_sends_the_edit_link_to_the_persons_own_email_only(client, make, smtp):
    from app.messages.delivery import deliver_due
    from tests.smtp_support import text_part

    event = make.event()
    ani = make.registration(event, email="ani@example.go.id")
    url = f"/tiket/{ani.ticket_token}/kunci/email"
    for _ in range(3):  # whoever holds the ticket may ask; one e-mail per 15 minutes, to her
        response = client.post(url)
        assert response.status_code == 303 and ani.edit_token not in response.headers["Location"]
    assert "Tautan ubah data dikirim" in client.get(response.headers["Location"]).get_data(as_text=True)
    deliver_due()
    [mail] = smtp.to("ani@example.go.id")
    assert f"/ubah/{ani.edit_token}" in text_part(mail)
    assert [m.recipient for m in messages()] == ["ani@example.go.id"]
    assert client.post("/tiket/bukan-token/kunci/email").status_code == 404


def test_kirim_ke_whatsapp_saya_sendiri_needs_the_persons_own_number(client, make):
    event = make.event()
    ani = make.registration(event, phone="+6281311110001")
    url = f"/tiket/{ani.ticket_token}/kunci/whatsapp"
    ticket = client.get(f"/tiket/{ani.ticket_token}").get_data(as_text=True)
    assert url in ticket and "Kirim ke WhatsApp saya sendiri" in ticket
    for wrong in ("0813 1111 0002", "", "bukan nomor", "1" * 500):
        response = client.post(url, data={"phone": wrong})
        assert response.status_code == 303 and "wa.me" not in response.headers["Location"]
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "bukan nomor WhatsApp yang didaftarkan" in page and ani.edit_token not in page
    response = client.post(url, data={"phone": "0813-1111-0001"})
    link = urlsplit(response.headers["Location"])
    assert (response.status_code, link.netloc, link.path) == (303, "wa.me", "/6281311110001")
    assert f"/ubah/{ani.edit_token}" in parse_qs(link.query)["text"][0]


def test_the_tickets_own_buttons_are_limited_per_ticket_not_per_address(limited_app, make):
    """A whole venue reaches the app from one address: one participant's tries at "Kirim ke WhatsApp saya
    sendiri" do not use up another's."""
    event = make.event()
    ani = make.registration(event, phone="+6281311110001")
    budi = make.registration(event, phone="+6281311110002")
    client = limited_app(RATELIMIT_FORGOT_TICKET="2 per minute")
    ani_url, budi_url = (f"/tiket/{person.ticket_token}/kunci/whatsapp" for person in (ani, budi))
    answers = [client.post(ani_url, data={"phone": "0813 0000 0000"}) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [303, 303, 429]
    assert "Coba lagi dalam 1 menit." in answers[2].get_data(as_text=True)  # how long, not "sebentar"
    response = client.post(budi_url, data={"phone": "0813-1111-0002"})
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).netloc == "wa.me"
    assert client.post(f"/tiket/{budi.ticket_token}/kunci/email").status_code == 303
