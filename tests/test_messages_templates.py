"""The committee's own wording of a kind of message, per event: saved and previewed on the Pesan page,
sent by the real worker to a real SMTP server, reset to the built-in text, and kept to its event."""
from datetime import date

from app.extensions import db
from app.messages.worker import tick
from app.models import MessageTemplate, OutboxMessage
from tests.messages_support import outbox, save
from tests.smtp_support import html_part, text_part

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
PAGE = "/admin/acara/bimtek-uji/pesan"
H1 = PAGE + "/template/reminder_before"
H1_BODY = ("Yth. {nama},\n\n{acara} dimulai besok, {tanggal}, di {tempat}.\nPakaian: batik. Ruang: Garuda 2.\n\n"
           "Tiket: {tautan_tiket}")


def templates():
    db.session.expire_all()
    return db.session.execute(db.select(MessageTemplate)).scalars().all()


def send_h1_to_everyone(client):
    response = client.post(PAGE, data={"kind": "reminder_before", "audience": "all", "day": "", "action": "send"})
    assert response.status_code == 303
    tick()


def test_the_edited_h1_reminder_arrives_with_its_placeholders_filled_and_the_ticket_link(client, make, admin, smtp):
    event = make.event(dates=FUTURE, venue="Hotel Flamenggo")
    ani = make.registration(event, full_name="Ani Pertama", email="ani@example.go.id")
    response = save(H1, "Besok {acara}: pakai batik", H1_BODY, client=client)
    assert response.status_code == 303 and response.location.endswith("#template-reminder_before")
    page = client.get(PAGE).get_data(as_text=True)
    assert "teks panitia" in page and "Pakaian: batik. Ruang: Garuda 2." in page

    send_h1_to_everyone(client)
    [mail] = smtp.to("ani@example.go.id")
    assert mail["Subject"] == "Besok Bimtek Uji Coba: pakai batik"
    text = text_part(mail)
    assert "Yth. Ani Pertama," in text
    assert "Bimtek Uji Coba dimulai besok, Kamis, 13 Juni 2030, di Hotel Flamenggo." in text
    assert "Pakaian: batik. Ruang: Garuda 2." in text
    assert f"Tiket: http://localhost/tiket/{ani.ticket_token}" in text
    html = html_part(mail)
    assert f'<a href="http://localhost/tiket/{ani.ticket_token}">' in html
    assert "di Hotel Flamenggo.<br>Pakaian: batik." in html.replace("\r\n", "").replace("\n", "")


def test_html_typed_in_the_text_is_escaped_in_the_html_part_and_unknown_placeholders_stay(client, make, admin,
                                                                                          smtp):
    event = make.event(dates=FUTURE)
    make.registration(event, full_name="Budi <b>Tebal</b>", email="budi@example.go.id")
    body = ('<script>alert(1)</script> {nama} {pakaian} {acara.__class__} {{nama}} '
            '<a href="javascript:alert(2)">klik</a>\n\n{tautan_tiket}')
    assert save(H1, "Besok {tanya}", body, client=client).status_code == 303

    send_h1_to_everyone(client)
    [mail] = smtp.to("budi@example.go.id")
    assert mail["Subject"] == "Besok {tanya}"
    html = html_part(mail)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>" not in html and "Budi &lt;b&gt;Tebal&lt;/b&gt;" in html
    assert 'href="javascript' not in html
    text = text_part(mail)
    assert "{pakaian} {acara.__class__} {Budi <b>Tebal</b>}" in text


def test_a_text_without_the_ticket_link_is_refused_and_kept_as_typed(client, make, admin):
    make.event(dates=FUTURE)
    response = save(H1, "Besok", "Yth. {nama}, sampai besok. Pakaian: batik.", client=client)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Isi harus memuat {tautan_tiket}" in page and "Pakaian: batik." in page
    assert templates() == []


def test_the_preview_shows_the_unsaved_text_for_one_real_participant(client, make, admin):
    event = make.event(dates=FUTURE)
    make.registration(event, full_name="Ani Pertama")
    make.registration(event, full_name="Budi Kedua")
    response = save(H1, "Besok {acara}", H1_BODY, action="preview", client=client)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="pratinjau-reminder_before"' in page and "2 penerima" in page
    assert "Yth. Ani Pertama," in page and "Pakaian: batik." in page and "/tiket/" in page
    assert templates() == [] and outbox() == []


def test_reset_asks_first_then_the_built_in_text_is_sent_again(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    make.registration(event, email="ani@example.go.id")
    save(H1, "Besok {acara}: pakai batik", H1_BODY, client=client)
    send_h1_to_everyone(client)

    asked = client.post(H1 + "/bawaan")
    assert asked.status_code == 200 and "Kembalikan ke teks bawaan?" in asked.get_data(as_text=True)
    assert len(templates()) == 1
    response = client.post(H1 + "/bawaan", data={"confirmed": "yes"})
    assert response.status_code == 303 and templates() == []
    assert "teks panitia" not in client.get(PAGE).get_data(as_text=True)

    client.post(PAGE, data={"kind": "reminder_before", "audience": "all", "day": "", "action": "send",
                            "send_at": "2030-01-01T08:00"})
    from app.messages.reminders import materialise_due_reminders
    from app.models import utcnow

    materialise_due_reminders(now=utcnow().replace(year=2030, month=1, day=2))
    tick()
    first, second = smtp.to("ani@example.go.id")
    assert first["Subject"] == "Besok Bimtek Uji Coba: pakai batik"
    assert second["Subject"] == "Besok: Bimtek Uji Coba"
    # What was queued before keeps the text it was written with.
    assert db.session.execute(db.select(OutboxMessage.subject).order_by(OutboxMessage.id)).scalars().all() == [
        "Besok Bimtek Uji Coba: pakai batik", "Besok: Bimtek Uji Coba"]


def test_the_whatsapp_ticket_uses_the_committees_text(client, make, admin):
    event = make.event(dates=FUTURE)
    ani = make.registration(event, phone="081234567890")
    body = "Halo {nama}, tiket {acara}: {tautan_tiket}\nUbah data: {tautan_ubah}"
    assert save(PAGE + "/template/ticket", "Tiket {acara}", body, kind="ticket", client=client).status_code == 303
    client.post(f"/admin/acara/bimtek-uji/peserta/{ani.id}/kirim-tiket", data={"channel": "whatsapp"})
    [message] = outbox()
    assert message.channel == "whatsapp"
    assert message.body_text.startswith(f"Halo {ani.full_name}, tiket Bimtek Uji Coba: http://localhost/tiket/")
    # Sent from the committee's phone: never the participant's edit link, even where the text asks for it.
    assert "/ubah/" not in message.body_text and ani.edit_token not in message.body_text


def test_another_tenants_committee_gets_404_on_the_template_pages(client, make, auth):
    event = make.event(dates=FUTURE)
    make.registration(event)
    make.user("bogor@example.go.id", tenant=make.tenant("kota-bogor", "Kota Bogor"))
    auth.login("bogor@example.go.id")
    assert save(H1, "Besok", H1_BODY, client=client).status_code == 404
    assert save(H1, "Besok", H1_BODY, action="preview", client=client).status_code == 404
    assert client.post(H1 + "/bawaan", data={"confirmed": "yes"}).status_code == 404
    assert client.get(PAGE).status_code == 404
    assert templates() == []


def test_a_kind_without_a_template_is_not_found(client, make, admin):
    make.event(dates=FUTURE)
    assert save(PAGE + "/template/free", "Hai", "{tautan_tiket}", kind="free", client=client).status_code == 404
    assert save(PAGE + "/template/..", "Hai", "{tautan_tiket}", kind="..", client=client).status_code == 404
