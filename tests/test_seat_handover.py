"""A seat handed over ("Ganti peserta") is a new person: a new registration with nothing of the previous
holder, the old one kept as it was (status `transferred`), the quota exact under races, and the old
ticket answering "dialihkan" at the desk and on its link, naming nobody."""
import threading
from datetime import timedelta

from app.certificates.issuing import active_certificate, issue_certificates
from app.checkin.services import check_in
from app.extensions import db
from app.messages import selfservice
from app.messages.reminders import AUDIENCE_ALL, audience_members
from app.models import Attendance, Event, OutboxMessage, Registration, ScanLog, utcnow
from app.registration.services import RegistrationRefused, count_active, register_participant
from app.summary import organization_summaries
from tests.certificates_support import attend
from tests.concurrency import run_in_threads

COLLEAGUE = {"full_name": "Yusuf Baru", "nip": "199002022015021002", "position": "Analis", "rank": "",
             "phone": "0813 1111 0003", "email": "yusuf@example.go.id", "consent": "y"}
TRANSFERRED_TEXT = "Tiket ini sudah dialihkan ke rekan dari OPD yang sama"


def editable(event):
    event.edits_close_at = utcnow() + timedelta(days=1)  # the committee keeps self-service open
    db.session.commit()
    return event


def hand_over(client, registration, **overrides):
    form = dict(COLLEAGUE, organization=str(registration.organization_id), **overrides)
    response = client.post(f"/ubah/{registration.edit_token}/ganti", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)  # where the device goes
    db.session.expire_all()
    old = db.session.get(Registration, registration.id)
    return old, db.session.get(Registration, old.transferred_to_id), (response, confirmation)


def test_the_colleague_starts_with_nothing_of_the_previous_holder(client, make, auth, smtp):
    from app.models import EvaluationForm
    from tests.evaluation_support import add_question, answers_for, create_form

    event = editable(make.event())
    xena = make.registration(event, full_name="Xena Lama", nip="198001012005011001", email="xena@example.go.id")
    make.user()
    auth.login("admin@example.go.id")
    client.post(f"/admin/acara/{event.slug}/peserta/{xena.id}/kirim-tiket", data={"channel": "email"})
    form_id = create_form(client, event)
    assert add_question(client, event, form_id, kind="short", text="Kesan Anda", required="").status_code == 303
    auth.logout()
    db.session.get(EvaluationForm, form_id).present_only = False  # Xena answers before the event
    db.session.commit()
    assert client.post(f"/tiket/{xena.ticket_token}/evaluasi/{form_id}",
                       data=answers_for(db.session.get(EvaluationForm, form_id), "Jawaban Xena")).status_code == 200
    assert client.post(f"/ubah/{xena.edit_token}/minta-hapus", data={"reason": "Alasan Xena"}).status_code == 303

    old, yusuf, _response = hand_over(client, xena)
    # A record of Xena's kept on her registration (e.g. a day recorded before): it stays hers.
    attend(old, event.days[0])
    assert yusuf.id != old.id and (yusuf.status, old.status) == ("registered", "transferred")
    assert (yusuf.event_id, yusuf.organization_id) == (old.event_id, old.organization_id)
    # The new holder: no attendance, certificate, answers, messages or request of Xena's.
    assert db.session.execute(db.select(Attendance).filter_by(registration_id=yusuf.id)).first() is None
    data = client.get(f"/ubah/{yusuf.edit_token}/data-saya.json").get_json()
    assert data["attendance"] == [] and data["certificates"] == [] and data["evaluation_answers"] == []
    assert data["deletion_request"] is None
    assert [m["recipient"] for m in data["messages"]] == ["yusuf@example.go.id"]  # his own confirmation
    for text in (str(data), client.get(f"/ubah/{yusuf.edit_token}/data-saya").get_data(as_text=True)):
        for value in ("Xena", "198001012005011001", "xena@example.go.id", "Alasan Xena"):
            assert value not in text
    ticket = client.get(f"/tiket/{yusuf.ticket_token}").get_data(as_text=True)
    assert "Yusuf Baru" in ticket and "Sudah hadir" not in ticket and "hadir (susulan)" not in ticket
    # The old registration keeps everything, for the SPJ, as it was.
    assert (old.full_name, old.nip, old.email) == ("Xena Lama", "198001012005011001", "xena@example.go.id")
    mine = client.get(f"/ubah/{old.edit_token}/data-saya.json").get_json()
    assert mine["evaluation_answers"][0]["answer"] == "Jawaban Xena" and len(mine["attendance"]) == 1
    assert mine["deletion_request"]["reason"] == "Alasan Xena"
    # Certificates go by the seat as it is now: Yusuf's, never Xena's.
    attend(yusuf, *event.days)
    issued = issue_certificates(event)
    db.session.commit()
    assert [c.registration_id for c in issued] == [yusuf.id] and active_certificate(old) is None
    assert db.session.execute(db.select(OutboxMessage.registration_id).where(
        OutboxMessage.recipient == "xena@example.go.id")).scalars().all() == [old.id]


def test_the_device_that_handed_over_sees_a_confirmation_and_the_colleague_gets_the_ticket_by_mail(client, make,
                                                                                                  smtp):
    from app.messages.delivery import deliver_due
    from tests.smtp_support import text_part

    event = editable(make.event())
    xena = make.registration(event, full_name="Xena Lama")
    old, yusuf, (response, page) = hand_over(client, xena)
    assert response.headers["Location"] == f"/ubah/{old.edit_token}"
    assert "Kursi Anda sudah diserahkan kepada Yusuf Baru" in page and TRANSFERRED_TEXT in page
    assert yusuf.ticket_token not in page and yusuf.edit_token not in page
    deliver_due()
    [mail] = smtp.to("yusuf@example.go.id")
    assert f"/tiket/{yusuf.ticket_token}" in text_part(mail) and f"/ubah/{yusuf.edit_token}" in text_part(mail)
    # The old edit link changes nothing any more, and cannot hand the seat over twice.
    again = client.post(f"/ubah/{old.edit_token}/ganti", data=dict(COLLEAGUE, email="lagi@example.go.id",
                                                                     nip="", organization=str(old.organization_id)))
    assert again.status_code == 422 and TRANSFERRED_TEXT in again.get_data(as_text=True)


def test_the_old_ticket_answers_transferred_at_the_desk_and_on_its_link_naming_nobody(client, make, desk):
    event, _operator, headers = desk
    editable(event)
    xena = make.registration(event, full_name="Xena Lama", nip="198001012005011001")
    old, yusuf, _response = hand_over(client, xena)
    for body in ({"token": old.ticket_token}, {"token": old.ticket_token, "day": "2099-01-01"},
                 {"token": f"https://hadir.example/tiket/{old.ticket_token}", "event": event.slug}):
        answer = client.post("/api/v1/checkins", json=body, headers=headers)
        assert answer.status_code == 409 and answer.get_json() == {"result": "transferred"}
    by_hand = client.post(f"/api/v1/events/{event.slug}/registrations/{old.id}/checkins", json={}, headers=headers)
    assert by_hand.status_code == 409 and by_hand.get_json() == {"result": "transferred"}
    assert db.session.execute(db.select(ScanLog.result).filter_by(registration_id=old.id)).scalars().all() == [
        "transferred"] * 4
    assert client.post("/api/v1/checkins", json={"token": yusuf.ticket_token, "day": "2022-06-13"},
                       headers=headers).status_code == 201
    roster = client.get(f"/api/v1/events/{event.slug}/roster", headers=headers).get_json()["tickets"]
    [entry] = [ticket for ticket in roster if ticket["id"] == old.id]
    assert entry["status"] == "transferred" and entry["full_name"] == entry["organization"] == ""
    page = client.get(f"/tiket/{old.ticket_token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 410 and TRANSFERRED_TEXT in text and "alert-warning" in text
    for value in ("Xena", "Yusuf", "••••", old.organization.name):
        assert value not in text
    assert client.get(f"/tiket/{old.ticket_token}/qr.png").status_code == 404


def test_a_transferred_registration_counts_nowhere_but_the_workbook_keeps_its_attendance(client, make, auth):
    import io

    from openpyxl import load_workbook

    event = editable(make.event(quota=2))
    xena = make.registration(event, full_name="Xena Lama")
    make.registration(event, full_name="Budi Tetap")
    old, yusuf, _response = hand_over(client, xena)
    check_in(old, event.days[0], method="manual")  # refused: the seat is Yusuf's now
    attend(old, event.days[0])  # a day of Xena's recorded before the handover (kept for the SPJ)
    organization_id = old.organization_id
    assert count_active(event, organization_id) == 2
    [summary] = [s for s in organization_summaries(event, event.days) if s.organization_id == organization_id]
    assert summary.registered == 2 and summary.present == (0, 0)
    assert {r.full_name for r in audience_members(event, AUDIENCE_ALL)} == {"Budi Tetap", "Yusuf Baru"}
    attend(yusuf, *event.days)
    issued = issue_certificates(event)
    db.session.commit()
    assert [c.registration_id for c in issued] == [yusuf.id]  # Xena has a day, but her seat is Yusuf's
    # The quota is full again: the freed seat went to Yusuf, not to anyone else.
    try:
        make.registration(event, make.event_organization_list(event)[0])
    except RegistrationRefused as refusal:
        assert refusal.code == "quota_full"
    else:
        raise AssertionError("a third person took a seat of a full OPD")
    make.user()
    auth.login("admin@example.go.id")
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx").data))
    people = [[cell.value for cell in row] for row in workbook["Peserta"].iter_rows()]
    [xena_row] = [row for row in people if "Xena Lama" in row]
    status_at = xena_row.index("Dialihkan")
    assert xena_row[status_at + 1] is not None and xena_row[status_at + 2] is None  # present day 1 only
    day_one = [[cell.value for cell in row] for row in workbook["Daftar Hadir Hari 1"].iter_rows()]
    assert any("Xena Lama" in row for row in day_one)  # she signed day 1
    day_two = [[cell.value for cell in row] for row in workbook["Daftar Hadir Hari 2"].iter_rows()]
    assert not any("Xena Lama" in row for row in day_two) and any("Yusuf Baru" in row for row in day_two)
    # The committee cannot cancel or restore a seat that changed hands into two seats (no 500 either).
    listing = client.get(f"/admin/acara/{event.slug}/peserta?status=transferred").get_data(as_text=True)
    assert "Xena Lama" in listing and "dialihkan ke rekan" in listing and "Yusuf Baru" not in listing
    restore = client.post(f"/admin/acara/{event.slug}/peserta/{old.id}/pulihkan", follow_redirects=True)
    assert restore.status_code == 200 and TRANSFERRED_TEXT in restore.get_data(as_text=True)
    assert client.post(f"/admin/acara/{event.slug}/peserta/{old.id}/batal").status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, old.id).status == "transferred"


def _race(app, event_id, work, count):
    barrier = threading.Barrier(count, timeout=30)
    outcomes, errors = [], []

    def run(n):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                db.session.commit()  # give the connection back: the pool holds fewer than `count`
                barrier.wait()
                work(n, event)
                db.session.commit()
                outcomes.append("ok")
            except (RegistrationRefused, selfservice.SelfServiceRefused) as refusal:
                db.session.rollback()
                outcomes.append(refusal.code)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(repr(error))

    run_in_threads(run, [(n,) for n in range(count)])
    return sorted(outcomes), errors


def colleague(n):
    from app.values import clean_participant

    cleaned, errors = clean_participant(dict(COLLEAGUE, nip="", email=f"rekan{n}@example.go.id",
                                             phone=f"0813 1111 {n:04d}"))
    assert not errors
    return cleaned


def test_a_handover_racing_new_registrations_keeps_a_full_quota_exact(app, make):
    event = editable(make.event(quota=1))
    organization_id = make.event_organization_list(event)[0].id
    seat_id = make.registration(event).id

    def work(n, event):
        if n == 0:
            selfservice.replace(db.session.get(Registration, seat_id), colleague(n))
        else:
            register_participant(event, organization_id, make.participant())

    outcomes, errors = _race(app, event.id, work, 8)
    assert errors == []
    assert outcomes == ["ok"] + ["quota_full"] * 7
    assert count_active(db.session.get(Event, event.id), organization_id) == 1


def test_two_handovers_of_one_seat_at_once_make_one_colleague(app, make):
    event = editable(make.event(quota=1))
    organization_id = make.event_organization_list(event)[0].id
    seat_id = make.registration(event).id

    def work(n, _event):
        selfservice.replace(db.session.get(Registration, seat_id), colleague(n))

    outcomes, errors = _race(app, event.id, work, 6)
    assert errors == []
    assert outcomes.count("ok") == 1 and len(outcomes) == 6
    assert set(outcomes) - {"ok"} <= {"transferred", "cancelled"}
    assert count_active(db.session.get(Event, event.id), organization_id) == 1
    assert db.session.execute(db.select(db.func.count()).select_from(Registration)).scalar_one() == 2
