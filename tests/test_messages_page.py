"""The Pesan page: templates, audience, preview with a real participant, scheduled reminders; the contact."""
from datetime import date, datetime, time, timedelta

from app.events.services import add_agenda_item
from app.extensions import db
from app.messages.reminders import materialise_due_reminders
from app.messages.worker import tick
from app.models import Attendance, Event, ScheduledReminder, utcnow
from tests.messages_support import FUTURE, PAGE, outbox
from tests.smtp_support import text_part


def reminders():
    db.session.expire_all()
    return db.session.execute(db.select(ScheduledReminder).order_by(ScheduledReminder.send_at)).scalars().all()


def test_preview_shows_the_message_for_one_real_participant_and_the_count(client, make, admin):
    event = make.event(dates=FUTURE)
    make.registration(event, full_name="Ani Pertama")
    make.registration(event, full_name="Budi Kedua")
    page = client.post(PAGE, data={"kind": "reminder_before", "audience": "all", "day": "", "action": "preview"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 penerima" in text and "Yth. Ani Pertama," in text and "Besok: Bimtek Uji Coba" in text
    assert reminders() == [] and outbox() == []


def test_a_free_message_to_one_opd_goes_out_to_that_opd_only(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    first, second = make.event_organization_list(event)[:2]
    make.registration(event, first, email="satu@example.go.id")
    make.registration(event, second, email="dua@example.go.id")
    response = client.post(PAGE, data={"kind": "free", "audience": f"opd:{first.id}", "subject": "Ganti ruangan",
                                       "body": "Acara pindah ke Ruang Garuda.\n\nTerima kasih.", "action": "send"})
    assert response.status_code == 303
    tick()
    [mail] = smtp.to("satu@example.go.id")
    assert mail["Subject"] == "Ganti ruangan"
    assert "Acara pindah ke Ruang Garuda." in text_part(mail) and "/tiket/" in text_part(mail)
    assert smtp.to("dua@example.go.id") == []
    # The reminder is done: another pass writes nothing more.
    tick()
    assert len(outbox()) == 1


def test_a_free_message_needs_a_subject_and_text(client, make, admin):
    make.event(dates=FUTURE)
    response = client.post(PAGE, data={"kind": "free", "audience": "all", "action": "send"})
    assert response.status_code == 422 and reminders() == []
    response = client.post(PAGE, data={"kind": "reminder_day", "audience": "all", "day": "999", "action": "send"})
    assert response.status_code == 422 and "Pilih hari." in response.get_data(as_text=True)
    response = client.post(PAGE, data={"kind": "ticket", "audience": "opd:abc", "action": "send"})
    assert response.status_code == 422


def test_not_yet_present_goes_only_to_those_absent_when_it_is_sent(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    present = make.registration(event, email="hadir@example.go.id")
    make.registration(event, email="belum@example.go.id")
    day = event.days[0]
    db.session.add(Attendance(event_id=event.id, registration_id=present.id, event_day_id=day.id))
    db.session.commit()
    client.post(PAGE, data={"kind": "absent", "audience": f"absent:{day.id}", "day": str(day.id), "action": "send"})
    tick()
    [mail] = smtp.to("belum@example.go.id")
    assert mail["Subject"] == "Anda belum tercatat hadir hari ini: Bimtek Uji Coba"
    assert smtp.to("hadir@example.go.id") == []


def test_a_scheduled_message_waits_for_its_time_and_is_written_once(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    add_agenda_item(event, event.days[1], "08:30", "10:00", "Penyusunan Quickwin")
    db.session.commit()
    make.registration(event, email="ani@example.go.id")
    later = utcnow() + timedelta(days=1)
    local = later.astimezone(event.tz)
    client.post(PAGE, data={"kind": "reminder_day", "audience": "all", "day": str(event.days[1].id),
                            "send_at": local.strftime("%Y-%m-%dT%H:%M"), "action": "send"})
    tick()
    assert outbox() == []
    assert materialise_due_reminders(now=later + timedelta(minutes=1)) == 1
    assert materialise_due_reminders(now=later + timedelta(minutes=2)) == 0
    tick()
    [mail] = smtp.to("ani@example.go.id")
    assert mail["Subject"] == "Hari ini, hari 2: Bimtek Uji Coba"
    assert "08.30–10.00 Penyusunan Quickwin" in text_part(mail)
    page = client.get(PAGE).get_data(as_text=True)
    assert "sudah ditulis" in page


def test_the_standard_reminders_are_scheduled_once(client, make, admin):
    event = make.event(dates=FUTURE)
    client.post(PAGE + "/pengingat-standar")
    client.post(PAGE + "/pengingat-standar")
    found = reminders()
    assert [(r.kind, r.audience) for r in found] == [
        ("reminder_before", "all"), ("reminder_day", "all"), ("absent", f"absent:{event.days[0].id}"),
        ("reminder_day", "all"), ("absent", f"absent:{event.days[1].id}"),
    ]
    assert found[0].send_at == datetime.combine(date(2030, 6, 12), time(15), tzinfo=event.tz)
    assert found[1].send_at == datetime.combine(date(2030, 6, 13), time(6), tzinfo=event.tz)
    # "hapus" asks first, saying which message will not go out.
    asked = client.post(f"{PAGE}/jadwal/{found[0].id}/hapus")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Hapus jadwal pesan?" in page and len(reminders()) == 5
    assert "Pengingat H-1 (tempat dan agenda) untuk Semua peserta aktif, Rabu, 12 Juni 2030 15.00 WIB" in page
    response = client.post(f"{PAGE}/jadwal/{found[0].id}/hapus", data={"confirmed": "yes"})
    assert response.status_code == 303 and len(reminders()) == 4
    assert client.post(f"{PAGE}/jadwal/{found[0].id}/hapus").status_code == 404
    assert client.post(f"{PAGE}/jadwal/{found[0].id}/hapus", data={"confirmed": "yes"}).status_code == 404


def test_the_contact_person_is_shown_and_sent(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    bad = client.post("/admin/acara/bimtek-uji/kontak", data={"contact_name": "Rina", "contact_phone": "12"})
    assert bad.status_code == 303
    db.session.expire_all()
    assert db.session.get(Event, event.id).contact_phone is None
    client.post("/admin/acara/bimtek-uji/kontak", data={"contact_name": "Rina (panitia)",
                                                        "contact_phone": "0812-7777-8888"})
    db.session.expire_all()
    assert db.session.get(Event, event.id).contact_phone == "+6281277778888"
    settings = client.get("/admin/acara/bimtek-uji/ubah").get_data(as_text=True)
    assert 'value="Rina (panitia)"' in settings
    assert "https://wa.me/6281277778888" in client.get("/e/bimtek-uji").get_data(as_text=True)
    registration = make.registration(event, email="ani@example.go.id")
    client.post(f"/admin/acara/bimtek-uji/peserta/{registration.id}/kirim-tiket", data={"channel": "email"})
    tick()
    assert "Hubungi panitia: Rina (panitia), WhatsApp https://wa.me/6281277778888" in text_part(
        smtp.to("ani@example.go.id")[0])


def test_the_day_before_reminder_carries_venue_and_first_day_agenda(client, make, admin, smtp):
    event = make.event(dates=FUTURE)
    add_agenda_item(event, event.days[0], "08:00", "09:00", "Pembukaan")
    db.session.commit()
    make.registration(event, email="ani@example.go.id")
    client.post(PAGE, data={"kind": "reminder_before", "audience": "all", "action": "send"})
    tick()
    [mail] = smtp.to("ani@example.go.id")
    assert mail["Subject"] == "Besok: Bimtek Uji Coba"
    text = text_part(mail)
    assert "Kamis, 13 Juni 2030" in text and "Hotel Uji, Serang" in text and "08.00–09.00 Pembukaan" in text


def test_a_reminder_goes_to_those_who_have_not_answered_the_evaluation(client, make, admin, smtp):
    from app.evaluation.services import QuestionSpec, add_questions, create_form, submit_response

    event = make.event(dates=FUTURE)
    # A named form: an anonymous one below k respondents reminds everyone (tests/test_evaluation_anonymity.py).
    form = create_form(event, kind="evaluasi", title="Evaluasi Penyelenggaraan", anonymous=False,
                       present_only=False)
    add_questions(form, [QuestionSpec("likert", "Kepuasan keseluruhan")])
    db.session.commit()
    answered = make.registration(event, email="sudah@example.go.id")
    make.registration(event, email="belum@example.go.id")
    submit_response(form, answered, {form.questions[0].id: ["5"]})
    db.session.commit()
    assert f"unanswered:{form.id}" in client.get(PAGE).get_data(as_text=True)
    response = client.post(PAGE, data={"kind": "free", "audience": f"unanswered:{form.id}", "action": "send",
                                       "subject": "Mohon isi evaluasi", "body": "Buka tiket Anda."})
    assert response.status_code == 303
    tick()
    [mail] = smtp.to("belum@example.go.id")
    assert mail["Subject"] == "Mohon isi evaluasi" and "/tiket/" in text_part(mail)
    assert smtp.to("sudah@example.go.id") == []
    # A form of another event is not an audience here.
    other = create_form(make.event(slug="lain", dates=FUTURE), kind="evaluasi", title="Lain")
    db.session.commit()
    response = client.post(PAGE, data={"kind": "free", "audience": f"unanswered:{other.id}", "action": "send",
                                       "subject": "x", "body": "y"})
    assert response.status_code == 422


def test_a_scheduled_message_links_to_the_address_it_was_scheduled_from(client, make, admin, smtp, app):
    """The worker writes the messages outside any request: without PUBLIC_BASE_URL their ticket links use the
    address the committee scheduled from, not http://localhost:5000."""
    assert app.config["PUBLIC_BASE_URL"] is None
    event = make.event(dates=FUTURE)
    registration = make.registration(event, email="ani@example.go.id")
    response = client.post(PAGE, base_url="https://hadir.serangkota.go.id",
                           data={"kind": "free", "audience": "all", "subject": "Ganti ruangan",
                                 "body": "Acara pindah ke Ruang Garuda.", "action": "send"})
    assert response.status_code == 303
    client.post(PAGE + "/pengingat-standar", base_url="https://hadir.serangkota.go.id")
    assert {r.base_url for r in reminders()} == {"https://hadir.serangkota.go.id"}
    tick()
    [mail] = smtp.to("ani@example.go.id")
    assert f"https://hadir.serangkota.go.id/tiket/{registration.ticket_token}" in text_part(mail)
    assert "localhost" not in text_part(mail)


def test_the_pesan_page_warns_when_links_would_point_nowhere(client, make, admin):
    event = make.event(dates=FUTURE)
    elsewhere = "https://hadir.serangkota.go.id"
    assert 'id="alamat-tautan"' not in client.get(PAGE, base_url=elsewhere).get_data(as_text=True)
    # Opened on the server itself: the links would point at localhost.
    page = client.get(PAGE).get_data(as_text=True)
    assert 'id="alamat-tautan"' in page and "Anda membuka aplikasi lewat localhost" in page
    # A reminder scheduled without an address (before addresses were kept).
    db.session.add(ScheduledReminder(event_id=event.id, kind="reminder_day", audience="all",
                                     send_at=utcnow() + timedelta(days=1)))
    db.session.commit()
    page = client.get(PAGE, base_url=elsewhere).get_data(as_text=True)
    assert "1 pesan terjadwal belum tahu alamat aplikasi ini" in page


def test_a_message_by_whatsapp_waits_in_the_click_through_list(client, make, admin, smtp):
    from urllib.parse import parse_qs, urlsplit

    event = make.event(dates=FUTURE)
    registration = make.registration(event, email="ani@example.go.id")
    response = client.post(PAGE, base_url="https://hadir.serangkota.go.id", follow_redirects=True,
                           data={"kind": "free", "audience": "all", "channel": "whatsapp", "subject": "Ganti ruangan",
                                 "body": "Acara pindah ke Ruang Garuda.", "action": "send"})
    assert "Pesan WhatsApp dijadwalkan" in response.get_data(as_text=True)
    [reminder] = reminders()
    assert reminder.channel == "whatsapp"
    tick()
    assert smtp.messages == []  # nothing by e-mail
    [message] = outbox()
    assert (message.channel, message.recipient, message.status) == ("whatsapp", registration.phone, "queued")
    page = client.get(PAGE).get_data(as_text=True)
    assert "WhatsApp: belum dibuka (1)" in page
    assert f'href="{PAGE}/{message.id}/whatsapp"' in page
    opened = client.get(f"{PAGE}/{message.id}/whatsapp")  # built at the click
    text = parse_qs(urlsplit(opened.headers["Location"]).query)["text"][0]
    assert "Acara pindah ke Ruang Garuda." in text
    assert f"https://hadir.serangkota.go.id/tiket/{registration.ticket_token}" in text


def test_an_unknown_channel_is_refused(client, make, admin):
    make.event(dates=FUTURE)
    response = client.post(PAGE, data={"kind": "ticket", "audience": "all", "channel": "sms", "action": "send"})
    assert response.status_code == 422 and reminders() == []


def test_the_schedule_names_audience_and_kind_in_indonesian(client, make, admin):
    from app.evaluation.services import create_form

    event = make.event(dates=FUTURE)
    form = create_form(event, kind="evaluasi", title="Evaluasi Penyelenggaraan", anonymous=True)
    db.session.commit()
    client.post(PAGE + "/pengingat-standar")
    assert client.post(PAGE, data={"kind": "free", "audience": f"unanswered:{form.id}", "action": "send",
                                   "subject": "Mohon isi", "body": "Buka tiket Anda.",
                                   "send_at": "2030-06-14T13:00"}).status_code == 303
    page = client.get(PAGE).get_data(as_text=True)
    schedule = page[page.index('id="jadwal"'):page.index('id="whatsapp"')]
    assert "Semua peserta aktif" in schedule and "Belum/tidak hadir pada hari 2" in schedule
    assert "Belum mengisi: Evaluasi Penyelenggaraan" in schedule and "Pengingat H-1" in schedule
    assert "12 Juni 2030 15.00 WIB" in schedule
    for code in (" · all", "absent:", "unanswered:", "reminder_before", "reminder_day", " · free"):
        assert code not in schedule


def test_the_same_message_may_be_scheduled_by_e_mail_and_by_whatsapp(client, make, admin):
    event = make.event(dates=FUTURE)
    message = {"kind": "free", "audience": "all", "subject": "Ganti ruangan", "body": "Ruang Garuda.",
               "action": "send", "send_at": "2030-06-14T13:00", "day": str(event.days[0].id)}  # as a browser sends
    for channel in ("email", "whatsapp", "whatsapp"):
        assert client.post(PAGE, data={**message, "channel": channel}).status_code == 303
    assert sorted(reminder.channel for reminder in reminders()) == ["email", "whatsapp"]  # the third is a repeat
