"""Who gets a certificate, and how they are numbered: never twice the same number, never renumbered."""
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.certificates.eligibility import ELIGIBILITY_RULES
from app.certificates.issuing import (
    CertificateRefused,
    NumberTaken,
    active_certificate,
    event_certificates,
    issue_certificates,
    reissue_certificate,
    revoke_certificate,
)
from app.certificates.numbering import PatternError, check_pattern, format_number
from app.certificates.settings import event_jp, jp_from_minutes, save_certificate_settings
from app.extensions import db
from app.models import STATUS_CANCELLED, AgendaItem, Attendance, Certificate, Event, Registration
from tests.certificates_support import attend
from tests.concurrency import run_in_threads


def people(make, event, n):
    organizations = make.event_organization_list(event)
    return [make.registration(event, organizations[i % len(organizations)]) for i in range(n)]


def test_every_day_by_default_and_cancelled_never(make):
    event = make.event()
    day1, day2 = event.days
    both, first_only, cancelled, absent = people(make, event, 4)
    attend(both, day1, day2)
    attend(first_only, day1)
    attend(cancelled, day1, day2)
    cancelled.status = STATUS_CANCELLED
    db.session.commit()
    issued = issue_certificates(event)
    db.session.commit()
    assert [c.registration_id for c in issued] == [both.id]
    assert active_certificate(first_only) is None and active_certificate(absent) is None


def test_at_least_n_days(make):
    event = make.event(dates=(date(2022, 6, 13), date(2022, 6, 14), date(2022, 6, 15)))
    one, two, three = people(make, event, 3)
    attend(one, event.days[0])
    attend(two, event.days[0], event.days[2])
    attend(three, *event.days)
    save_certificate_settings(event, {"min_days": 2})
    issued = issue_certificates(event)
    db.session.commit()
    assert sorted(c.registration_id for c in issued) == sorted([two.id, three.id])


def test_a_day_recorded_late_counts_as_present(make):
    """A forgotten scan recorded after the day ended ("susulan") is an attendance row like any other."""
    event = make.event()
    person, = people(make, event, 1)
    attend(person, event.days[0])
    late = datetime(2022, 6, 20, 3, 0, tzinfo=UTC)
    db.session.add(Attendance(event_id=event.id, registration_id=person.id, event_day_id=event.days[1].id,
                              method="manual", checked_in_at=late, created_at=late, recorded_late_at=late))
    db.session.commit()
    assert [c.registration_id for c in issue_certificates(event)] == [person.id]


def test_eligibility_is_a_list_of_rules_another_can_join(make, monkeypatch):
    event = make.event()
    keep, drop = people(make, event, 2)
    attend(keep, *event.days)
    attend(drop, *event.days)
    monkeypatch.setattr("app.certificates.eligibility.ELIGIBILITY_RULES",
                        [*ELIGIBILITY_RULES, lambda event, settings: Registration.id != drop.id])
    assert [c.registration_id for c in issue_certificates(event)] == [keep.id]


def test_issuing_again_adds_only_the_newly_eligible_and_renumbers_nobody(make):
    event = make.event()
    save_certificate_settings(event, {"number_pattern": "800/{seq:03d}/Diskominfo/{year}",
                                      "issue_date": date(2022, 6, 14)})
    first, second = people(make, event, 2)
    attend(first, *event.days)
    attend(second, event.days[0])
    issued = issue_certificates(event)
    db.session.commit()
    assert [(c.seq, c.number) for c in issued] == [(1, "800/001/Diskominfo/2022")]
    code = issued[0].code
    assert issue_certificates(event) == []
    attend(second, event.days[1])
    again = issue_certificates(event)
    db.session.commit()
    assert [(c.registration_id, c.number) for c in again] == [(second.id, "800/002/Diskominfo/2022")]
    assert active_certificate(first).code == code and active_certificate(first).seq == 1


def test_revoke_needs_a_reason_and_is_not_reissued_by_a_run(make):
    event = make.event()
    person, = people(make, event, 1)
    attend(person, *event.days)
    certificate, = issue_certificates(event)
    with pytest.raises(CertificateRefused):
        revoke_certificate(certificate, "  ")
    revoke_certificate(certificate, "Salah orang")
    db.session.commit()
    assert certificate.revoked_at is not None and certificate.revoke_reason == "Salah orang"
    assert issue_certificates(event) == []
    with pytest.raises(CertificateRefused):
        revoke_certificate(certificate, "lagi")


def test_reissue_after_a_name_correction_gets_a_new_number_and_code(make):
    event = make.event()
    person, = people(make, event, 1)
    attend(person, *event.days)
    old, = issue_certificates(event)
    db.session.commit()
    person.full_name = "Dr. Siti Rahma, S.Kom., M.T."
    db.session.commit()
    new = reissue_certificate(old, "Koreksi nama")
    db.session.commit()
    assert old.revoked_at is not None and old.revoke_reason == "Koreksi nama"
    assert (new.seq, new.full_name) == (2, "Dr. Siti Rahma, S.Kom., M.T.")
    assert new.code != old.code
    assert active_certificate(person).id == new.id
    with pytest.raises(CertificateRefused):
        reissue_certificate(old, "dua kali")


def test_the_database_refuses_a_repeated_number_and_a_second_certificate_in_force(make):
    event = make.event()
    a, b = people(make, event, 2)
    attend(a, *event.days)
    first, = issue_certificates(event)
    db.session.commit()
    base = dict(event_id=event.id, number="x", full_name="x", organization_name="x", jp=1, revoke_reason="",
                issued_on=date(2022, 6, 14))
    db.session.add(Certificate(registration_id=b.id, seq=first.seq, code="c" * 27, **base))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Certificate(registration_id=a.id, seq=99, code="d" * 27, **base))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    revoke_certificate(db.session.get(Certificate, first.id), "uji")
    db.session.add(Certificate(registration_id=a.id, seq=99, code="e" * 27, **base))
    db.session.commit()


def issue_at_once(app, event_ids):
    """Issue for each of `event_ids` in threads of their own that start together; each one's outcome:
    how many it issued, "taken" (NumberTaken) or the repr of another error."""
    barrier = threading.Barrier(len(event_ids), timeout=30)
    outcomes = []

    def run(event_id):
        with app.app_context():
            try:
                found = db.session.get(Event, event_id)
                db.session.commit()
                barrier.wait()
                outcomes.append(len(issue_certificates(found)))
                db.session.commit()
            except NumberTaken:
                outcomes.append("taken")
            except Exception as error:  # noqa: BLE001  (the caller's assertion shows it)
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    run_in_threads(run, [(event_id,) for event_id in event_ids])
    return outcomes


def test_two_issuing_runs_at_once_number_everyone_once(app, make):
    event = make.event(opds=3, quota=20)
    everyone = people(make, event, 40)
    for person in everyone:
        db.session.add_all(Attendance(event_id=event.id, registration_id=person.id, event_day_id=day.id)
                           for day in event.days)
    db.session.commit()
    outcomes = issue_at_once(app, [event.id, event.id])
    assert sorted(outcomes) == [0, 40]
    certificates = event_certificates(event)
    assert sorted(c.seq for c in certificates) == list(range(1, 41))
    assert len({c.registration_id for c in certificates}) == 40
    assert len({c.code for c in certificates}) == 40


def test_two_events_of_a_tenant_issuing_at_once_never_share_a_number(app, make):
    # Numbers are checked against the tenant's other events; two events' runs must take turns for that.
    first = make.event("bimtek-satu", opds=1, quota=20)
    second = make.event("bimtek-dua", opds=1, quota=20, tenant=first.tenant)
    for event in (first, second):
        save_certificate_settings(event, {"number_pattern": "800/{seq:03d}/Diskominfo/{year}"})
        for person in people(make, event, 5):
            db.session.add_all(Attendance(event_id=event.id, registration_id=person.id, event_day_id=day.id)
                               for day in event.days)
    db.session.commit()
    outcomes = issue_at_once(app, [first.id, second.id])
    assert sorted(outcomes, key=str) == [5, "taken"]
    numbers = db.session.execute(db.select(Certificate.number)).scalars().all()
    assert len(numbers) == len(set(numbers)) == 5


def test_numbering_patterns():
    assert format_number("800/{seq:03d}/Diskominfo/{year}", 7, date(2022, 6, 14)) == "800/007/Diskominfo/2022"
    assert format_number("{seq}/BPSDM/{roman_month}/{year}", 12, date(2022, 6, 14)) == "12/BPSDM/VI/2022"
    check_pattern("800/{seq:03d}/Diskominfo/{year}")
    for bad in ("800/{year}", "{seq.__class__}", "{seq[0]}", "{name}", "{seq!r}", "{seq:zz}", "{", ""):
        with pytest.raises(PatternError):
            check_pattern(bad)


def test_jp_from_the_agenda_rounded_as_set_and_overridable(make):
    assert [jp_from_minutes(m, "down") for m in (0, 44, 45, 89, 90)] == [0, 0, 1, 1, 2]
    assert [jp_from_minutes(m, "nearest") for m in (22, 23, 67, 68)] == [0, 1, 1, 2]
    assert [jp_from_minutes(m, "up") for m in (1, 45, 46)] == [1, 1, 2]
    event = make.event()
    start = datetime(2022, 6, 13, 1, 0, tzinfo=UTC)
    for day, minutes in ((event.days[0], 8 * 45 + 20), (event.days[1], 7 * 45)):
        db.session.add(AgendaItem(event_id=event.id, event_day_id=day.id, starts_at=start,
                                  ends_at=start + timedelta(minutes=minutes), title="Sesi"))
    db.session.add(AgendaItem(event_id=event.id, event_day_id=event.days[0].id, starts_at=start, title="Rehat"))
    db.session.commit()
    settings = save_certificate_settings(event, {"jp_rounding": "down"})
    assert event_jp(event, settings) == 15
    settings = save_certificate_settings(event, {"jp_rounding": "up"})
    assert event_jp(event, settings) == 16
    settings = save_certificate_settings(event, {"jp_override": 32})
    assert event_jp(event, settings) == 32
