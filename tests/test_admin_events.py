"""Event set-up through the console: the event form, days, registration switch, agenda, OPDs."""
from datetime import UTC, date, datetime

from app.checkin.services import check_in
from app.events.services import add_agenda_item
from app.extensions import db
from app.models import AgendaItem, Event, EventOrganization, Organization
from tests.events_support import event_form


def test_creating_an_event_stores_days_and_the_window_in_utc(client, admin_with_tenant, make):
    response = client.post("/admin/acara/baru", data=event_form())
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/acara/bimtek-satu-data/opd"
    event = db.session.execute(db.select(Event)).scalar_one()
    assert [day.date for day in event.days] == [date(2022, 6, 13), date(2022, 6, 14)]
    # 08:00 WIB is 01:00 UTC.
    assert event.registration_opens_at == datetime(2022, 6, 1, 1, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2022, 6, 10, 9, 0, tzinfo=UTC)
    assert event.default_quota == 3 and event.capacity is None
    page = client.get("/admin/acara/bimtek-satu-data/ubah").get_data(as_text=True)
    assert 'value="2022-06-01T08:00"' in page and 'value="2022-06-14"' in page


def test_event_form_errors_keep_what_was_typed(client, admin_with_tenant, make):
    make.event()
    taken = client.post("/admin/acara/baru", data=event_form(slug="bimtek-uji"))
    assert taken.status_code == 422
    assert "Alamat ini sudah dipakai acara lain." in taken.get_data(as_text=True)
    bad = client.post("/admin/acara/baru", data=event_form(
        slug="Spasi Salah", **{"dates-0": "", "dates-1": ""}, registration_closes_at="2022-05-01T08:00"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Huruf kecil, angka dan tanda minus saja." in page
    assert 'value="Bimtek Satu Data"' in page
    assert db.session.execute(db.select(db.func.count()).select_from(Event)).scalar() == 1


def test_a_day_with_attendance_cannot_be_removed(client, admin_with_tenant, make):
    event = make.event()
    registration = make.registration(event)
    check_in(registration, event.days[1], method="manual")
    db.session.commit()
    form = event_form(slug="bimtek-uji", **{"dates-1": ""})
    response = client.post("/admin/acara/bimtek-uji/ubah", data=form)
    assert response.status_code == 422
    assert "2022-06-14" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Event, event.id).days) == 2
    # Adding a third day is fine.
    client.post("/admin/acara/bimtek-uji/ubah", data=event_form(slug="bimtek-uji", **{"dates-2": "2022-06-15"}))
    db.session.expire_all()
    assert [day.date.day for day in db.session.get(Event, event.id).days] == [13, 14, 15]


def test_opening_and_closing_registration(client, admin_with_tenant, make):
    event = make.event(registration_opens_at=datetime(2099, 1, 1, tzinfo=UTC))
    assert "status-wait" in client.get("/e/bimtek-uji").get_data(as_text=True)
    client.post("/admin/acara/bimtek-uji/pendaftaran", data={"action": "open"})
    assert "status-open" in client.get("/e/bimtek-uji").get_data(as_text=True)
    client.post("/admin/acara/bimtek-uji/pendaftaran", data={"action": "close"})
    assert "Pendaftaran sudah ditutup" in client.get("/e/bimtek-uji").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Event, event.id).registration_closes_at is not None


def test_agenda_items_are_added_edited_and_deleted_in_local_time(client, admin_with_tenant, make):
    event = make.event()
    day2 = event.days[1]
    response = client.post("/admin/acara/bimtek-uji/agenda", data={
        "day": day2.id, "starts": "08:30", "ends": "10:00", "title": "Pembukaan", "speaker": "Wali Kota"})
    assert response.status_code == 303
    item = db.session.execute(db.select(AgendaItem)).scalar_one()
    assert item.starts_at == datetime(2022, 6, 14, 1, 30, tzinfo=UTC)
    assert "08.30–10.00" in client.get("/admin/acara/bimtek-uji/agenda").get_data(as_text=True)
    edit_page = client.get(f"/admin/acara/bimtek-uji/agenda/{item.id}").get_data(as_text=True)
    assert 'value="08:30"' in edit_page and 'value="Pembukaan"' in edit_page
    bad = client.post(f"/admin/acara/bimtek-uji/agenda/{item.id}", data={
        "day": day2.id, "starts": "10:00", "ends": "09:00", "title": "Pembukaan"})
    assert bad.status_code == 422
    assert "Jam selesai harus sesudah jam mulai." in bad.get_data(as_text=True)
    client.post(f"/admin/acara/bimtek-uji/agenda/{item.id}", data={
        "day": day2.id, "starts": "09:00", "ends": "", "title": "Pembukaan resmi"})
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).title == "Pembukaan resmi"
    asked = client.post(f"/admin/acara/bimtek-uji/agenda/{item.id}/hapus")
    assert asked.status_code == 200 and "Pembukaan resmi" in asked.get_data(as_text=True)
    assert db.session.execute(db.select(AgendaItem)).first() is not None
    client.post(f"/admin/acara/bimtek-uji/agenda/{item.id}/hapus", data={"confirmed": "yes"})
    assert db.session.execute(db.select(AgendaItem)).first() is None


def test_the_jp_flag_defaults_by_title_and_the_committee_may_change_it(client, admin_with_tenant, make):
    event = make.event()
    day = event.days[0]
    url = "/admin/acara/bimtek-uji/agenda"
    for starts, title in (("07:30", "Registrasi peserta"), ("08:30", "Sambutan Wali Kota"), ("12:00", "ISHOMA"),
                          ("15:00", "Coffee break"), ("09:00", "Kebijakan Smart City")):
        assert client.post(url, data={"day": day.id, "starts": starts, "ends": "", "title": title}).status_code == 303
    client.post(url, data={"day": day.id, "starts": "16:00", "title": "Doa penutup", "counts_for_jp": "yes"})
    client.post(url, data={"day": day.id, "starts": "16:30", "title": "Tanya jawab", "counts_for_jp": "no"})
    counted = dict(db.session.execute(db.select(AgendaItem.title, AgendaItem.counts_for_jp)).all())
    assert counted == {"Registrasi peserta": False, "Sambutan Wali Kota": False, "ISHOMA": False,
                       "Coffee break": False, "Kebijakan Smart City": True, "Doa penutup": True,
                       "Tanya jawab": False}
    assert client.get(url).get_data(as_text=True).count("Tidak dihitung JP") == 5
    # Created elsewhere (seed, import), an item is decided by its title too.
    add_agenda_item(event, event.days[1], "12:00", "13:00", "Istirahat, sholat, makan")
    db.session.commit()
    assert db.session.execute(db.select(AgendaItem).filter_by(title="Istirahat, sholat, makan")).scalar_one(
        ).counts_for_jp is False

    item = db.session.execute(db.select(AgendaItem).filter_by(title="ISHOMA")).scalar_one()
    edit_page = client.get(f"{url}/{item.id}").get_data(as_text=True)
    assert "Dihitung JP" in edit_page and '<option selected value="no">' in edit_page
    client.post(f"{url}/{item.id}", data={"day": day.id, "starts": "12:00", "title": "ISHOMA", "counts_for_jp": "yes"})
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).counts_for_jp is True
    refused = client.post(f"{url}/{item.id}", data={"day": day.id, "starts": "12:00", "title": "ISHOMA",
                                                     "counts_for_jp": "mungkin"})
    assert refused.status_code == 422


def test_organizations_and_quotas(client, admin_with_tenant, make):
    event = make.event(opds=3)
    first, second, third = make.event_organization_list(event)
    make.registration(event, first)
    extra = make.organizations(4)[3]
    response = client.post("/admin/acara/bimtek-uji/opd", data={
        "take_part": [str(first.id), str(second.id), str(extra.id)],
        f"quota-{first.id}": "5", f"quota-{second.id}": "", f"quota-{extra.id}": "2", "confirmed": "yes"})
    assert response.status_code == 303  # Dinas Contoh 3 left out: confirmed
    quotas = dict(db.session.execute(
        db.select(EventOrganization.organization_id, EventOrganization.quota).filter_by(event_id=event.id)).all())
    assert quotas == {first.id: 5, second.id: None, extra.id: 2}
    # The OPD that already has a participant cannot be dropped.
    asked = client.post("/admin/acara/bimtek-uji/opd", data={"take_part": [str(second.id)]})
    assert asked.status_code == 200 and "Dinas Contoh 1, Dinas Contoh 4" in asked.get_data(as_text=True)
    refused = client.post("/admin/acara/bimtek-uji/opd", data={"take_part": [str(second.id)], "confirmed": "yes"})
    assert refused.status_code == 422
    assert "Dinas Contoh 1" in refused.get_data(as_text=True)
    assert len(quotas) == db.session.execute(
        db.select(db.func.count()).select_from(EventOrganization).filter_by(event_id=event.id)).scalar()
    added = client.post("/admin/acara/bimtek-uji/opd/baru", data={
        "short_name": "KEC-X", "name": "Kecamatan Contoh", "kind": "kecamatan"})
    assert added.status_code == 303
    assert db.session.execute(db.select(Organization).filter_by(short_name="KEC-X")).scalar_one().kind == "kecamatan"
    assert third is not None


def test_absurd_input_gets_a_message_not_a_500(client, admin_with_tenant, make):
    event = make.event()
    first = make.event_organization_list(event)[0]
    huge = "9" * 30
    response = client.post("/admin/acara/bimtek-uji/opd", data={"take_part": [str(first.id), huge],
                                                                f"quota-{first.id}": huge})
    assert response.status_code == 422
    assert f'value="{huge}"' in response.get_data(as_text=True)  # kept as typed
    assert client.post("/admin/acara/baru", data=event_form(capacity=huge, default_quota="-1",
                                                            **{"dates-0": "2022-13-45"})).status_code == 422
    for query in ({"opd": huge}, {"page": huge}, {"kehadiran": f"{huge}:present"}, {"q": "%_'\""}):
        assert client.get("/admin/acara/bimtek-uji/peserta", query_string=query).status_code == 200
    assert client.get(f"/admin/acara/bimtek-uji/peserta/{huge}").status_code == 404
    assert client.post("/admin/acara/bimtek-uji/pendaftaran", data={}).status_code == 303
    assert client.get("/admin/acara/tidak-ada").status_code == 404
