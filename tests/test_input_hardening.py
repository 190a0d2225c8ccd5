"""Input hardening: far-away dates, numbers in other scripts, invisible text and bombs answer with a message.

Each test is a request that answered 500 (or stored what it should not) before.
"""
from datetime import date

import pytest

from app.certificates.settings import certificate_settings
from app.extensions import db
from app.models import EvaluationForm, Event, ScheduledReminder

YEARS_MESSAGE = "Tahun harus antara 1900 dan 2099."
FAR_AWAY = ["0001-01-01T00:00", "9999-12-31T23:59"]


# --- Item 1: every date field of the console takes years 1900..2099 only ------------------------

@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
@pytest.mark.parametrize("value", FAR_AWAY)
def test_an_evaluation_window_far_away_is_a_form_error(client, make, admin, field, value):
    event = make.event()
    url = f"/admin/acara/{event.slug}/evaluasi"
    data = {"kind": "evaluasi", "title": "Evaluasi", "agenda_item": "", "copy_from": "", field: value}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    assert db.session.execute(db.select(EvaluationForm)).first() is None
    created = client.post(url, data={**data, field: "2022-06-14T08:00"})
    assert created.status_code == 303
    form_url = created.headers["Location"]
    response = client.post(form_url, data={"title": "Evaluasi", "agenda_item": "", field: value})
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.execute(db.select(EvaluationForm)).scalar_one()
    assert getattr(stored, field).year == 2022


@pytest.mark.parametrize("value", FAR_AWAY)
def test_a_message_scheduled_far_away_is_a_form_error(client, make, admin, value):
    make.event(dates=(date(2030, 6, 13), date(2030, 6, 14)))
    response = client.post("/admin/acara/bimtek-uji/pesan", data={
        "kind": "free", "audience": "all", "subject": "Ganti ruangan", "body": "Ruang Garuda.", "send_at": value,
        "action": "send"})
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    assert db.session.execute(db.select(ScheduledReminder)).first() is None


@pytest.mark.parametrize("value", FAR_AWAY)
def test_self_service_closing_far_away_is_refused_with_a_message(client, make, admin, value):
    event = make.event()
    response = client.post("/admin/acara/bimtek-uji/kontak", data={"contact_name": "Rina", "edits_close_at": value})
    # The contact form lives on the Pengaturan page: its errors come back there as messages.
    assert response.status_code == 303
    assert YEARS_MESSAGE in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.contact_name, stored.edits_close_at) == (None, None)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_certificate_issue_date_far_away_is_a_form_error(client, make, admin, value):
    from tests.certificates_support import settings_form

    event = make.event()
    response = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(issue_date=value))
    assert response.status_code == 422
    assert YEARS_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert certificate_settings(event).issue_date is None


# --- Item 3: one number parser: digits of other scripts are a form error, never read as numbers --------

def arabic_indic(number):
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


def test_tenant_retention_takes_ascii_digits_and_zero(client, make, auth):
    serang = make.tenant("kota-serang", "Pemerintah Kota Serang")
    make.user("admin@serang.go.id", tenant=serang)
    auth.login("admin@serang.go.id")
    url = "/admin/pemerintah/kota-serang"
    form = {"name": "Pemerintah Kota Serang", "retention_days": "365", "audit_retention_days": "1095"}
    for field in ("retention_days", "audit_retention_days"):
        for value in ("٣", "²", "3.5"):
            response = client.post(url, data={**form, field: value})
            assert response.status_code == 422, (field, value)
            assert "Harus berupa bilangan bulat 0 sampai 36500." in response.get_data(as_text=True)
        empty = client.post(url, data={**form, field: ""})
        assert empty.status_code == 422 and "Wajib diisi." in empty.get_data(as_text=True)
    db.session.expire_all()
    assert (serang.retention_days, serang.audit_retention_days) != (3, 3)
    # 0 days means something (delete right after the event): accepted.
    assert client.post(url, data={**form, "retention_days": "0", "audit_retention_days": "0"}).status_code == 303
    db.session.expire_all()
    assert (serang.retention_days, serang.audit_retention_days) == (0, 0)


@pytest.mark.parametrize("field", ["jp_override", "min_days", "min_post_test_score"])
def test_certificate_numbers_take_ascii_digits_only(client, make, admin, field):
    from tests.certificates_support import settings_form

    event = make.event()
    response = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(**{field: "٣"}))
    assert response.status_code == 422
    assert "Harus berupa bilangan bulat 0 sampai" in response.get_data(as_text=True)
    db.session.expire_all()
    assert getattr(certificate_settings(event), field) is None
    saved = client.post(f"/admin/acara/{event.slug}/sertifikat", data=settings_form(**{field: "3"}))
    assert saved.status_code == 303
    db.session.expire_all()
    assert getattr(certificate_settings(event), field) == 3


def test_question_points_take_ascii_digits_only(client, make, admin):
    from app.models import Question
    from tests.evaluation_support import add_question, create_form

    event = make.event()
    form_id = create_form(client, event, kind="posttest", title="Post-test")
    response = add_question(client, event, form_id, kind="single", choices="A\nB", correct="A", points="٣")
    assert response.status_code == 422
    assert "Harus berupa bilangan bulat 0 sampai 1000." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Question)).first() is None


def test_badge_and_ledger_filters_read_ascii_digits_only(client, make, admin):
    event = make.event()
    first, second = make.event_organization_list(event)[:2]
    ani = make.registration(event, first, full_name="Ani Pertama")
    make.registration(event, second, full_name="Budi Kedua")
    filtered = client.get(f"/admin/acara/{event.slug}/lencana?opd={ani.organization_id}").get_data(as_text=True)
    assert "Ani Pertama" in filtered and "Budi Kedua" not in filtered
    # "٣" is no OPD id: the filter is left off, not read as 3.
    unreadable = client.get(f"/admin/acara/{event.slug}/lencana?opd={arabic_indic(ani.organization_id)}")
    assert unreadable.status_code == 200
    assert "Ani Pertama" in unreadable.get_data(as_text=True) and "Budi Kedua" in unreadable.get_data(as_text=True)
    assert "rekap-jp-2022.xlsx" in client.get("/admin/jp.xlsx?tahun=2022").headers["Content-Disposition"]
    other_script = client.get(f"/admin/jp.xlsx?tahun={arabic_indic(2022)}")
    assert other_script.status_code == 200
    assert "rekap-jp.xlsx" in other_script.headers["Content-Disposition"]


# --- Item 4: names and titles are read as normalize_text reads them -----------------------------------

INVISIBLE = "\u200b\u2060"
INVISIBLE_MESSAGE = "Isian ini hanya berisi karakter yang tidak terlihat."
CAFE_NFD, CAFE_NFC = "Kafe\u0301 Data", "Kaf\u00e9 Data"


def test_two_opds_that_look_the_same_are_one(client, make, admin):
    from app.models import Organization

    make.event()
    url = "/admin/acara/bimtek-uji/opd/baru"
    assert client.post(url, data={"short_name": CAFE_NFC, "name": CAFE_NFC, "kind": "dinas"}).status_code == 303
    twin = client.post(url, data={"short_name": CAFE_NFD + "\u200b", "name": "Dinas " + CAFE_NFD, "kind": "dinas"})
    assert twin.status_code == 422
    invisible = client.post(url, data={"short_name": INVISIBLE, "name": "Dinas Baru", "kind": "dinas"})
    assert invisible.status_code == 422 and INVISIBLE_MESSAGE in invisible.get_data(as_text=True)
    names = db.session.execute(db.select(Organization.short_name).where(Organization.short_name.contains("Kaf")))
    assert names.scalars().all() == [CAFE_NFC]


def test_event_and_agenda_titles_are_normalized(client, make, admin):
    from app.models import AgendaItem
    from tests.events_support import event_form

    make.tenant()
    refused = client.post("/admin/acara/baru", data=event_form(title=INVISIBLE))
    assert refused.status_code == 422 and INVISIBLE_MESSAGE in refused.get_data(as_text=True)
    assert client.post("/admin/acara/baru", data=event_form(title=" Bimtek\u200b  " + CAFE_NFD)).status_code == 303
    event = db.session.execute(db.select(Event)).scalar_one()
    assert event.title == "Bimtek " + CAFE_NFC
    agenda = f"/admin/acara/{event.slug}/agenda"
    day = event.days[0].id
    refused = client.post(agenda, data={"day": day, "starts": "08:00", "title": INVISIBLE})
    assert refused.status_code == 422 and INVISIBLE_MESSAGE in refused.get_data(as_text=True)
    assert client.post(agenda, data={"day": day, "starts": "08:00", "title": CAFE_NFD}).status_code == 303
    assert db.session.execute(db.select(AgendaItem.title)).scalars().all() == [CAFE_NFC]


def test_tenant_and_account_names_are_normalized(client, make, admin):
    from app.models import Tenant, User

    tenant = make.tenant("kota-serang", "Pemerintah Kota Serang")
    url = "/admin/pemerintah/kota-serang"
    form = {"name": INVISIBLE, "retention_days": "365", "audit_retention_days": "1095"}
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and INVISIBLE_MESSAGE in refused.get_data(as_text=True)
    assert client.post(url, data={**form, "name": "Pemerintah " + CAFE_NFD}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Tenant, tenant.id).name == "Pemerintah " + CAFE_NFC
    invite = {"email": "meja@serangkota.go.id", "role": "operator", "tenant": str(tenant.id)}
    refused = client.post("/admin/pengguna", data={**invite, "name": INVISIBLE})
    assert refused.status_code == 422 and INVISIBLE_MESSAGE in refused.get_data(as_text=True)
    assert client.post("/admin/pengguna", data={**invite, "name": CAFE_NFD}).status_code == 201
    assert db.session.execute(db.select(User.name).filter_by(email="meja@serangkota.go.id")).scalar_one() == CAFE_NFC


# --- Item 5: the question import checks the workbook before openpyxl opens it ----------------------------

@pytest.mark.parametrize("prolog", ["DTD", "ENTITIES", "BOMB"])
def test_a_hostile_question_workbook_is_refused_before_it_is_read(client, make, admin, prolog):
    import io
    import zipfile

    from app.models import Question
    from tests import xlsx_bombs
    from tests.evaluation_support import add_question, create_form

    event = make.event()
    source_id = create_form(client, event, kind="pretest", title="Pre-test")
    assert add_question(client, event, source_id).status_code == 303
    exported = client.get(f"/admin/acara/{event.slug}/evaluasi/{source_id}/pertanyaan.xlsx").data
    if prolog == "BOMB":
        hostile = xlsx_bombs.shared_string_bomb(30)  # 30 MB in one cell, under the old total-size check
    else:
        sheet = next(name for name in zipfile.ZipFile(io.BytesIO(exported)).namelist() if "worksheets/sheet" in name)
        xml = zipfile.ZipFile(io.BytesIO(exported)).read(sheet).decode()
        doctype = ("<!DOCTYPE worksheet [<!ELEMENT worksheet ANY>]>" if prolog == "DTD"
                   else f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{xlsx_bombs.LAUGHS}]>')
        declaration_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        hostile = xlsx_bombs.with_part(sheet, (xml[:declaration_end] + doctype + xml[declaration_end:]).encode(),
                                       base=exported)
    target_id = create_form(client, event, kind="posttest", title="Post-test")
    response = client.post(f"/admin/acara/{event.slug}/evaluasi/{target_id}/impor",
                           data={"file": (io.BytesIO(hostile), "soal.xlsx")})
    assert response.status_code == 422
    assert "Berkas tidak dapat dibaca sebagai .xlsx." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Question).filter_by(form_id=target_id)).first() is None
