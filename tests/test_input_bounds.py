"""Every input bounded: the CLI takes what the forms take, what is stored never breaks the purge or Data saya,
a slug in use is the form's message, a subject is one line (and a header the worker cannot send is final,
not retried), and a certificate number pattern cannot ask for a gigabyte."""
from datetime import date

import pytest

from app.extensions import db
from app.messages.compose import Content
from app.messages.delivery import deliver_due
from app.messages.outbox import enqueue
from app.models import MESSAGE_FAILED, Event, OutboxMessage, Tenant
from tests.certificates_support import settings_form
from tests.messages_support import FUTURE, PAGE


def test_create_tenant_takes_the_retention_days_the_form_takes(runner):
    refused = runner.invoke(args=["create-tenant", "kota-bogor", "Pemerintah Kota Bogor",
                                  "--retention-days", "3000000"])
    assert refused.exit_code == 2 and "--retention-days" in refused.output and "36500" in refused.output
    assert db.session.execute(db.select(Tenant).filter_by(slug="kota-bogor")).first() is None
    taken = runner.invoke(args=["create-tenant", "kota-bogor", "Pemerintah Kota Bogor", "--retention-days", "36500"])
    assert taken.exit_code == 0, taken.output
    assert db.session.execute(db.select(Tenant.retention_days).filter_by(slug="kota-bogor")).scalar_one() == 36500


def test_the_purge_and_data_saya_survive_whatever_period_is_stored(runner, make, client):
    event = make.event()
    person = make.registration(event)
    db.session.execute(db.update(Tenant).values(retention_days=3_000_000, audit_retention_days=3_000_000))
    other = make.event("lain", dates=(date(2022, 7, 1),))
    other.retention_days = 999_999_999
    db.session.commit()
    for args in (["purge-personal-data", "--dry-run"], ["purge-personal-data"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "0 registration(s)" in result.output
    page = client.get(f"/ubah/{person.edit_token}/data-saya")
    assert page.status_code == 200 and person.nip in page.get_data(as_text=True)
    assert client.get(f"/ubah/{person.edit_token}/data-saya.json").status_code == 200
    assert client.get(f"/privasi/{event.tenant.slug}").status_code == 200


def test_a_slug_in_use_is_the_forms_message_not_a_500(client, make, admin):
    make.event("bimtek-uji")
    other = make.event("bimtek-lain", dates=(date(2022, 7, 1), date(2022, 7, 2)))
    page = client.get(f"/admin/acara/{other.slug}/ubah")
    assert page.status_code == 200
    form = {"title": other.title, "slug": "bimtek-uji", "organizer_name": "Diskominfo", "venue": "Aula",
            "description": "", "timezone": "Asia/Jakarta", "dates-0": "2022-07-01", "dates-1": "2022-07-03",
            "registration_opens_at": "", "registration_closes_at": "", "capacity": "", "default_quota": "3",
            "retention_days": ""}
    response = client.post(f"/admin/acara/{other.slug}/ubah", data=form)
    assert response.status_code == 422
    assert "Alamat ini sudah dipakai acara lain." in response.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(db.session.execute(db.select(Event.slug)).scalars()) == ["bimtek-lain", "bimtek-uji"]


def test_a_subject_with_a_line_break_is_refused_at_the_form(client, make, admin):
    event = make.event(dates=FUTURE)
    make.registration(event, email="satu@example.go.id")
    for subject in ("Ganti ruangan\r\nBcc: semua@example.go.id", "Ganti\nruangan", "Ganti\truangan"):
        response = client.post(PAGE, data={"kind": "free", "audience": "all", "subject": subject,
                                           "body": "Acara pindah.", "action": "send"})
        assert response.status_code == 422
        assert "Harus satu baris" in response.get_data(as_text=True)
    template = client.post(PAGE + "/template/ticket", data={"ticket-subject": "Tiket\r\nBcc: x@example.go.id",
                                                           "ticket-body": "{tautan_tiket}", "action": "save"})
    assert template.status_code == 422 and "Harus satu baris" in template.get_data(as_text=True)
    assert db.session.execute(db.select(OutboxMessage)).first() is None


def test_a_header_the_mail_cannot_carry_fails_at_once_with_its_error(make, smtp):
    event = make.event()
    person = make.registration(event, email="satu@example.go.id")
    enqueue(event_id=event.id, registration_id=person.id, kind="free", channel="email", cause="lama",
            recipient=person.email, content=Content("Ganti\r\nruangan", "Isi"))
    db.session.commit()
    outcome = deliver_due()
    assert (outcome.failed, outcome.retried, outcome.sent) == (1, 0, 0)
    message = db.session.execute(db.select(OutboxMessage)).scalar_one()
    assert message.status == MESSAGE_FAILED and message.attempts == 1 and "header" in message.last_error.lower()
    assert deliver_due().failed == 0  # final: never tried again


@pytest.mark.parametrize("pattern", ["800/{seq:0999999999d}/{year}", "{seq:07d}", "{seq:>99}", "{seq:,}",
                                     "{seq:.3}", "{year:0100}", "{seq:x}"])
def test_a_number_pattern_allows_the_documented_fields_with_a_width_of_six_at_most(make, client, auth, pattern):
    from tests.certificates_support import sign_in_admin as sign_in

    event = make.event()
    sign_in(make, auth)
    url = f"/admin/acara/{event.slug}/sertifikat"
    refused = client.post(url, data=settings_form(number_pattern=pattern))
    assert refused.status_code == 422, pattern
    for good in ("800/{seq:06d}/{roman_month}/{year}", "{seq}/{month:02d}", "{seq:3}"):
        assert client.post(url, data=settings_form(number_pattern=good)).status_code == 303, good


@pytest.mark.parametrize("setting", ["MESSAGES_POLL_SECONDS=0", "REMEMBER_DAYS=3000000", "MAX_UPLOAD_MB=-1",
                                     "MESSAGES_MAX_ATTEMPTS=nan", "MAIL_PORT=70000"])
def test_a_number_setting_out_of_its_bounds_stops_the_start_with_its_name(setting):
    import os
    import subprocess
    import sys
    from pathlib import Path

    name, value = setting.split("=")
    env = dict(os.environ, **{name: value})
    result = subprocess.run([sys.executable, "-c", "import config"], cwd=Path(__file__).resolve().parent.parent,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and f"{name}='{value}'" in result.stderr
