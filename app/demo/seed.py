"""The demo: the reference event as it happened (Diskominfo Kota Serang, 13–14 June 2022), and its
"Tahap 2", copied from it ("Salin acara") and running today and tomorrow in Asia/Jakarta.

`seed_demo` is what `flask seed-demo` (and so `make run`) calls. Running it again adds nothing: it
moves the live event's days back to today and tomorrow when they have passed, and gives the demo
committee account a new password. It refuses a database that holds anything but the demo.
"""
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app

from app.auth.services import create_user, find_user, set_active, set_password
from app.demo.story import count_registrations, open_pre_test, write_the_live_day, write_the_past
from app.events.copying import copy_event, moved
from app.events.services import (
    SEED_DATA,
    add_agenda_item,
    add_organizations_to_event,
    create_event,
    read_organizations_csv,
    upsert_organizations,
)
from app.extensions import db
from app.models import (
    ROLE_ADMIN,
    Attendance,
    CertificateSettings,
    EvaluationForm,
    Event,
    EventStatus,
    ScanLog,
    Tenant,
    User,
    utcnow,
)
from app.tenants.services import create_tenant, find_tenant
from app.timezones import today_in

DEMO_SLUG = "bimtek-smart-city-serang-2022"
LIVE_SLUG = "bimtek-smart-city-serang-tahap-2"
DEMO_SLUGS = (DEMO_SLUG, LIVE_SLUG)
DEMO_ACCOUNT = "panitia.demo@example.go.id"
# The tenant migration 0007 moves existing data into, too.
DEMO_TENANT = ("kota-serang", "Pemerintah Kota Serang", "Kota Serang")
DEMO_LETTERHEAD = (
    "PEMERINTAH KOTA SERANG\nDINAS KOMUNIKASI DAN INFORMATIKA\nJl. Jenderal Sudirman No. 5, Serang"
)
DEMO_CONTACT = "Diskominfo Kota Serang, diskominfo@serangkota.go.id"
DEMO_QUOTA = 3
TITLE = "Bimtek Penyusunan Masterplan Kota Cerdas (Smart City) dan Quickwin Program Unggulan Tahap 1"

AGENDA = {
    1: [
        ("07:30", "08:30", "Registrasi peserta", "Panitia"),
        ("08:30", "09:00", "Pembukaan dan sambutan", "Wali Kota Serang"),
        ("09:00", "10:30", "Kebijakan Gerakan Menuju 100 Smart City", "Kementerian Komunikasi dan Informatika"),
        ("10:45", "12:00", "Enam dimensi kota cerdas dan analisis kesiapan daerah", "Tim Pendamping Smart City"),
        ("13:00", "15:00", "Analisis strategis dan potensi daerah per OPD", "Tim Pendamping Smart City"),
        ("15:15", "16:30", "Diskusi kelompok per dimensi", "Fasilitator"),
    ],
    2: [
        ("07:30", "08:30", "Registrasi peserta", "Panitia"),
        ("08:30", "10:30", "Penyusunan quick win program unggulan", "Tim Pendamping Smart City"),
        ("10:45", "12:00", "Rencana aksi dan peta jalan masterplan", "Tim Pendamping Smart City"),
        ("13:00", "15:00", "Presentasi hasil kelompok", "Perwakilan OPD"),
        ("15:00", "15:30", "Rencana tindak lanjut dan penutupan", "Kepala Diskominfo Kota Serang"),
    ],
}


class DemoRefused(Exception):
    """The database holds data that is not the demo's (`detail` names one such thing)."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


@dataclass
class DemoSeeded:
    """What seed_demo did: the two events, whether they were made now, and the account's new password
    (None when no account was made: in production)."""

    past: Event
    live: Event
    created: bool
    moved_days: int
    account: str | None
    password: str | None


def foreign_data():
    """Something in the database that the demo did not make, described, or None."""
    event = db.session.execute(db.select(Event.slug).where(Event.slug.not_in(DEMO_SLUGS))).scalars().first()
    if event:
        return f"the event {event}"
    user = db.session.execute(db.select(User.email).where(User.email != DEMO_ACCOUNT)).scalars().first()
    if user:
        return f"the account {user}"
    tenant = db.session.execute(db.select(Tenant.slug).where(Tenant.slug != DEMO_TENANT[0])).scalars().first()
    if tenant:
        return f"the tenant {tenant}"
    return None


def seed_demo(*, force=False, now=None):
    """Make (or bring up to date) the two demo events and the demo account. Returns DemoSeeded.

    Raises DemoRefused when the database holds other data, unless `force`; OrganizationRefused for a
    bad row of the OPD list. The caller commits.
    """
    if not force:
        foreign = foreign_data()
        if foreign:
            raise DemoRefused(foreign)
    now = now or utcnow()
    tenant = _demo_tenant()
    organizations = upsert_organizations(read_organizations_csv(SEED_DATA / "kota_serang_opd.csv"), tenant)
    found = db.session.execute(db.select(Event).filter_by(slug=DEMO_SLUG)).scalar_one_or_none()
    created = found is None
    past = _reference_event(tenant) if found is None else found
    add_organizations_to_event(past, organizations, quota=DEMO_QUOTA)
    if count_registrations(past) == 0:  # made now, or by an older seed: its story is written once
        _registration_as_it_was(past)
        write_the_past(past)
    live = db.session.execute(db.select(Event).filter_by(slug=LIVE_SLUG)).scalar_one_or_none()
    today = today_in(past, now)
    shift = 0
    if live is None:
        live = copy_event(past, slug=LIVE_SLUG, start=today)
        live.title = TITLE.replace("Tahap 1", "Tahap 2")
        live.description = live.description.replace("tahap 1", "tahap 2")
        live.status = EventStatus.OPEN  # a copy is a draft; the demo's committee has opened it
        write_the_live_day(live, now)
    else:
        shift = (today - live.days[0].date).days
        if shift:
            move_event(live, shift)
            open_pre_test(live)
    account, password = _demo_account(tenant)
    db.session.flush()
    return DemoSeeded(past, live, created, shift, account, password)


def _demo_tenant():
    tenant = find_tenant(DEMO_TENANT[0])
    if tenant is None:
        tenant, _created = create_tenant(*DEMO_TENANT)
        tenant.letterhead, tenant.privacy_contact = DEMO_LETTERHEAD, DEMO_CONTACT
        db.session.flush()
    return tenant


def _reference_event(tenant):
    first, last = date(2022, 6, 13), date(2022, 6, 14)
    event = create_event(
        tenant=tenant,
        slug=DEMO_SLUG,
        title=TITLE,
        organizer_name="Dinas Komunikasi dan Informatika Kota Serang",
        venue="Hotel Flamenggo, Serang",
        description=(
            "Bimbingan teknis bagi seluruh OPD Kota Serang untuk menyusun masterplan kota cerdas "
            "dan program unggulan quick win tahap 1."
        ),
        dates=[first, last],
        default_quota=DEMO_QUOTA,
        status=EventStatus.OPEN,
        contact_name="Panitia (kontak contoh)",
        contact_phone="+6281100000000",
    )
    for number, day in enumerate(event.days, start=1):
        for starts, ends, title, speaker in AGENDA[number]:
            add_agenda_item(event, day, starts, ends, title, speaker)
    db.session.flush()
    return event


def _registration_as_it_was(event):
    """Open from two weeks before the first day to the afternoon before it (an older seed kept it open)."""
    first = event.days[0].date
    event.registration_opens_at = datetime.combine(first - timedelta(days=14), time(8), tzinfo=event.tz)
    event.registration_closes_at = datetime.combine(first - timedelta(days=1), time(16), tzinfo=event.tz)


def move_event(event, shift):
    """Move the live demo event `shift` days, and all it holds (agenda, forms, attendance, scans), so that
    `make run` on another day shows the same running event. For the demo only: a real event's attendance
    never moves."""
    ordered = event.days if shift < 0 else list(reversed(event.days))
    for day in ordered:  # one at a time, so that no two days of the event meet on one date
        day.date += timedelta(days=shift)
        db.session.flush()
    for item in event.agenda_items:
        item.starts_at, item.ends_at = moved(item.starts_at, event, shift), moved(item.ends_at, event, shift)
    for name in ("registration_opens_at", "registration_closes_at", "edits_close_at"):
        setattr(event, name, moved(getattr(event, name), event, shift))
    for form in db.session.execute(db.select(EvaluationForm).filter_by(event_id=event.id)).scalars():
        form.opens_at, form.closes_at = moved(form.opens_at, event, shift), moved(form.closes_at, event, shift)
    settings = db.session.execute(db.select(CertificateSettings).filter_by(event_id=event.id)).scalar_one_or_none()
    if settings is not None and settings.issue_date:
        settings.issue_date += timedelta(days=shift)
    for attendance in db.session.execute(db.select(Attendance).filter_by(event_id=event.id)).scalars():
        for name in ("checked_in_at", "scanned_at", "created_at", "recorded_late_at"):
            setattr(attendance, name, moved(getattr(attendance, name), event, shift))
    for scan in db.session.execute(db.select(ScanLog).filter_by(event_id=event.id)).scalars():
        scan.created_at, scan.scanned_at = moved(scan.created_at, event, shift), moved(scan.scanned_at, event, shift)
    db.session.flush()


def _demo_account(tenant):
    """The demo committee account with a new generated password, shown once; never in production,
    where an existing one is switched off."""
    user = find_user(DEMO_ACCOUNT)
    if current_app.config.get("ENV_NAME") == "production":
        if user is not None and user.active:
            set_active(user, False)
        return None, None
    password = secrets.token_urlsafe(12)
    if user is None:
        create_user(DEMO_ACCOUNT, password, ROLE_ADMIN, name="Panitia Demo", tenant=tenant)
    else:
        set_password(user, password)
        set_active(user, True)
    return DEMO_ACCOUNT, password
