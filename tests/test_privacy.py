"""The personal-data lifecycle: legal basis, the notice, "Data saya", "Minta hapus", the purge and
the access log, through the pages, the ticket link and the CLI."""
import json
from datetime import UTC, datetime, timedelta

from app.checkin.services import check_in
from app.extensions import db
from app.models import DeletionRequest, PersonalDataAccess, Registration
from app.tenants.operators import assign_operator
from tests.imports_support import people, xlsx
from tests.registration_support import form_data


def imported_person():
    """One row of an OPD's list, with a NIP other than form_data's."""
    return [dict(people(1)[0], nip="198202022010012002")]

TODAY = datetime.now(UTC).date()


def test_self_registration_consents_and_an_import_is_a_public_task(client, make, auth):
    event = make.event(quota=10)
    page = client.get(f"/e/{event.slug}/daftar").get_data(as_text=True)
    assert "/privasi/kota-uji" in page and "Pemberitahuan Privasi" in page  # the consent box names the notice
    organization = make.event_organization_list(event)[0]
    assert client.post(f"/e/{event.slug}/daftar", data=form_data(organization)).status_code == 303
    make.user()
    auth.login("admin@example.go.id")
    upload = {"file": (xlsx(imported_person()), "peserta.xlsx")}
    assert client.post(f"/admin/acara/{event.slug}/impor", data=upload,
                       content_type="multipart/form-data").status_code == 303
    rows = {source: (basis, consented) for source, basis, consented in db.session.execute(
        db.select(Registration.source, Registration.legal_basis, Registration.consented_at))}
    assert rows["form"][0] == "consent" and rows["form"][1] is not None
    assert rows["import"] == ("public_task", None)


def test_the_privacy_notice_names_the_tenant_its_contact_and_the_retention(client, make, runner):
    make.tenant()
    runner.invoke(args=["create-tenant", "kota-uji", "Pemerintah Kota Uji", "--privacy-contact",
                        "PPID Kota Uji, ppid@kotauji.go.id", "--retention-days", "365"])
    page = client.get("/privasi/kota-uji").get_data(as_text=True)
    assert "Pemerintah Kota Uji" in page and "ppid@kotauji.go.id" in page and "365 hari" in page
    assert client.get("/privasi/tidak-ada").status_code == 404


def test_data_saya_shows_that_registration_and_nothing_of_another(client, make):
    event = make.event()
    mine = make.registration(event, full_name="Siti Aminah")
    other = make.registration(event, full_name="Budi Lain")
    foreign = make.registration(make.event("bogor-1", tenant=make.tenant("kota-bogor")), full_name="Orang Bogor")
    check_in(mine, event.days[0], method="manual")
    db.session.commit()
    own = client.get(f"/ubah/{mine.edit_token}").get_data(as_text=True)
    assert f"/ubah/{mine.edit_token}/data-saya" in own and f"/ubah/{mine.edit_token}/minta-hapus" in own
    page = client.get(f"/ubah/{mine.edit_token}/data-saya")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    text = page.get_data(as_text=True)
    for value in (mine.full_name, mine.nip, mine.email, mine.phone, "13 Juni 2022"):
        assert value in text
    download = client.get(f"/ubah/{mine.edit_token}/data-saya.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(download.data)
    assert data["registration"]["nip"] == mine.nip and data["legal_basis"] == "consent"
    assert [a["day"] for a in data["attendance"]] == ["2022-06-13"]
    for stranger in (other, foreign):
        for value in (stranger.full_name, stranger.nip, stranger.email, stranger.phone, stranger.ticket_token):
            assert value not in text and value not in download.get_data(as_text=True)
    assert client.get("/ubah/bukan-token/data-saya").status_code == 404
    assert client.get("/ubah/bukan-token/data-saya.json").status_code == 404


def test_data_saya_writes_moments_in_the_event_time_zone_and_the_json_keeps_iso(client, make):
    event = make.event()
    person = make.registration(event)
    person.created_at = datetime(2022, 6, 1, 19, 4, 45, tzinfo=UTC)
    check_in(person, event.days[0], method="manual", now=datetime(2022, 6, 13, 1, 4, tzinfo=UTC))
    db.session.commit()
    page = client.get(f"/ubah/{person.edit_token}/data-saya").get_data(as_text=True)
    assert "Kamis, 2 Juni 2022 02.04 WIB" in page  # 19:04 UTC is past midnight in Serang
    assert "Senin, 13 Juni 2022: 08.04 WIB" in page
    assert "+00:00" not in page and "2022-06-01T" not in page
    data = client.get(f"/ubah/{person.edit_token}/data-saya.json").get_json()
    assert data["registered_at"] == "2022-06-01T19:04:45+00:00"
    assert data["attendance"] == [{"day": "2022-06-13", "checked_in_at": "2022-06-13T01:04:00+00:00",
                                   "method": "manual"}]


def test_minta_hapus_refused_with_a_reason_then_granted(client, make, auth):
    event = make.event()
    person = make.registration(event)
    token = person.edit_token
    assert client.post(f"/ubah/{token}/minta-hapus", data={"reason": "Saya pindah tugas"}).status_code == 303
    assert client.post(f"/ubah/{token}/minta-hapus", data={"reason": "x" * 2001}).status_code == 422
    make.user()
    auth.login("admin@example.go.id")
    listing = client.get(f"/admin/acara/{event.slug}/permintaan-hapus").get_data(as_text=True)
    assert person.full_name in listing and "Saya pindah tugas" in listing
    request_id = db.session.execute(db.select(DeletionRequest.id)).scalar_one()
    resolve = f"/admin/acara/{event.slug}/permintaan-hapus/{request_id}"
    client.post(resolve, data={"action": "refuse", "refusal_reason": ""})  # a refusal needs its reason
    assert db.session.execute(db.select(DeletionRequest.status)).scalar_one() == "pending"
    client.post(resolve, data={"action": "refuse", "refusal_reason": "Sertifikat belum terbit"})
    auth.logout()
    assert "Sertifikat belum terbit" in client.get(f"/ubah/{token}/data-saya").get_data(as_text=True)
    assert client.post(f"/ubah/{token}/minta-hapus", data={"reason": "Lagi"}).status_code == 303  # asked again
    assert db.session.execute(db.select(DeletionRequest.status)).scalar_one() == "pending"
    auth.login("admin@example.go.id")
    assert client.post(resolve, data={"action": "delete"}).status_code == 303
    db.session.expire_all()
    erased = db.session.get(Registration, person.id)
    assert (erased.nip, erased.phone, erased.email) == (None, None, None)
    assert erased.full_name == person.full_name and erased.personal_data_erased_at is not None
    assert client.post(resolve, data={"action": "hapus-semua"}).status_code == 400


def _ended(make, slug, days_ago, tenant=None, **fields):
    last = TODAY - timedelta(days=days_ago)
    return make.event(slug, dates=(last - timedelta(days=1), last), tenant=tenant, **fields)


def personal(event):
    return db.session.execute(
        db.select(Registration.full_name, Registration.nip, Registration.phone, Registration.email)
        .filter_by(event_id=event.id).order_by(Registration.id)
    ).all()


def test_purge_dry_run_changes_nothing_and_the_real_run_blanks_exactly_what_is_past_retention(
        runner, make, client, auth):
    old = _ended(make, "lama", days_ago=731)  # past the tenant's 730 days
    edge = _ended(make, "pas", days_ago=730)  # the last day of retention: kept
    kept_longer = _ended(make, "arsip", days_ago=1000, retention_days=3650)  # its own, longer period
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    bogor.retention_days = 30
    short = _ended(make, "bogor-singkat", days_ago=31, tenant=bogor)
    events = (old, edge, kept_longer, short)
    for event in events:
        for _ in range(2):
            make.registration(event)
    first = make.registration(old)
    check_in(first, old.days[0], method="manual")
    stale = PersonalDataAccess(tenant_id=old.tenant_id, event_id=old.id, action="export",
                               created_at=datetime.now(UTC) - timedelta(days=1096))
    fresh = PersonalDataAccess(tenant_id=old.tenant_id, event_id=old.id, action="export")
    db.session.add_all([stale, fresh])
    db.session.commit()
    stale_id = stale.id
    before = {event.slug: personal(event) for event in events}
    make.user()
    auth.login("admin@example.go.id")
    figures = client.get(f"/admin/acara/{old.slug}/dasbor.json").get_json()

    dry = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "lama: would blank NIP, phone and e-mail of 3 registration(s)" in dry.output
    assert "bogor-singkat: would blank" in dry.output and "pas:" not in dry.output and "arsip" not in dry.output
    db.session.expire_all()
    assert {event.slug: personal(event) for event in events} == before
    assert db.session.execute(db.select(db.func.count()).select_from(PersonalDataAccess)).scalar_one() == 2

    real = runner.invoke(args=["purge-personal-data"])
    assert real.exit_code == 0, real.output
    assert "5 registration(s) blanked in 2 event(s); 1 access-log row(s) deleted" in real.output
    db.session.expire_all()
    for event in (old, short):
        assert personal(event) == [(name, None, None, None) for name, *_ in before[event.slug]]
    for event in (edge, kept_longer):
        assert personal(event) == before[event.slug]
    # The aggregates and the archived list still work, with the names.
    assert client.get(f"/admin/acara/{old.slug}/dasbor.json").get_json() == figures
    assert client.get(f"/admin/acara/{old.slug}/daftar-hadir.xlsx").status_code == 200
    ticket = client.get(f"/tiket/{first.ticket_token}").get_data(as_text=True)
    assert first.full_name in ticket
    assert db.session.execute(db.select(PersonalDataAccess.id).where(
        PersonalDataAccess.id == stale_id)).first() is None

    again = runner.invoke(args=["purge-personal-data"])
    assert "0 registration(s) blanked in 0 event(s)" in again.output


def test_the_access_log_records_the_committee_and_is_shown_to_its_tenant_admins(client, make, auth):
    event = make.event(quota=10)
    person = make.registration(event)
    bogor = make.tenant("kota-bogor", "Pemerintah Kota Bogor")
    make.event("bogor-1", tenant=bogor)
    committee = make.user("panitia@kotauji.go.id", role="committee", tenant=event.tenant)
    assign_operator(committee, event)
    db.session.commit()
    auth.login("panitia@kotauji.go.id")
    client.get(f"/admin/acara/{event.slug}/daftar-hadir.xlsx")
    client.get(f"/admin/acara/{event.slug}/peserta?q=Peserta")
    client.get(f"/admin/acara/{event.slug}/peserta")  # a list without a search is not logged
    edited = form_data(make.event_organization_list(event)[0], email="baru@kotauji.go.id")
    edited.pop("consent")
    assert client.post(f"/admin/acara/{event.slug}/peserta/{person.id}", data=edited).status_code == 303
    client.post(f"/admin/acara/{event.slug}/impor", data={"file": (xlsx(imported_person()), "daftar.xlsx")},
                content_type="multipart/form-data")
    assert client.get("/admin/akses-data").status_code == 403  # a committee member does not read the log
    auth.logout()
    actions = db.session.execute(db.select(PersonalDataAccess.action).order_by(PersonalDataAccess.id)).scalars()
    assert list(actions) == ["export", "search", "edit", "import"]

    make.user("admin@kotauji.go.id", tenant=event.tenant)
    auth.login("admin@kotauji.go.id")
    page = client.get("/admin/akses-data").get_data(as_text=True)
    assert "panitia@kotauji.go.id" in page and "baru@kotauji.go.id" not in page
    auth.logout()
    make.user("admin@bogor.go.id", tenant=bogor)
    auth.login("admin@bogor.go.id")
    assert "panitia@kotauji.go.id" not in client.get("/admin/akses-data").get_data(as_text=True)


def test_the_access_log_shows_local_time_with_the_zone_abbreviation(client, make, auth):
    from app.audit import record_access, record_ledger_access

    makassar = make.event("bimtek-makassar", timezone="Asia/Makassar")
    admin = make.user("admin@kotauji.go.id", tenant=makassar.tenant)
    record_access(admin, makassar, "export", "daftar hadir")
    record_ledger_access(admin, [makassar], "export", "rekap JP")  # no event: Jakarta's time
    for row in db.session.execute(db.select(PersonalDataAccess)).scalars():
        row.created_at = datetime(2022, 6, 12, 23, 30, tzinfo=UTC)
    db.session.commit()
    auth.login("admin@kotauji.go.id")
    page = client.get("/admin/akses-data").get_data(as_text=True)
    assert "13 Juni 2022 07.30 WITA" in page and "13 Juni 2022 06.30 WIB" in page
    assert "2022-06-12 23:30" not in page and "UTC" not in page


def test_the_event_form_sets_its_own_retention(client, make, auth):
    event = make.event()
    make.user()
    auth.login("admin@example.go.id")
    form = {"title": event.title, "slug": event.slug, "organizer_name": "Diskominfo", "venue": "Aula",
            "timezone": "Asia/Jakarta", "dates-0": "2022-06-13", "dates-1": "2022-06-14", "retention_days": "90"}
    assert client.post(f"/admin/acara/{event.slug}/ubah", data=form).status_code == 303
    db.session.expire_all()
    assert db.session.get(type(event), event.id).retention_days == 90
    assert 'value="90"' in client.get(f"/admin/acara/{event.slug}/ubah").get_data(as_text=True)
    assert client.post(f"/admin/acara/{event.slug}/ubah", data=dict(form, retention_days="-1")).status_code == 422


def test_a_participants_only_download_by_the_committee_is_logged(app, client, make, auth):
    import io

    from app.materials.checks import UploadPolicy
    from app.materials.downloads import current_storage
    from app.materials.services import Upload, upload_materials
    from tests.materials_support import pdf

    event = make.event()
    private, public = (upload_materials(
        event, [Upload(name=f"{kind}.pdf", stream=io.BytesIO(pdf(kind.encode())), title=kind)], agenda_item_id=None,
        visibility=kind, policy=UploadPolicy.from_config(app.config), storage=current_storage())[0]
        for kind in ("participants", "public"))
    db.session.commit()
    make.user()
    auth.login("admin@example.go.id")
    for material in (private, public):
        assert client.get(f"/admin/acara/{event.slug}/materi/{material.id}/unduh").status_code == 200
    logged = db.session.execute(db.select(PersonalDataAccess.action, PersonalDataAccess.detail)).all()
    assert logged == [("material_download", "participants.pdf")]
