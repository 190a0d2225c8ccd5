"""After erasure ("Minta hapus" granted, or the purge): messages leave the person out, and nothing of
their NIP, phone or e-mail stays behind anywhere in the database."""
from datetime import date, timedelta

from app.extensions import db
from app.models import DeletionRequest, EvaluationForm, OutboxMessage, ScheduledReminder, utcnow
from tests.certificates_support import signed_set
from tests.privacy_support import a_person_leaves_traces, personal_values_left

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
PESAN = "/admin/acara/bimtek-uji/pesan"


def erase_on_request(client, person):
    """The person asks ("Minta hapus") and the admin (signed in) grants it."""
    assert client.post(f"/ubah/{person.edit_token}/minta-hapus", data={"reason": "Pindah tugas"}).status_code == 303
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
    for channel in ("whatsapp", "email"):  # channels are independent: the kept person gets both
        response = client.post(f"{PESAN}/kirim-tiket", data={"channel": channel})
        assert response.status_code == 303
        single = client.post(f"/admin/acara/bimtek-uji/peserta/{erased.id}/kirim-tiket",
                             data={"channel": channel}, follow_redirects=True)
        assert single.status_code == 200
        assert "tiket tidak dapat dikirim" in single.get_data(as_text=True)
    assert [(m.channel, m.recipient) for m in messages()] == [("whatsapp", "+6281200000002"),
                                                              ("email", "tetap@example.go.id")]
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


def test_a_granted_request_leaves_no_nip_phone_or_email_anywhere(client, make, admin, smtp):
    event = make.event()
    yusuf, code, values = a_person_leaves_traces(client, make, event, smtp)
    # Xena's registration, the seat's earlier holder, stays as it was for the SPJ: only Yusuf asks.
    values = values[-3:]
    data = client.get(f"/ubah/{yusuf.edit_token}/data-saya.json").get_json()
    assert [m["recipient"] for m in data["messages"]] == ["yusuf@example.go.id", "+6281311110003"]
    assert data["certificates"][0]["full_name"] == "Yusuf Baru"
    assert data["evaluation_answers"] == [{"form": "Evaluasi Penyelenggaraan", "question": "Kesan Anda",
                                           "answer": "Materinya bagus"}]
    page = client.get(f"/ubah/{yusuf.edit_token}/data-saya").get_data(as_text=True)
    assert "Jawaban evaluasi" in page and "Materinya bagus" in page
    erase_on_request(client, yusuf)
    assert personal_values_left(values) == []
    # The facts stay: a sent message, both changes (Xena's), the search, and the certificate's verification.
    data = client.get(f"/ubah/{yusuf.edit_token}/data-saya.json").get_json()
    assert [(m["recipient"], m["status"]) for m in data["messages"]] == [(None, "sent")]
    from app.models import PersonalDataAccess, RegistrationChange

    assert [c.action for c in db.session.execute(db.select(RegistrationChange)).scalars()] == ["edit", "transfer"]
    assert "search" in db.session.execute(db.select(PersonalDataAccess.action)).scalars().all()
    verified = client.get(f"/verifikasi/{code}")
    assert verified.status_code == 200 and "Yusuf Baru" in verified.get_data(as_text=True)


def test_the_purge_leaves_no_nip_phone_or_email_anywhere(client, make, admin, smtp, runner):
    event = make.event(dates=(date.today() - timedelta(days=800), date.today() - timedelta(days=799)))
    yusuf, code, values = a_person_leaves_traces(client, make, event, smtp)
    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert personal_values_left(values) == []
    verified = client.get(f"/verifikasi/{code}")
    assert verified.status_code == 200 and "Yusuf Baru" in verified.get_data(as_text=True)


def test_a_seat_handed_over_from_an_imported_person_is_held_by_consent(client, make):
    from tests.messages_support import FUTURE as EDITABLE

    event = make.event(dates=EDITABLE)
    imported = make.registration(event, full_name="Dari Impor")
    imported.source, imported.legal_basis, imported.consented_at = "import", "public_task", None
    db.session.commit()
    handover = {"full_name": "Rekan Baru", "nip": "", "position": "Analis", "rank": "",
                "organization": str(imported.organization_id), "phone": "0813 4444 5555",
                "email": "rekan@example.go.id", "consent": "y"}
    assert client.post(f"/ubah/{imported.edit_token}/ganti", data=handover).status_code == 303
    colleague = db.session.get(type(imported), db.session.get(type(imported), imported.id).transferred_to_id)
    data = client.get(f"/ubah/{colleague.edit_token}/data-saya.json").get_json()
    assert data["legal_basis"] == "consent" and data["consented_at"] is not None
    assert client.get(f"/ubah/{imported.edit_token}/data-saya.json").get_json()["legal_basis"] == "public_task"


def test_the_privacy_notice_lists_the_events_with_their_own_period(client, make):
    make.event("arsip", title="Bimtek Arsip", retention_days=3650)
    make.event("sama", title="Bimtek Sama", retention_days=730)  # the tenant's own period: not listed
    make.event("biasa", title="Bimtek Biasa")
    make.event("bogor-1", title="Bimtek Bogor", tenant=make.tenant("kota-bogor"), retention_days=30)
    page = client.get("/privasi/kota-uji").get_data(as_text=True)
    assert "730 hari" in page and "jangka waktu sendiri" in page
    assert "Bimtek Arsip: 3650 hari" in page
    assert "Bimtek Sama" not in page and "Bimtek Biasa" not in page and "Bimtek Bogor" not in page


def test_personal_data_exports_appear_in_the_tenant_admins_access_log(client, make, auth):
    from app.certificates.issuing import issue_certificates
    from app.models import Certificate, PersonalDataAccess
    from tests.certificates_support import attend
    from tests.evaluation_support import create_form

    event = make.event()
    person = make.registration(event)
    attend(person, *event.days)
    issue_certificates(event)
    db.session.commit()
    certificate_id = db.session.execute(db.select(Certificate.id)).scalar_one()
    make.user("admin@kotauji.go.id", tenant=event.tenant)
    auth.login("admin@kotauji.go.id")
    form_id = create_form(client, event)
    base = f"/admin/acara/{event.slug}"
    for url in ("/admin/jp", "/admin/jp.xlsx", f"{base}/evaluasi/{form_id}/jawaban.xlsx",
                f"{base}/sertifikat/{certificate_id}.pdf", f"{base}/sertifikat.zip", f"{base}/pesan"):
        response = client.get(url)
        assert response.status_code == 200, url
        response.get_data()  # the ZIP is streamed
    badge_set = signed_set(client.get(f"{base}/lencana"))
    assert client.post(f"{base}/lencana.pdf", data={"set": badge_set}).status_code == 200
    rows = db.session.execute(db.select(PersonalDataAccess.action, PersonalDataAccess.detail)
                              .order_by(PersonalDataAccess.id)).all()
    assert {action for action, _detail in rows} == {"export"} and len(rows) == 7
    assert [detail for _action, detail in rows][:3] == ["rekap JP", "rekap-jp.xlsx", f"jawaban-{form_id}.xlsx"]
    page = client.get("/admin/akses-data").get_data(as_text=True)
    for shown in ("rekap-jp.xlsx", f"jawaban-{form_id}.xlsx", ".pdf", ".zip", "pesan", f"lencana-{event.slug}.pdf"):
        assert shown in page


def test_the_colleague_who_takes_a_seat_sees_none_of_the_previous_persons_data(client, make, admin):
    from tests.evaluation_support import add_question, answers_for, create_form
    from tests.messages_support import FUTURE as EDITABLE

    event = make.event(dates=EDITABLE)
    xena = make.registration(event, full_name="Xena Lama", email="xena@example.go.id")
    client.post(f"/admin/acara/{event.slug}/peserta/{xena.id}/kirim-tiket", data={"channel": "email"})
    form_id = create_form(client, event)
    assert add_question(client, event, form_id, kind="short", text="Harapan Anda", required="").status_code == 303
    form = db.session.get(EvaluationForm, form_id)
    assert client.post(f"/tiket/{xena.ticket_token}/evaluasi/{form_id}",
                       data=answers_for(form, "Jawaban Xena")).status_code == 200
    assert client.post(f"/ubah/{xena.edit_token}/minta-hapus", data={"reason": "Alasan Xena"}).status_code == 303
    assert [m.recipient for m in messages()] == ["xena@example.go.id"]
    handover = {"full_name": "Yusuf Baru", "nip": "", "position": "Analis", "rank": "",
                "organization": str(xena.organization_id), "phone": "0813 1111 0003",
                "email": "yusuf@example.go.id", "consent": "y"}
    assert client.post(f"/ubah/{xena.edit_token}/ganti", data=handover).status_code == 303
    token = db.session.get(type(xena), db.session.get(type(xena), xena.id).transferred_to_id).edit_token
    data = client.get(f"/ubah/{token}/data-saya.json").get_json()
    page = client.get(f"/ubah/{token}/data-saya").get_data(as_text=True)
    for text in (page, str(data)):
        assert "xena@example.go.id" not in text and "Jawaban Xena" not in text and "Alasan Xena" not in text
    assert [m["recipient"] for m in data["messages"]] == ["yusuf@example.go.id"]  # his own confirmation
    assert data["evaluation_answers"] == [] and data["deletion_request"] is None


def test_erasure_blanks_a_search_for_part_of_the_persons_nip_and_keeps_other_searches(client, make, admin):
    from app.models import PersonalDataAccess

    event = make.event()
    person = make.registration(event, full_name="Yusuf Baru", nip="199002022015021002", phone="+6281311110003")
    for typed in ("1990 0202", "dinas kesehatan", "1990", "0813 1111 00"):
        assert client.get(f"/admin/acara/{event.slug}/peserta?q={typed}").status_code == 200
    erase_on_request(client, person)
    db.session.expire_all()
    searches = db.session.execute(
        db.select(PersonalDataAccess.detail).filter_by(action="search").order_by(PersonalDataAccess.id)
    ).scalars().all()
    assert searches == ["", "dinas kesehatan", "1990", ""]  # four digits name nobody


def test_a_pending_request_stays_with_its_person_after_the_seat_is_handed_over(client, make, admin):
    from tests.messages_support import FUTURE as EDITABLE

    event = make.event(dates=EDITABLE)
    xena = make.registration(event, full_name="Xena Lama", nip="198001012005011001", email="xena@example.go.id")
    client.post(f"/admin/acara/{event.slug}/peserta/{xena.id}/kirim-tiket", data={"channel": "email"})
    assert client.post(f"/ubah/{xena.edit_token}/minta-hapus", data={"reason": "Alasan Xena"}).status_code == 303
    handover = {"full_name": "Yusuf Baru", "nip": "", "position": "Analis", "rank": "",
                "organization": str(xena.organization_id), "phone": "0813 1111 0003",
                "email": "yusuf@example.go.id", "consent": "y"}
    assert client.post(f"/ubah/{xena.edit_token}/ganti", data=handover).status_code == 303
    token = db.session.get(type(xena), db.session.get(type(xena), xena.id).transferred_to_id).edit_token
    assert "sudah terkirim" not in client.get(f"/ubah/{token}/minta-hapus").get_data(as_text=True)
    assert client.post(f"/ubah/{token}/minta-hapus", data={"reason": "Alasan Yusuf"}).status_code == 303
    assert client.get(f"/ubah/{token}/data-saya.json").get_json()["deletion_request"]["reason"] == "Alasan Yusuf"
    # Xena's request stays hers, on her own (transferred) registration, for the committee to carry out.
    assert client.get(f"/ubah/{xena.edit_token}/data-saya.json").get_json()["deletion_request"]["reason"] == (
        "Alasan Xena")
    db.session.expire_all()
    assert sorted(r.reason for r in db.session.execute(db.select(DeletionRequest)).scalars()) == [
        "Alasan Xena", "Alasan Yusuf"]
