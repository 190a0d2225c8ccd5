""""Salin acara": `flask copy-event` and the console's /admin/acara/<slug>/salin make a draft event with
every part of the set-up and nothing of the people; materials share their stored files."""
import io
from datetime import UTC, date, datetime, time

import pytest

from app.certificates.images import replace_stored_image
from app.certificates.issuing import issue_certificates
from app.certificates.settings import certificate_settings, save_certificate_settings
from app.checkin.services import check_in
from app.evaluation import services as evaluations
from app.evaluation.defaults import add_default_set
from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.downloads import current_storage
from app.materials.services import Upload, delete_material, upload_materials
from app.messages.templates import Wording, save_template
from app.models import (
    AgendaItem,
    Attendance,
    Certificate,
    CertificateSettings,
    Completion,
    EvaluationForm,
    Event,
    EventOrganization,
    EventStatus,
    Material,
    MessageTemplate,
    Question,
    Registration,
    Response,
    ScanLog,
)
from tests import materials_support as samples
from tests.factories import event_organization_list


@pytest.fixture
def source(app, make):
    """A finished event with every part a copy takes, and people, attendance, answers and certificates."""
    event = make.event(title="Bimtek Kota Cerdas Tahap 1", contact_name="Panitia", contact_phone="+6281100000000")
    first = event_organization_list(event)[0]
    _taking_part(event, first.id).quota = 7
    morning = samples.session(event, title="Paparan Kebijakan", starts="09:00", ends="10:30")
    samples.session(event, title="Diskusi", day=1, starts="13:00", ends="15:00", speaker="Fasilitator")
    storage, policy = current_storage(), UploadPolicy.from_config(app.config)
    upload_materials(event, [Upload("kak.pdf", io.BytesIO(samples.pdf(b"kak")), "KAK")], agenda_item_id=None,
                     visibility="public", policy=policy, storage=storage)
    upload_materials(event, [Upload("paparan.pdf", io.BytesIO(samples.pdf(b"paparan")))],
                     agenda_item_id=morning.id, visibility="participants", policy=policy, storage=storage)
    add_default_set(event, [morning.id])
    test = evaluations.create_form(event, kind="pretest", title="Pre-test",
                                   opens_at=datetime(2022, 6, 13, 0, 0, tzinfo=UTC),
                                   closes_at=datetime(2022, 6, 13, 2, 0, tzinfo=UTC))
    evaluations.add_questions(test, [
        evaluations.QuestionSpec("single", "Ibu kota Banten?", choices=["Serang", "Cilegon"], correct=[0], points=2),
    ])
    save_template(event, "confirmation", Wording("Terdaftar: {acara}", "Halo {nama}, sampai jumpa."))
    settings = save_certificate_settings(event, {
        "signer_name": "Pejabat Contoh", "signer_position": "Kepala Dinas", "issue_place": "Serang",
        "issue_date": date(2022, 6, 14), "number_pattern": "{seq:03d}/BIMTEK/{year}", "seq_start": 40,
        "jp_override": 12,
    })
    replace_stored_image(storage, settings, "signer_image", samples.image())
    person = make.registration(event, full_name="Ahmad Contoh")
    for day in event.days:
        check_in(person, day, method="scanner", now=datetime.combine(day.date, time(1), tzinfo=UTC))
    evaluations.submit_response(test, person, {test.questions[0].id: ["0"]},
                                now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    issue_certificates(event, now=datetime(2022, 6, 15, tzinfo=UTC))
    db.session.commit()
    return event


def _taking_part(event, organization_id):
    return db.session.execute(
        db.select(EventOrganization).filter_by(event_id=event.id, organization_id=organization_id)
    ).scalar_one()


def _rows(model, event, **where):
    return db.session.execute(db.select(model).filter_by(event_id=event.id, **where)).scalars().all()


def check_the_copy(source, slug):
    """Every copied part is there, moved to 1–2 July 2024; nothing of the people is."""
    db.session.expire_all()
    copy = db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one()
    assert copy.id != source.id and copy.status == EventStatus.DRAFT
    assert copy.registration_state(datetime.now(UTC)) == "draft"
    for name in ("title", "organizer_name", "venue", "description", "timezone", "tenant_id", "default_quota",
                 "contact_name", "contact_phone"):
        assert getattr(copy, name) == getattr(source, name), name
    assert [day.date for day in copy.days] == [date(2024, 7, 1), date(2024, 7, 2)]
    # The agenda on the same days, at the same wall-clock times (09:00 WIB is 02:00 UTC).
    agenda = [(item.day.date, item.starts_at.hour, item.title, item.speaker, item.counts_for_jp)
              for item in copy.agenda_items]
    assert agenda == [(date(2024, 7, 1), 2, "Paparan Kebijakan", "Kadis Kominfo", True),
                      (date(2024, 7, 2), 6, "Diskusi", "Fasilitator", True)]
    assert {(row.organization_id, row.quota) for row in _rows(EventOrganization, copy)} == \
        {(row.organization_id, row.quota) for row in _rows(EventOrganization, source)}
    assert 7 in {row.quota for row in _rows(EventOrganization, copy)}

    forms = {form.kind: form for form in _rows(EvaluationForm, copy)}
    assert set(forms) == {"evaluasi", "narasumber", "pretest"}
    assert forms["narasumber"].agenda_item_id == copy.agenda_items[0].id
    assert forms["pretest"].opens_at == datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
    assert forms["pretest"].closes_at == datetime(2024, 7, 1, 2, 0, tzinfo=UTC)
    [question] = forms["pretest"].questions
    assert (question.text, question.choices, question.correct, question.points) == \
        ("Ibu kota Banten?", ["Serang", "Cilegon"], [0], 2)
    source_questions = db.session.execute(
        db.select(db.func.count()).select_from(Question).join(EvaluationForm).filter_by(event_id=source.id)
    ).scalar_one()
    copied_questions = db.session.execute(
        db.select(db.func.count()).select_from(Question).join(EvaluationForm).filter_by(event_id=copy.id)
    ).scalar_one()
    assert copied_questions == source_questions > 1

    [template] = _rows(MessageTemplate, copy)
    assert (template.kind, template.subject, template.body) == \
        ("confirmation", "Terdaftar: {acara}", "Halo {nama}, sampai jumpa.")
    settings, theirs = certificate_settings(copy), certificate_settings(source)
    assert settings.id is not None and settings.seq_start == 1 and theirs.seq_start == 40
    assert (settings.signer_name, settings.signer_position, settings.number_pattern, settings.jp_override) == \
        ("Pejabat Contoh", "Kepala Dinas", "{seq:03d}/BIMTEK/{year}", 12)
    assert settings.signer_image == theirs.signer_image is not None
    assert settings.issue_date == date(2024, 7, 2)

    materials = {material.title: material for material in _rows(Material, copy)}
    theirs = {material.title: material for material in _rows(Material, source)}
    assert set(materials) == {"KAK", "paparan"} == set(theirs)
    for title, material in materials.items():
        assert material.id != theirs[title].id and material.stored_name == theirs[title].stored_name
        assert material.visibility == theirs[title].visibility
    assert materials["paparan"].agenda_item_id == copy.agenda_items[0].id
    assert materials["KAK"].agenda_item_id is None

    for model in (Registration, Attendance, Certificate, ScanLog):
        assert _rows(model, copy) == [], model.__name__
        assert _rows(model, source) != [], model.__name__
    copied_form_ids = [form.id for form in forms.values()]
    for model in (Response, Completion):
        assert db.session.execute(db.select(model).where(model.form_id.in_(copied_form_ids))).first() is None
    return copy


def test_copy_event_on_the_command_line(runner, source, app):
    files_before = samples.stored_files(app)
    result = runner.invoke(args=["copy-event", source.slug, "bimtek-tahap-2", "--start", "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert "bimtek-tahap-2 (2024-07-01, 2024-07-02)" in result.output
    check_the_copy(source, "bimtek-tahap-2")
    assert samples.stored_files(app) == files_before  # references, not copies

    taken = runner.invoke(args=["copy-event", source.slug, "bimtek-tahap-2", "--start", "2024-07-01"])
    assert taken.exit_code != 0 and "already the address of another event" in taken.output
    bad = runner.invoke(args=["copy-event", source.slug, "Tahap 3!", "--start", "2024-07-01"])
    assert bad.exit_code != 0 and "lower-case letters" in bad.output
    unknown = runner.invoke(args=["copy-event", "tidak-ada", "tahap-3", "--start", "2024-07-01"])
    assert unknown.exit_code != 0 and "no event with slug tidak-ada" in unknown.output
    assert db.session.execute(db.select(db.func.count()).select_from(Event)).scalar_one() == 2


def test_copy_event_from_the_console(client, auth, make, source):
    make.user()
    auth.login("admin@example.go.id")
    settings_page = client.get(f"/admin/acara/{source.slug}/ubah").get_data(as_text=True)
    assert f"/admin/acara/{source.slug}/salin" in settings_page
    page = client.get(f"/admin/acara/{source.slug}/salin")
    assert page.status_code == 200 and "Tidak ikut:" in page.get_data(as_text=True)

    response = client.post(f"/admin/acara/{source.slug}/salin", data={"slug": "bimtek-tahap-2", "start": "2024-07-01"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/acara/bimtek-tahap-2/ubah")
    check_the_copy(source, "bimtek-tahap-2")
    # The copy takes no registration until its committee opens it.
    assert "Pendaftaran belum dibuka" in client.get("/e/bimtek-tahap-2").get_data(as_text=True)

    again = client.post(f"/admin/acara/{source.slug}/salin", data={"slug": "bimtek-tahap-2", "start": "2024-07-01"})
    assert again.status_code == 422 and "sudah dipakai acara lain" in again.get_data(as_text=True)
    assert 'value="bimtek-tahap-2"' in again.get_data(as_text=True)  # the form as typed


def test_a_committee_member_copies_and_works_on_the_copy(client, auth, make, source):
    from app.tenants.access import MANAGE, can
    from app.tenants.operators import assign_operator

    member = make.user("panitia@example.go.id", role="committee", tenant=source.tenant)
    assign_operator(member, source)
    db.session.commit()
    auth.login("panitia@example.go.id")
    response = client.post(f"/admin/acara/{source.slug}/salin", data={"slug": "tahap-2", "start": "2024-07-01"})
    assert response.status_code == 303
    copy = check_the_copy(source, "tahap-2")
    assert can(member, MANAGE, copy)
    assert client.get("/admin/acara/tahap-2/ubah").status_code == 200
    # Not an event of someone else's scope, though.
    other = make.event(slug="acara-lain", tenant=make.tenant("kota-bogor", "Pemerintah Kota Bogor"))
    assert client.get(f"/admin/acara/{other.slug}/salin").status_code == 404
    assert client.post(f"/admin/acara/{other.slug}/salin",
                       data={"slug": "x-2", "start": "2024-07-01"}).status_code == 404
    assert db.session.execute(db.select(Event).filter_by(slug="x-2")).first() is None


def test_a_shared_file_stays_until_no_event_holds_it(runner, source, app):
    assert runner.invoke(args=["copy-event", source.slug, "bimtek-tahap-2", "--start", "2024-07-01"]).exit_code == 0
    storage = current_storage()
    copy = db.session.execute(db.select(Event).filter_by(slug="bimtek-tahap-2")).scalar_one()
    [theirs] = _rows(Material, source, title="KAK")
    [ours] = _rows(Material, copy, title="KAK")
    name = ours.stored_name

    delete_material(ours, storage)
    db.session.commit()
    assert storage.exists(name)  # the source still offers it
    with storage.open(name) as handle:
        assert handle.read() == samples.pdf(b"kak")
    delete_material(theirs, storage)
    db.session.commit()
    assert not storage.exists(name)  # the last one held it

    # The signature too: a new one on the copy leaves the source's in place.
    signature = certificate_settings(source).signer_image
    replace_stored_image(storage, db.session.execute(
        db.select(CertificateSettings).filter_by(event_id=copy.id)).scalar_one(), "signer_image", None)
    db.session.commit()
    assert storage.exists(signature) and certificate_settings(source).signer_image == signature


def test_the_copy_s_agenda_keeps_its_wall_clock_times_when_moved_backwards(runner, source):
    assert runner.invoke(args=["copy-event", source.slug, "dulu", "--start", "2020-01-06"]).exit_code == 0
    copy = db.session.execute(db.select(Event).filter_by(slug="dulu")).scalar_one()
    assert [day.date for day in copy.days] == [date(2020, 1, 6), date(2020, 1, 7)]
    assert [item.starts_at for item in db.session.execute(
        db.select(AgendaItem).filter_by(event_id=copy.id).order_by(AgendaItem.starts_at)).scalars()] == \
        [datetime(2020, 1, 6, 2, 0, tzinfo=UTC), datetime(2020, 1, 7, 6, 0, tzinfo=UTC)]
