"""`flask seed-demo`: the reference event as it happened and its Tahap 2 running today, every person
visibly fictitious, idempotent, dates moved on a later start, refused on a database with other data,
and a demo committee account only outside production."""
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from app.certificates.settings import certificate_settings
from app.demo.seed import DEMO_ACCOUNT, DEMO_SLUG, LIVE_SLUG, seed_demo
from app.demo.story import SURNAMES
from app.extensions import db
from app.materials.downloads import current_storage
from app.models import (
    Attendance,
    Certificate,
    Completion,
    EvaluationForm,
    Event,
    EventPaperwork,
    Material,
    Registration,
    Response,
    User,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


def event(slug):
    return db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one()


def rows(model, event, **where):
    return db.session.execute(db.select(model).filter_by(event_id=event.id, **where)).scalars().all()


def password_in(output):
    return re.search(rf"{re.escape(DEMO_ACCOUNT)} / (\S+)", output).group(1)


@pytest.fixture
def seeded(runner):
    result = runner.invoke(args=["seed-demo", "--base-url", "http://127.0.0.1:5077"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_finished_event_is_a_whole_bimtek(seeded, app):
    past = event(DEMO_SLUG)
    assert [day.date.isoformat() for day in past.days] == ["2022-06-13", "2022-06-14"]
    people = rows(Registration, past)
    assert len(people) == 90 and len({person.organization_id for person in people}) == 32
    for number, day in enumerate(past.days, start=1):
        present = rows(Attendance, past, event_day_id=day.id)
        assert 80 <= len(present) < 90, number  # a few absent
        assert any(row.recorded_late_at for row in present), number  # a few susulan
        assert sum(1 for row in present if row.recorded_late_at) <= 3
    materials = rows(Material, past)
    assert len(materials) == 4 and all(current_storage().exists(material.stored_name) for material in materials)
    forms = {form.kind: form for form in rows(EvaluationForm, past) if form.kind != "narasumber"}
    assert db.session.execute(db.select(db.func.count()).select_from(Completion)
                              .filter_by(form_id=forms["evaluasi"].id)).scalar_one() > 80
    scores = {}
    for kind in ("pretest", "posttest"):
        responses = db.session.execute(db.select(Response).filter_by(form_id=forms[kind].id)).scalars().all()
        assert len(responses) > 80
        scores[kind] = sum(r.score for r in responses) / sum(r.max_score for r in responses)
    assert scores["posttest"] - scores["pretest"] > 0.2  # the gain
    certificates = rows(Certificate, past)
    assert len(certificates) > 75 and {c.jp for c in certificates} == {15}
    assert certificate_settings(past).signer_image is None  # unsigned, no image: nothing real to imitate
    assert db.session.get(EventPaperwork, past.id).signature_name


def test_the_live_event_runs_today_in_jakarta(seeded):
    live = event(LIVE_SLUG)
    today = datetime.now(JAKARTA).date()
    assert [day.date for day in live.days] == [today, today + timedelta(days=1)]
    assert "Tahap 2" in live.title and live.status == "open"
    assert live.registration_state(datetime.now(UTC)) == "open"
    assert len(rows(Registration, live)) == 60
    checked_in = rows(Attendance, live)
    assert len(checked_in) == 15 and {row.event_day_id for row in checked_in} == {live.days[0].id}
    assert not any(row.recorded_late_at for row in checked_in)
    pretest = rows(EvaluationForm, live, kind="pretest")[0]
    assert pretest.state(datetime.now(UTC)) == "open" and len(pretest.questions) == 5
    # Made by "Salin acara": its materials are the finished event's files.
    assert {m.stored_name for m in rows(Material, live)} == {m.stored_name for m in rows(Material, event(DEMO_SLUG))}
    assert rows(Certificate, live) == []


def test_every_person_is_visibly_fictitious(seeded):
    people = db.session.execute(db.select(Registration)).scalars().all()
    assert len(people) == 150
    for person in people:
        assert person.email.endswith("@example.go.id")
        assert person.phone.startswith("+628110000")
        assert person.full_name.split()[1] in SURNAMES
        assert person.nip[4:8] == "0101"  # everyone born on 1 January


def test_the_output_ends_with_the_addresses_and_the_account(seeded, client):
    lines = seeded.strip().splitlines()
    assert f"http://127.0.0.1:5077/e/{LIVE_SLUG}" in seeded
    assert f"http://127.0.0.1:5077/e/{LIVE_SLUG}/checkin" in seeded
    assert f"http://127.0.0.1:5077/admin/acara/{LIVE_SLUG}" in seeded
    assert DEMO_ACCOUNT in lines[-1]
    password = password_in(seeded)
    assert client.post("/masuk/", data={"email": DEMO_ACCOUNT, "password": password}).status_code == 302
    assert client.get(f"/admin/acara/{LIVE_SLUG}").status_code == 200


def test_seeding_again_adds_nothing_and_changes_the_password(seeded, runner, client):
    counts = {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
              for model in (Event, Registration, Attendance, Material, Certificate, Response, User)}
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Already there" in again.output
    assert counts == {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
                      for model in (Event, Registration, Attendance, Material, Certificate, Response, User)}
    old, new = password_in(seeded), password_in(again.output)
    assert old != new
    assert client.post("/masuk/", data={"email": DEMO_ACCOUNT, "password": old}).status_code != 302
    assert client.post("/masuk/", data={"email": DEMO_ACCOUNT, "password": new}).status_code == 302


def test_a_later_start_moves_the_live_event_to_today(app, runner):
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    seed_demo(now=three_days_ago)
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "Moved bimtek-smart-city-serang-tahap-2 by 3 day(s)" in result.output
    db.session.expire_all()
    live, today = event(LIVE_SLUG), datetime.now(JAKARTA).date()
    assert [day.date for day in live.days] == [today, today + timedelta(days=1)]
    assert all(item.starts_at.astimezone(JAKARTA).date() >= today for item in live.agenda_items)
    checked_in = rows(Attendance, live)
    assert len(checked_in) == 15
    assert {row.checked_in_at.astimezone(JAKARTA).date() for row in checked_in} == {today}
    assert rows(EvaluationForm, live, kind="pretest")[0].state(datetime.now(UTC)) == "open"
    assert [day.date.isoformat() for day in event(DEMO_SLUG).days] == ["2022-06-13", "2022-06-14"]


def test_a_database_with_other_data_is_refused_unless_forced(runner, make):
    make.event()
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert "holds more than the demo (the event bimtek-uji)" in refused.output and "--force" in refused.output
    assert db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).first() is None
    assert db.session.execute(db.select(User).filter_by(email=DEMO_ACCOUNT)).first() is None

    forced = runner.invoke(args=["seed-demo", "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.execute(db.select(db.func.count()).select_from(Event)).scalar_one() == 3


def test_an_account_of_its_own_is_other_data_too(runner, make):
    make.user("kadis@serangkota.go.id", tenant=make.tenant("kota-serang", "Pemerintah Kota Serang"))
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0 and "the account kadis@serangkota.go.id" in refused.output


def test_production_never_has_the_demo_account(seeded, runner, app):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "No demo account in production" in result.output and DEMO_ACCOUNT not in result.output
    account = db.session.execute(db.select(User).filter_by(email=DEMO_ACCOUNT)).scalar_one()
    assert not account.active  # the one made in development is switched off


def test_production_seeds_no_account_from_the_start(runner, app):
    app.config["ENV_NAME"] = "production"
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.execute(db.select(User)).first() is None


def test_the_finished_event_s_workbook_is_complete(seeded, runner, tmp_path):
    output = tmp_path / "daftar-hadir.xlsx"
    result = runner.invoke(args=["export-attendance", DEMO_SLUG, "-o", str(output)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(output, read_only=True)
    assert {"Daftar Hadir Hari 1", "Daftar Hadir Hari 2", "Rekap per OPD", "Peserta"} <= set(workbook.sheetnames)
    day_one = "\n".join(" ".join(str(cell) for cell in row if cell is not None)
                        for row in workbook["Daftar Hadir Hari 1"].iter_rows(values_only=True))
    assert "Senin, 13 Juni 2022" in day_one and "susulan" in day_one.lower()
    assert "Nama Ketua Panitia Contoh" in day_one


def test_an_older_seed_s_empty_event_gets_its_story(runner, app):
    """`make run` on a database from before this demo: the reference event alone, without people and
    with registration kept open for a year."""
    from app.demo.seed import DEMO_TENANT, TITLE
    from app.events.services import create_event
    from app.models import EventStatus, utcnow
    from app.tenants.services import create_tenant

    tenant, _created = create_tenant(*DEMO_TENANT)
    create_event(tenant=tenant, slug=DEMO_SLUG, title=TITLE, organizer_name="Diskominfo", venue="Hotel Flamenggo",
                 dates=[datetime(2022, 6, 13).date(), datetime(2022, 6, 14).date()], status=EventStatus.OPEN,
                 registration_closes_at=utcnow() + timedelta(days=365))
    db.session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "Already there" in result.output, result.output
    past = event(DEMO_SLUG)
    assert len(rows(Registration, past)) == 90 and len(rows(Certificate, past)) > 75
    assert past.registration_state(datetime.now(UTC)) == "closed"
    assert len(rows(Registration, event(LIVE_SLUG))) == 60
