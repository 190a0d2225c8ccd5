"""For the privacy tests: a person who leaves traces everywhere, and where their values are still stored."""
from datetime import timedelta

from app.extensions import db
from app.models import EvaluationForm, utcnow


def a_person_leaves_traces(client, make, event, smtp):
    """Xena registers, corrects her phone and e-mail, hands the seat to Yusuf; Yusuf gets messages (one
    still queued), a certificate and answers the evaluation; the committee searches him by NIP.
    Returns (Yusuf's registration, every NIP, phone and e-mail either of them ever had)."""
    from app.certificates.issuing import issue_certificates
    from app.messages.delivery import deliver_due
    from tests.certificates_support import attend
    from tests.evaluation_support import add_question, answers_for, create_form
    from tests.registration_support import edit_form

    event.edits_close_at = utcnow() + timedelta(days=1)
    db.session.commit()
    xena = make.registration(event, full_name="Xena Lama", nip="198001012005011001", phone="+6281311110001",
                             email="xena@example.go.id")
    edit = f"/ubah/{xena.edit_token}"
    assert client.post(edit, data=edit_form(xena, phone="0813 1111 0002", email="xena.baru@example.go.id")
                       ).status_code == 303
    handover = {"full_name": "Yusuf Baru", "nip": "199002022015021002", "position": "Analis", "rank": "",
                "organization": str(xena.organization_id), "phone": "0813 1111 0003",
                "email": "yusuf@example.go.id", "consent": "y"}
    assert client.post(f"{edit}/ganti", data=handover).status_code == 303
    yusuf = db.session.get(type(xena), db.session.get(type(xena), xena.id).transferred_to_id)
    deliver_due()  # the confirmation to Yusuf is sent
    client.post(f"/admin/acara/{event.slug}/peserta/{yusuf.id}/kirim-tiket", data={"channel": "whatsapp"})
    assert client.get(f"/admin/acara/{event.slug}/peserta?q=1990 0202 2015 0210 02").status_code == 200
    form_id = create_form(client, event)
    assert add_question(client, event, form_id, kind="short", text="Kesan Anda", required="").status_code == 303
    form = db.session.get(EvaluationForm, form_id)
    assert client.post(f"/tiket/{yusuf.ticket_token}/evaluasi/{form_id}",
                       data=answers_for(form, "Materinya bagus")).status_code == 200
    attend(yusuf, *event.days)
    [certificate] = issue_certificates(event)
    db.session.commit()
    values = ["198001012005011001", "+6281311110001", "xena@example.go.id", "+6281311110002",
              "xena.baru@example.go.id", "199002022015021002", "+6281311110003", "yusuf@example.go.id"]
    assert {value for _where, value in personal_values_left(values)} >= set(values)
    return yusuf, certificate.code, values


def personal_values_left(values):
    """Every (table.column, value) where a text column of any table still holds one of `values`
    (a phone also as typed: 08…)."""
    from sqlalchemy import String, Text

    wanted = set(values) | {"0" + value[3:] for value in values if value.startswith("+62")}
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text):
                continue
            for (text,) in db.session.execute(db.select(column).where(column.is_not(None))):
                found += [(f"{table.name}.{column.name}", value) for value in wanted if value in str(text)]
    return found
